package dev.mssql2mz.sqlserver;

import static dev.mssql2mz.sqlserver.SqlIdentifiers.quote;

import dev.mssql2mz.udfs.Lsn;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks that the database is set up for the source and lists every problem at once, each naming
 * the object and the T-SQL that fixes it: CDC on the database and the selected tables, snapshot
 * isolation, each grant of the minimum set, the capture job running, and every column's type.
 * Usable alone ({@code mssql2mz validate}) and run by the source builder.
 */
public final class SetupChecker {

  /**
   * How old the newest capture entry may be before the capture job counts as stopped. The capture
   * job records its scans in {@code cdc.lsn_time_mapping} even when idle, so a long silence means
   * it does not run.
   */
  public static final Duration DEFAULT_CAPTURE_STALE_AFTER = Duration.ofHours(1);

  private final Connection connection;
  private final TableSelection selection;
  private final Duration captureStaleAfter;

  public SetupChecker(Connection connection, TableSelection selection) {
    this(connection, selection, DEFAULT_CAPTURE_STALE_AFTER);
  }

  public SetupChecker(Connection connection, TableSelection selection, Duration captureStaleAfter) {
    this.connection = connection;
    this.selection = selection;
    this.captureStaleAfter = captureStaleAfter;
  }

  /** Every problem found; empty when the source can run. */
  public List<String> problems() throws SQLException {
    List<String> problems = new ArrayList<>();
    SqlServerQueries.DatabaseSettings db = SqlServerQueries.databaseSettings(connection);
    String user = SqlServerQueries.currentUser(connection);
    String grantee = quote(user);
    if (!db.cdcEnabled()) {
      problems.add(
          "CDC is not enabled on database "
              + db.name()
              + ". Fix: USE "
              + quote(db.name())
              + "; EXEC sys.sp_cdc_enable_db; (on Amazon RDS: EXEC msdb.dbo.rds_cdc_enable_db "
              + SqlIdentifiers.literal(db.name())
              + ";)");
    }
    if (db.snapshotIsolationState() != 1) {
      problems.add(
          "Snapshot isolation is off on database "
              + db.name()
              + ". Fix: ALTER DATABASE "
              + quote(db.name())
              + " SET ALLOW_SNAPSHOT_ISOLATION ON;");
    }
    checkGrant(
        problems,
        "sys.fn_cdc_get_min_lsn",
        "OBJECT",
        "EXECUTE",
        "GRANT EXECUTE ON sys.fn_cdc_get_min_lsn TO " + grantee + ";");
    checkGrant(
        problems,
        "sys.fn_cdc_get_max_lsn",
        "OBJECT",
        "EXECUTE",
        "GRANT EXECUTE ON sys.fn_cdc_get_max_lsn TO " + grantee + ";");
    checkGrant(
        problems,
        "sys.fn_cdc_increment_lsn",
        "OBJECT",
        "EXECUTE",
        "GRANT EXECUTE ON sys.fn_cdc_increment_lsn TO " + grantee + ";");
    checkGrant(
        problems,
        db.name(),
        "DATABASE",
        "VIEW DATABASE STATE",
        "GRANT VIEW DATABASE STATE TO " + grantee + ";");
    if (!db.cdcEnabled()) {
      return problems;
    }
    checkGrant(
        problems, "cdc", "SCHEMA", "SELECT", "GRANT SELECT ON SCHEMA::cdc TO " + grantee + ";");
    List<CapturedTable> tables = List.of();
    try {
      tables =
          selection.resolve(
              CatalogDiscovery.discover(connection), SqlServerQueries.tables(connection), problems);
    } catch (SQLException e) {
      if (problems.isEmpty()) {
        throw e;
      }
      // The catalog is unreadable because of a problem reported above; its fix comes first.
      return problems;
    }
    if (tables.isEmpty() && problems.isEmpty()) {
      problems.add(
          "No CDC-enabled table matches the selection ("
              + selection
              + "). Fix: EXEC sys.sp_cdc_enable_table @source_schema = N'<schema>', @source_name ="
              + " N'<table>', @role_name = NULL, @supports_net_changes = 0;");
    }
    Set<String> schemas = new LinkedHashSet<>();
    for (CapturedTable t : tables) {
      SourceTable s = t.table();
      schemas.add(s.schema());
      checkGrant(
          problems,
          quote(s.schema(), s.name()),
          "OBJECT",
          "SELECT",
          "GRANT SELECT ON " + quote(s.schema(), s.name()) + " TO " + grantee + ";");
      for (SourceColumn c : s.columns()) {
        if (!SupportedTypes.isSupported(c)) {
          problems.add(
              "Column "
                  + s.qualifiedName()
                  + "."
                  + c.name()
                  + " has type "
                  + c.typeName()
                  + ", which cannot be replicated. Fix: add "
                  + s.qualifiedName()
                  + "."
                  + c.name()
                  + " to EXCLUDE COLUMNS, or to TEXT COLUMNS to ingest its text form.");
        }
      }
    }
    for (String schema : schemas) {
      checkGrant(
          problems,
          quote(schema),
          "SCHEMA",
          "VIEW DEFINITION",
          "GRANT VIEW DEFINITION ON SCHEMA::" + quote(schema) + " TO " + grantee + ";");
    }
    checkCaptureJob(problems, db.name());
    return problems;
  }

