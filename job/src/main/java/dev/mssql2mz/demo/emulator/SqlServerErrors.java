package dev.mssql2mz.demo.emulator;

import java.sql.SQLException;

/**
 * The SQL Server errors the emulator raises, with SQL Server's message numbers (as {@link
 * SQLException#getErrorCode()}) and the SQLState mssql-jdbc reports for them, so code written
 * against SQL Server's errors reacts the same way to the emulator.
 */
final class SqlServerErrors {

  private SqlServerErrors() {}

  /** Msg 313: what SQL Server raises when an LSN range falls outside a capture instance. */
  static SQLException insufficientArguments(String function) {
    return new SQLException(
        "An insufficient number of arguments were supplied for the procedure or function "
            + function
            + ".",
        "S0001",
        313);
  }

  /** Msg 208. */
  static SQLException invalidObjectName(String name) {
    return new SQLException("Invalid object name '" + name + "'.", "S0002", 208);
  }

  /** Msg 229. */
  static SQLException permissionDenied(
      String permission, String object, String database, String schema) {
    return new SQLException(
        "The "
            + permission
            + " permission was denied on the object '"
            + object
            + "', database '"
            + database
            + "', schema '"
            + schema
            + "'.",
        "S0005",
        229);
  }

  /** Msg 18456. */
  static SQLException loginFailed(String user) {
    return new SQLException("Login failed for user '" + user + "'.", "S0001", 18456);
  }

  /** Msg 3952. */
  static SQLException snapshotIsolationNotAllowed(String database) {
    return new SQLException(
        "Snapshot isolation transaction failed accessing database '"
            + database
            + "' because snapshot isolation is not allowed in this database. Use ALTER DATABASE"
            + " to allow snapshot isolation.",
        "S0001",
        3952);
  }

  /** Msg 22901. */
  static SQLException databaseNotCdcEnabled(String database) {
    return new SQLException(
        "The database '"
            + database
            + "' is not enabled for Change Data Capture. Ensure that the correct database context"
            + " is set and retry the operation. To report on the databases enabled for Change Data"
            + " Capture, query the is_cdc_enabled column in the sys.databases catalog view.",
        "S0001",
        22901);
  }

  /** Msg 22962 (two capture instances already exist). */
  static SQLException tooManyCaptureInstances(String table) {
    return new SQLException(
        "Two capture instances already exist for source table '"
            + table
            + "'. A table can have a maximum of two capture instances. If this is not a"
            + " misconfiguration, disable one of the capture instances and retry.",
        "S0001",
        22962);
  }

  /** Msg 22926 (capture instance name in use). */
  static SQLException captureInstanceExists(String instance) {
    return new SQLException(
        "Could not create a capture instance because the capture instance name '"
            + instance
            + "' already exists in the current database. Specify an explicit unique name for the"
            + " parameter @capture_instance.",
        "S0001",
        22926);
  }

  /** Msg 22963-ish: a generic CDC argument error, message given by the caller. */
  static SQLException cdcError(int code, String message) {
    return new SQLException(message, "S0001", code);
  }

  /** Msg 4711: TRUNCATE on a table published for CDC. */
  static SQLException truncateOfTrackedTable(String table) {
    return new SQLException(
        "Cannot truncate table '"
            + table
            + "' because it is published for replication or enabled for Change Data Capture.",
        "S0001",
        4711);
  }

  /** Msg 1222. */
  static SQLException lockTimeout() {
    return new SQLException("Lock request time out period exceeded.", "S00051", 1222);
  }
}
