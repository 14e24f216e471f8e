package dev.mssql2mz.demo.emulator;

import dev.mssql2mz.udfs.Lsn;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import org.h2.tools.SimpleResultSet;

/**
 * T-SQL built-ins H2 lacks ({@code DB_NAME()}, {@code HAS_PERMS_BY_NAME(...)}, ...) and the
 * transaction DMVs, as H2 functions in schema {@code emu}; {@link TsqlRewrites} sends the T-SQL
 * names here. They answer for the emulator session whose statement is running ({@link
 * EmulatorSession#CURRENT}). Public only because H2 calls them.
 */
public final class SessionFunctions {

  private SessionFunctions() {}

  public static String db_name(Connection conn) throws SQLException {
    return CatalogFunctions.emulator(conn).database();
  }

  public static String db_name(Connection conn, Integer id) throws SQLException {
    if (id == null) {
      return db_name(conn);
    }
    String[] system = {"master", "tempdb", "model", "msdb"};
    if (id >= 1 && id <= 4) {
      return system[id - 1];
    }
    return id == SqlServerEmulator.DATABASE_ID ? db_name(conn) : null;
  }

  public static Integer db_id(Connection conn) {
    return SqlServerEmulator.DATABASE_ID;
  }

  public static Integer db_id(Connection conn, String name) throws SQLException {
    return name != null && name.equalsIgnoreCase(db_name(conn))
        ? SqlServerEmulator.DATABASE_ID
        : null;
  }

  /** {@code OBJECT_ID(N'dbo.t')}: the id of an existing table or view, else NULL. */
  public static Integer object_id(Connection conn, String name) throws SQLException {
    if (name == null) {
      return null;
    }
    ObjectName object = ObjectName.parse(name);
    try (var ps =
        conn.prepareStatement(
            "SELECT TABLE_SCHEMA, TABLE_NAME FROM INFORMATION_SCHEMA.TABLES"
                + " WHERE LOWER(TABLE_SCHEMA) = LOWER(?) AND LOWER(TABLE_NAME) = LOWER(?)")) {
      ps.setString(1, object.schema());
      ps.setString(2, object.name());
      try (ResultSet r = ps.executeQuery()) {
        if (!r.next()) {
          return null;
        }
        return CatalogFunctions.emulator(conn)
            .catalog()
            .objectId(new ObjectName(r.getString(1), r.getString(2)));
      }
    }
  }

  public static Integer object_id(Connection conn, String name, String type) throws SQLException {
    return object_id(conn, name);
  }

  public static String schema_name(Connection conn) {
    return ObjectName.DEFAULT_SCHEMA;
  }

  public static String schema_name(Connection conn, Integer id) throws SQLException {
    return id == null ? null : CatalogFunctions.emulator(conn).catalog().schemaName(id);
  }

  /** {@code HAS_PERMS_BY_NAME(securable, class, permission)}: 1, 0, or NULL for bad input. */
  public static Integer has_perms_by_name(
      Connection conn, String securable, String securableClass, String permission)
      throws SQLException {
    if (securableClass == null || permission == null) {
      return null;
    }
    EmulatorSession session = EmulatorSession.CURRENT.get();
    if (session == null || !session.productUser) {
      return 1;
    }
    String cls = securableClass.toUpperCase(Locale.ROOT);
    if (cls.equals("OBJECT") && object_id(conn, securable) == null && !isSystemObject(securable)) {
      return null;
    }
    return session.emulator.permissions().has(securable, cls, permission) ? 1 : 0;
  }

  public static Integer has_perms_by_name(
      Connection conn,
      String securable,
      String securableClass,
      String permission,
      String subSecurable,
      String subSecurableClass)
      throws SQLException {
    return has_perms_by_name(conn, securable, securableClass, permission);
  }

  private static boolean isSystemObject(String securable) {
    String schema = ObjectName.parse(securable).schema().toLowerCase(Locale.ROOT);
    return schema.equals("sys") || schema.equals("cdc") || schema.equals("information_schema");
  }