  /**
   * Settings that let the job run but can hurt it later, each with its fix; never blocking. Meant
   * for a source without {@link #problems()}.
   */
  public List<String> warnings() throws SQLException {
    List<String> warnings = new ArrayList<>();
    List<CapturedTable> tables =
        selection.resolve(
            CatalogDiscovery.discover(connection),
            SqlServerQueries.tables(connection),
            new ArrayList<>());
    List<String> withLargeColumns = new ArrayList<>();
    for (CapturedTable t : tables) {
      SourceTable s = t.table();
      List<String> large =
          s.columns().stream().filter(SourceColumn::isLargeValue).map(SourceColumn::name).toList();
      if (large.isEmpty()) {
        continue;
      }
      withLargeColumns.add(s.qualifiedName() + " (" + String.join(", ", large) + ")");
      if (!s.hasKey()) {
        warnings.add(
            "Table "
                + s.qualifiedName()
                + " has no primary key and large columns ("
                + String.join(", ", large)
                + "): CDC leaves unchanged large values out of updates (and text/ntext/image out"
                + " of deletes), and when rows equal in every other column differ in such a value"
                + " the job cannot tell which one changed and stops. Fix: add a primary key, or"
                + " exclude those columns (EXCLUDE COLUMNS).");
      }
    }
    if (!withLargeColumns.isEmpty()) {
      Long max;
      try {
        max = SqlServerQueries.maxTextReplSize(connection);
      } catch (SQLException e) {
        max = null; // advice only: a server that hides its options gets none
      }
      if (max != null && max >= 0) {
        warnings.add(
            "SQL Server's 'max text repl size' is "
                + max
                + " bytes: writing a larger value into a large column of a CDC-enabled table fails"
                + " (Msg 7139), here in "
                + String.join(", ", withLargeColumns)
                + ". Fix, if values can be larger: EXEC sp_configure 'max text repl size', -1;"
                + " RECONFIGURE;");
      }
    }
    return warnings;
  }

  private void checkGrant(
      List<String> problems, String securable, String kind, String permission, String fix)
      throws SQLException {
    Boolean has = SqlServerQueries.hasPermission(connection, securable, kind, permission);
    if (has == null || !has) {
      problems.add(
          "Missing permission "
              + permission
              + " on "
              + kind.toLowerCase(java.util.Locale.ROOT)
              + " "
              + securable
              + ". Fix: "
              + fix);
    }
  }

  private void checkCaptureJob(List<String> problems, String database) throws SQLException {
    String fix =
        " Fix: start SQL Server Agent (on Linux: MSSQL_AGENT_ENABLED=true, or"
            + " /opt/mssql/bin/mssql-conf set sqlagent.enabled true), then EXEC"
            + " msdb.dbo.sp_start_job @job_name = "
            + SqlIdentifiers.literal("cdc." + database + "_capture")
            + ";";
    Lsn max;
    try {
      max = SqlServerQueries.maxLsn(connection);
    } catch (SQLException e) {
      return; // EXECUTE on sys.fn_cdc_get_max_lsn is missing, reported above
    }
    if (max == null) {
      problems.add(
          "The CDC capture job of database " + database + " has never run (no max LSN)." + fix);
      return;
    }
    SqlServerQueries.CaptureActivity a = SqlServerQueries.captureActivity(connection);
    // An empty mapping means nothing was captured yet (a database just enabled): no verdict.
    if (a.lastCapturedCommit() != null
        && a.serverNow() != null
        && Duration.between(a.lastCapturedCommit(), a.serverNow()).compareTo(captureStaleAfter)
            > 0) {
      problems.add(
          "The CDC capture job of database "
              + database
              + " looks stopped: its newest entry in cdc.lsn_time_mapping is from "
              + a.lastCapturedCommit()
              + " (server time "
              + a.serverNow()
              + ")."
              + fix);
    }
  }
}
