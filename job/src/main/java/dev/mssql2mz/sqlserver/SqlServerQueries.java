package dev.mssql2mz.sqlserver;

import static dev.mssql2mz.sqlserver.SqlIdentifiers.quote;

import dev.mssql2mz.udfs.Lsn;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every T-SQL statement the product sends to SQL Server, one method each. Identifiers are quoted
 * with {@link SqlIdentifiers}, values are bound. The minimum grants of the set-up guide suffice for
 * all of them (SELECT on the catalog views, {@code cdc} schema and source tables; EXECUTE on the
 * three {@code sys.fn_cdc_*} functions; VIEW DATABASE STATE).
 */
public final class SqlServerQueries {

  private SqlServerQueries() {}

  // ---------------------------------------------------------------- catalog

  /** A row of {@code cdc.change_tables} joined to its source table. */
  public record CaptureInstanceRow(String instance, String schema, String table, Lsn startLsn) {}

  /** Every capture instance of the database with its source table. */
  public static List<CaptureInstanceRow> captureInstances(Connection c) throws SQLException {
    String sql =
        "SELECT ct.capture_instance, s.name AS schema_name, t.name AS table_name, ct.start_lsn"
            + " FROM cdc.change_tables ct"
            + " JOIN sys.tables t ON t.object_id = ct.source_object_id"
            + " JOIN sys.schemas s ON s.schema_id = t.schema_id";
    List<CaptureInstanceRow> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new CaptureInstanceRow(
                rs.getString(1), rs.getString(2), rs.getString(3), JdbcValues.readLsn(rs, 4)));
      }
    }
    return out;
  }

  /** A captured column of a capture instance ({@code cdc.captured_columns}). */
  public record CapturedColumnRow(String instance, String column, int ordinal) {}

  /** The captured columns of every capture instance, by instance and ordinal. */
  public static List<CapturedColumnRow> capturedColumns(Connection c) throws SQLException {
    String sql =
        "SELECT ct.capture_instance, cc.column_name, cc.column_ordinal"
            + " FROM cdc.captured_columns cc"
            + " JOIN cdc.change_tables ct ON ct.object_id = cc.object_id"
            + " ORDER BY ct.capture_instance, cc.column_ordinal";
    List<CapturedColumnRow> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new CapturedColumnRow(rs.getString(1), rs.getString(2), rs.getInt(3)));
      }
    }
    return out;
  }

  /** A column of a capture instance's unique index ({@code cdc.index_columns}). */
  public record IndexColumnRow(String instance, String column, int ordinal) {}

  /** The index columns each capture instance identifies rows by. */
  public static List<IndexColumnRow> indexColumns(Connection c) throws SQLException {
    String sql =
        "SELECT ct.capture_instance, ic.column_name, ic.index_ordinal"
            + " FROM cdc.index_columns ic"
            + " JOIN cdc.change_tables ct ON ct.object_id = ic.object_id"
            + " ORDER BY ct.capture_instance, ic.index_ordinal";
    List<IndexColumnRow> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new IndexColumnRow(rs.getString(1), rs.getString(2), rs.getInt(3)));
      }
    }
    return out;
  }

  /** A user table of the database and whether CDC tracks it. */
  public record TableRow(String schema, String table, boolean trackedByCdc) {}

  /** Every user table, CDC-enabled or not. */
  public static List<TableRow> tables(Connection c) throws SQLException {
    String sql =
        "SELECT s.name, t.name, t.is_tracked_by_cdc FROM sys.tables t"
            + " JOIN sys.schemas s ON s.schema_id = t.schema_id";
    List<TableRow> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new TableRow(rs.getString(1), rs.getString(2), rs.getBoolean(3)));
      }
    }
    return out;
  }

  /** A column of a user table as {@code sys.columns} / {@code sys.types} describe it. */
  public record ColumnRow(
      String schema,
      String table,
      String column,
      String type,
      int maxLength,
      int precision,
      int scale,
      boolean nullable,
      int columnId) {}

  /**
   * The columns of every table that has a capture instance, with their base type names (alias types
   * such as {@code sysname} resolve to their system type through {@code system_type_id}).
   */
  public static List<ColumnRow> columnsOfCapturedTables(Connection c) throws SQLException {
    String sql =
        "SELECT s.name, t.name, col.name, ty.name, col.max_length, col.precision, col.scale,"
            + " col.is_nullable, col.column_id"
            + " FROM sys.tables t"
            + " JOIN sys.schemas s ON s.schema_id = t.schema_id"
            + " JOIN sys.columns col ON col.object_id = t.object_id"
            + " JOIN sys.types ty ON ty.user_type_id = col.system_type_id"
            + " WHERE t.object_id IN (SELECT source_object_id FROM cdc.change_tables)"
            + " ORDER BY s.name, t.name, col.column_id";
    List<ColumnRow> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new ColumnRow(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getInt(5),
                rs.getInt(6),
                rs.getInt(7),
                rs.getBoolean(8),
                rs.getInt(9)));
      }
    }
    return out;
  }

  /** A primary key column. */
  public record KeyColumnRow(String schema, String table, String column, int ordinal) {}

  /** The primary key columns of every table, in key order. */
  public static List<KeyColumnRow> primaryKeyColumns(Connection c) throws SQLException {
    String sql =
        "SELECT kcu.TABLE_SCHEMA, kcu.TABLE_NAME, kcu.COLUMN_NAME, kcu.ORDINAL_POSITION"
            + " FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS tc"
            + " JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE kcu"
            + " ON kcu.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA"
            + " AND kcu.CONSTRAINT_NAME = tc.CONSTRAINT_NAME"
            + " WHERE tc.CONSTRAINT_TYPE = 'PRIMARY KEY'"
            + " ORDER BY kcu.TABLE_SCHEMA, kcu.TABLE_NAME, kcu.ORDINAL_POSITION";
    List<KeyColumnRow> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new KeyColumnRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4)));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- settings and grants

  /** Database-level CDC and snapshot isolation settings. */
  public record DatabaseSettings(String name, boolean cdcEnabled, int snapshotIsolationState) {}

  /** {@code sys.databases} for the current database. */
  /**
   * The server's {@code max text repl size (B)} in use: the largest LOB value a write may put into
   * a captured column (-1: unlimited); null when the option is not visible.
   */
  public static Long maxTextReplSize(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT CAST(value_in_use AS bigint) FROM sys.configurations WHERE name = ?")) {
      ps.setString(1, "max text repl size (B)");
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    }
  }

  public static DatabaseSettings databaseSettings(Connection c) throws SQLException {
    String sql =
        "SELECT name, is_cdc_enabled, snapshot_isolation_state FROM sys.databases"
            + " WHERE database_id = DB_ID()";
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("sys.databases has no row for the current database");
      }
      return new DatabaseSettings(rs.getString(1), rs.getBoolean(2), rs.getInt(3));
    }
  }

  /**
   * {@code HAS_PERMS_BY_NAME(securable, class, permission)}: true, false, or null when the
   * securable does not exist or is not visible.
   */
  public static Boolean hasPermission(
      Connection c, String securable, String securableClass, String permission)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT HAS_PERMS_BY_NAME(?, ?, ?)")) {
      ps.setString(1, securable);
      ps.setString(2, securableClass);
      ps.setString(3, permission);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        int v = rs.getInt(1);
        return rs.wasNull() ? null : v == 1;
      }
    }
  }

  /** The database user this session runs as ({@code CURRENT_USER}). */
  public static String currentUser(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT CURRENT_USER");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** The newest commit time the capture process recorded, and the server's clock. */
  public record CaptureActivity(LocalDateTime lastCapturedCommit, LocalDateTime serverNow) {}

  /** The latest entry of {@code cdc.lsn_time_mapping} and the server time. */
  public static CaptureActivity captureActivity(Connection c) throws SQLException {
    String sql = "SELECT MAX(tran_end_time), SYSDATETIME() FROM cdc.lsn_time_mapping";
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new CaptureActivity(
          rs.getObject(1, LocalDateTime.class), rs.getObject(2, LocalDateTime.class));
    }
  }

  // ---------------------------------------------------------------- LSNs

  /** {@code sys.fn_cdc_get_max_lsn()}: the highest LSN the capture process has processed. */
  public static Lsn maxLsn(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT sys.fn_cdc_get_max_lsn()");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return JdbcValues.readLsn(rs, 1);
    }
  }

  /**
   * {@code sys.fn_cdc_map_lsn_to_time(lsn)}: the commit time of the transaction at {@code lsn} (of
   * the closest one below it), or null when none is mapped.
   */
  public static LocalDateTime lsnToTime(Connection c, Lsn lsn) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT sys.fn_cdc_map_lsn_to_time(?)")) {
      ps.setBytes(1, lsn.toBytes());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getObject(1, LocalDateTime.class) : null;
      }
    }
  }

  /** {@code sys.fn_cdc_get_min_lsn(instance)}: the lowest LSN still in the change table. */
  /** Whether {@code cdc.change_tables} still lists this capture instance. */
  public static boolean captureInstanceExists(Connection c, String captureInstance)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT COUNT(*) FROM cdc.change_tables WHERE capture_instance = ?")) {
      ps.setString(1, captureInstance);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1) > 0;
      }
    }
  }

  public static Lsn minLsn(Connection c, String captureInstance) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT sys.fn_cdc_get_min_lsn(?)")) {
      ps.setString(1, captureInstance);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return JdbcValues.readLsn(rs, 1);
      }
    }
  }

  // ---------------------------------------------------------------- snapshot

  /**
   * Takes a shared table lock held until the lock connection's transaction ends, so no writer of
   * the table is in flight (step 1 of the exact snapshot LSN method).
   */
  public static void lockTableShared(Connection c, SourceTable t) throws SQLException {
    String sql =
        "SELECT TOP (0) 1 FROM " + quote(t.schema(), t.name()) + " WITH (TABLOCK, HOLDLOCK)";
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        // no rows by design
      }
    }
  }

  /** Sets the next transaction of the session to SNAPSHOT isolation. */
  public static void useSnapshotIsolation(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SET TRANSACTION ISOLATION LEVEL SNAPSHOT");
    }
  }

  /** The snapshot of a SNAPSHOT transaction is fixed by its first read, not by BEGIN. */
  public static void fixSnapshotReadPoint(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement("SELECT TOP (1) capture_instance FROM cdc.change_tables");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        // the read itself fixes the snapshot
      }
    }
  }

  /** {@code SAVE TRANSACTION}: forces a log record whose LSN marks the snapshot. */
  public static void saveTransaction(Connection c, String savepoint) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SAVE TRANSACTION " + quote(savepoint));
    }
  }

  /** The LSN of the current transaction's most recent savepoint (numeric(25,0) in the DMV). */
  public static Lsn savepointLsn(Connection c) throws SQLException {
    String sql =
        "SELECT database_transaction_most_recent_savepoint_lsn"
            + " FROM sys.dm_tran_database_transactions"
            + " WHERE transaction_id = CURRENT_TRANSACTION_ID() AND database_id = DB_ID()";
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException(
            "sys.dm_tran_database_transactions shows no row for this transaction;"
                + " is VIEW DATABASE STATE granted?");
      }
      BigDecimal n = rs.getBigDecimal(1);
      if (n == null) {
        throw new SQLException("The transaction has no savepoint LSN after SAVE TRANSACTION");
      }
      return Lsn.fromNumeric(n.toBigIntegerExact());
    }
  }

  /** Row count and, for a single integer key, its MIN and MAX. */
  public record KeyStats(long rows, Long minKey, Long maxKey) {}

  /** {@code COUNT_BIG(*)} and MIN/MAX of an integer key column (null when not asked for). */
  public static KeyStats keyStats(Connection c, SourceTable t, String integerKey)
      throws SQLException {
    String sql =
        integerKey == null
            ? "SELECT COUNT_BIG(*) FROM " + quote(t.schema(), t.name())
            : "SELECT COUNT_BIG(*), MIN("
                + quote(integerKey)
                + "), MAX("
                + quote(integerKey)
                + ") FROM "
                + quote(t.schema(), t.name());
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      long rows = rs.getLong(1);
      if (integerKey == null) {
        return new KeyStats(rows, null, null);
      }
      long min = rs.getLong(2);
      Long minKey = rs.wasNull() ? null : min;
      long max = rs.getLong(3);
      Long maxKey = rs.wasNull() ? null : max;
      return new KeyStats(rows, minKey, maxKey);
    }
  }

  /**
   * Every {@code every}-th key in key order: the chunk boundaries of a table whose key is not a
   * single integer. The result streams; only the boundaries are kept.
   */
  public static List<Object[]> sampledKeyBoundaries(Connection c, SourceTable t, long every)
      throws SQLException {
    List<String> keys = t.keyColumns();
    String cols = SqlIdentifiers.quoteAll(keys);
    String sql =
        "SELECT "
            + cols
            + " FROM (SELECT "
            + cols
            + ", ROW_NUMBER() OVER (ORDER BY "
            + cols
            + ") AS mssql2mz_rn FROM "
            + quote(t.schema(), t.name())
            + ") AS numbered WHERE mssql2mz_rn % ? = 0 ORDER BY "
            + cols;
    List<SourceColumn> keyCols =
        keys.stream().map(k -> t.columns().get(t.columnIndex(k))).collect(Collectors.toList());
    List<Object[]> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, every);
      ps.setFetchSize(1000);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Object[] b = new Object[keys.size()];
          for (int i = 0; i < b.length; i++) {
            b[i] = JdbcValues.read(rs, i + 1, keyCols.get(i).withAsText(false));
          }
          out.add(b);
        }
      }
    }
    return out;
  }

  /**
   * The rows of a chunk in {@code orderColumns} order, streamed with {@code fetchSize}; the caller
   * reads and closes the result set.
   */
  public static PreparedStatement chunkScan(
      Connection c, SourceTable t, RowPredicate where, List<String> orderColumns, int fetchSize)
      throws SQLException {
    String sql =
        "SELECT "
            + SqlIdentifiers.quoteAll(columnNames(t))
            + " FROM "
            + quote(t.schema(), t.name())
            + " WHERE "
            + where.sql()
            + (orderColumns.isEmpty() ? "" : " ORDER BY " + SqlIdentifiers.quoteAll(orderColumns));
    PreparedStatement ps =
        c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
    ps.setFetchSize(fetchSize);
    JdbcValues.bindAll(ps, 1, where.params());
    return ps;
  }

  // ---------------------------------------------------------------- change tables

  /**
   * One bounded page of a change table in {@code (__$start_lsn, __$command_id, __$seqval,
   * __$operation)} order: rows strictly after {@code after}, with commit LSN at most {@code upTo},
   * matching {@code where} (a row predicate over captured columns). Result columns: the five {@code
   * __$} columns, then {@code columns}.
   */
  public static PreparedStatement changePage(
      Connection c,
      CaptureInstance instance,
      List<String> columns,
      ChangePosition after,
      Lsn upTo,
      RowPredicate where,
      int pageSize)
      throws SQLException {
    String cmd = "ISNULL([__$command_id], -1)";
    String sql =
        "SELECT TOP (?) [__$start_lsn], "
            + cmd
            + ", [__$seqval], [__$operation], [__$update_mask]"
            + (columns.isEmpty() ? "" : ", " + SqlIdentifiers.quoteAll(columns))
            + " FROM "
            + instance.quotedChangeTable()
            + " WHERE [__$start_lsn] >= ? AND [__$start_lsn] <= ?"
            + " AND ([__$start_lsn] > ? OR "
            + cmd
            + " > ? OR ("
            + cmd
            + " = ? AND ([__$seqval] > ? OR ([__$seqval] = ? AND [__$operation] > ?))))"
            + " AND ("
            + where.sql()
            + ")"
            + " ORDER BY [__$start_lsn], [__$command_id], [__$seqval], [__$operation]";
    PreparedStatement ps = c.prepareStatement(sql);
    int i = 1;
    ps.setInt(i++, pageSize);
    ps.setBytes(i++, after.commitLsn().toBytes());
    ps.setBytes(i++, upTo.toBytes());
    ps.setBytes(i++, after.commitLsn().toBytes());
    long commandId = clampCommandId(after.commandId());
    ps.setLong(i++, commandId);
    ps.setLong(i++, commandId);
    ps.setBytes(i++, after.seqval().toBytes());
    ps.setBytes(i++, after.seqval().toBytes());
    ps.setInt(i++, after.operation());
    JdbcValues.bindAll(ps, i, where.params());
    return ps;
  }

  // Command ids are int; the sentinels of ChangePosition lie outside, keep them comparable.
  private static long clampCommandId(long id) {
    return Math.max(Integer.MIN_VALUE - 1L, Math.min(Integer.MAX_VALUE + 1L, id));
  }

  private static List<String> columnNames(SourceTable t) {
    return t.columns().stream().map(SourceColumn::name).collect(Collectors.toList());
  }
}