  /** {@code DATALENGTH}: bytes; character values count as {@code nvarchar} (2 bytes a char). */
  public static Long datalength(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof byte[]) {
      return (long) ((byte[]) value).length;
    }
    if (value instanceof String) {
      return 2L * ((String) value).length();
    }
    if (value instanceof Integer) {
      return 4L;
    }
    if (value instanceof Long) {
      return 8L;
    }
    return (long) value.toString().getBytes(StandardCharsets.UTF_8).length;
  }

  public static Timestamp sysutcdatetime() {
    return Timestamp.valueOf(LocalDateTime.now(ZoneOffset.UTC));
  }

  public static Timestamp sysdatetime() {
    return Timestamp.valueOf(LocalDateTime.now(ZoneId.systemDefault()));
  }

  public static Long current_transaction_id() {
    EmulatorSession s = EmulatorSession.CURRENT.get();
    return s == null ? null : s.transactionId();
  }

  /** {@code CURRENT_USER}: the database user; the admin login maps to {@code dbo}. */
  public static String user_name() {
    EmulatorSession s = EmulatorSession.CURRENT.get();
    return s == null ? null : s.productUser ? s.user : "dbo";
  }

  /** {@code SUSER_NAME()}, {@code SYSTEM_USER}: the login. */
  public static String login_name() {
    EmulatorSession s = EmulatorSession.CURRENT.get();
    return s == null ? null : s.user;
  }

  public static Integer spid() {
    EmulatorSession s = EmulatorSession.CURRENT.get();
    return s == null ? null : s.spid;
  }

  public static String version() {
    return "Microsoft SQL Server 2022 (RTM) - 16.0.1000.6 (X64) - emulated by mssql2mz on H2 "
        + org.h2.engine.Constants.VERSION;
  }

  public static Integer trancount() {
    EmulatorSession s = EmulatorSession.CURRENT.get();
    return s == null ? 0 : s.tranCount();
  }

  /**
   * {@code sys.dm_tran_database_transactions}: one row per open transaction of the emulated
   * database, with {@code database_transaction_most_recent_savepoint_lsn} as {@code numeric(25,0)}.
   */
  public static ResultSet dm_tran_database_transactions(Connection conn) throws SQLException {
    SimpleResultSet rs = new SimpleResultSet();
    rs.addColumn("transaction_id", Types.BIGINT, 19, 0);
    rs.addColumn("database_id", Types.INTEGER, 10, 0);
    rs.addColumn("database_transaction_begin_time", Types.TIMESTAMP, 23, 3);
    rs.addColumn("database_transaction_type", Types.INTEGER, 10, 0);
    rs.addColumn("database_transaction_state", Types.INTEGER, 10, 0);
    rs.addColumn("database_transaction_log_record_count", Types.BIGINT, 19, 0);
    rs.addColumn("database_transaction_begin_lsn", Types.NUMERIC, 25, 0);
    rs.addColumn("database_transaction_last_lsn", Types.NUMERIC, 25, 0);
    rs.addColumn("database_transaction_most_recent_savepoint_lsn", Types.NUMERIC, 25, 0);
    rs.addColumn("database_transaction_commit_lsn", Types.NUMERIC, 25, 0);
    if (CatalogFunctions.isColumnList(conn)) {
      return rs;
    }
    for (EmulatorSession s : CatalogFunctions.emulator(conn).openSessions()) {
      if (!s.hasOpenTransaction()) {
        continue;
      }
      // Read once: the session's own thread may clear it concurrently.
      Lsn savepointLsn = s.savepointLsn();
      BigDecimal savepoint = savepointLsn == null ? null : new BigDecimal(savepointLsn.toNumeric());
      rs.addRow(
          s.transactionId(),
          SqlServerEmulator.DATABASE_ID,
          s.transactionBegin() == null ? null : Timestamp.from(s.transactionBegin()),
          1,
          4,
          0L,
          savepoint,
          savepoint,
          savepoint,
          null);
    }
    return rs;
  }

  /** {@code sys.dm_tran_current_transaction}: the calling session's transaction. */
  public static ResultSet dm_tran_current_transaction(Connection conn) throws SQLException {
    SimpleResultSet rs = new SimpleResultSet();
    rs.addColumn("transaction_id", Types.BIGINT, 19, 0);
    rs.addColumn("transaction_sequence_num", Types.BIGINT, 19, 0);
    rs.addColumn("transaction_is_snapshot", Types.BOOLEAN, 1, 0);
    if (CatalogFunctions.isColumnList(conn)) {
      return rs;
    }
    EmulatorSession s = EmulatorSession.CURRENT.get();
    if (s != null) {
      rs.addRow(
          s.transactionId(),
          s.transactionId(),
          s.isolation() == EmulatorSession.SQLSERVER_SNAPSHOT);
    }
    return rs;
  }
}
