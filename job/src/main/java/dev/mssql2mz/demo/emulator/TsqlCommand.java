package dev.mssql2mz.demo.emulator;

import java.util.Collections;
import java.util.List;

/**
 * One T-SQL statement after {@link TsqlRewrites}: either SQL for H2, or an action the emulator's
 * connection performs itself (transaction control, CDC procedures, permission changes), plus what
 * the connection must do around it (table locks to take, declared column types to remember).
 */
final class TsqlCommand {

  /** What the connection does with the statement. */
  enum Kind {
    /** Run {@link #sql()} on H2. */
    SQL,
    /** {@code BEGIN TRAN}: start an explicit transaction. */
    BEGIN,
    COMMIT,
    ROLLBACK,
    /** {@code SAVE TRANSACTION name}: a savepoint that allocates an LSN. */
    SAVE,
    /** {@code ROLLBACK TRANSACTION name}. */
    ROLLBACK_TO,
    /** {@code SET TRANSACTION ISOLATION LEVEL ...}; {@link #name()} is the level. */
    SET_ISOLATION,
    /** {@code ALTER DATABASE ... SET ALLOW_SNAPSHOT_ISOLATION ON|OFF}. */
    SET_SNAPSHOT_ISOLATION,
    /** {@code EXEC sys.sp_cdc_...}; {@link #name()} is the procedure, {@link #args()} its args. */
    PROCEDURE,
    /** {@code GRANT|REVOKE|DENY}; args: verb, permission, class, securable, principal. */
    PERMISSION,
    /** {@code USE db}: accepted for the emulated database only. */
    USE,
    /** Session settings H2 has no use for ({@code SET NOCOUNT ON}). */
    NOOP
  }

  /** One procedure argument: its {@code @name} (or null when positional) and its value. */
  static final class Arg {
    final String name;

    /** The literal value, already unquoted; null for NULL or a placeholder. */
    final String value;

    /** The 1-based JDBC parameter index for {@code ?}, else 0. */
    final int parameterIndex;

    Arg(String name, String value, int parameterIndex) {
      this.name = name;
      this.value = value;
      this.parameterIndex = parameterIndex;
    }
  }

  private final Kind kind;
  private final String sql;
  private final String name;
  private final List<Arg> args;
  private final List<ObjectName> lockTables;
  private final TsqlDdl.DeclaredTable declaredTable;
  private final boolean ddl;
  private final ObjectName truncatedTable;

  TsqlCommand(
      Kind kind,
      String sql,
      String name,
      List<Arg> args,
      List<ObjectName> lockTables,
      TsqlDdl.DeclaredTable declaredTable,
      boolean ddl,
      ObjectName truncatedTable) {
    this.kind = kind;
    this.sql = sql;
    this.name = name;
    this.args = args == null ? Collections.emptyList() : Collections.unmodifiableList(args);
    this.lockTables =
        lockTables == null ? Collections.emptyList() : Collections.unmodifiableList(lockTables);
    this.declaredTable = declaredTable;
    this.ddl = ddl;
    this.truncatedTable = truncatedTable;
  }

  static TsqlCommand action(Kind kind, String name, List<Arg> args) {
    return new TsqlCommand(kind, null, name, args, null, null, false, null);
  }

  Kind kind() {
    return kind;
  }

  /** The H2 SQL to run, for {@link Kind#SQL}. */
  String sql() {
    return sql;
  }

  String name() {
    return name;
  }

  List<Arg> args() {
    return args;
  }

  /** Tables named with {@code WITH (TABLOCK ...)}: locked until the transaction ends. */
  List<ObjectName> lockTables() {
    return lockTables;
  }

  /** The SQL Server column types of a {@code CREATE TABLE}/{@code ALTER TABLE ADD}, or null. */
  TsqlDdl.DeclaredTable declaredTable() {
    return declaredTable;
  }

  /** Whether H2 would commit the transaction implicitly (CREATE, ALTER, DROP, TRUNCATE). */
  boolean isDdl() {
    return ddl;
  }

  ObjectName truncatedTable() {
    return truncatedTable;
  }
}
