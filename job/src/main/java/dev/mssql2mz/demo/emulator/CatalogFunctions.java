package dev.mssql2mz.demo.emulator;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.h2.tools.SimpleResultSet;

/**
 * The table functions behind SQL Server's catalog views ({@code sys.tables}, {@code sys.columns},
 * ...): each reads H2's {@code INFORMATION_SCHEMA} and the emulator's state and answers with SQL
 * Server's column names. H2 calls a table function more than once per query (the first time only
 * for its columns), so they have no side effects. Public only because H2 calls them.
 */
public final class CatalogFunctions {

  private static final String USER_SCHEMAS =
      " TABLE_SCHEMA NOT IN ('INFORMATION_SCHEMA', 'emu', 'sys')";

  private CatalogFunctions() {}

  public static ResultSet sys_databases(Connection conn) throws SQLException {
    SimpleResultSet rs = new SimpleResultSet();
    rs.addColumn("database_id", Types.INTEGER, 10, 0);
    rs.addColumn("name", Types.VARCHAR, 128, 0);
    rs.addColumn("is_cdc_enabled", Types.BOOLEAN, 1, 0);
    rs.addColumn("snapshot_isolation_state", Types.SMALLINT, 3, 0);
    rs.addColumn("snapshot_isolation_state_desc", Types.VARCHAR, 60, 0);
    rs.addColumn("is_read_committed_snapshot_on", Types.BOOLEAN, 1, 0);
    rs.addColumn("compatibility_level", Types.SMALLINT, 3, 0);
    rs.addColumn("state_desc", Types.VARCHAR, 60, 0);
    rs.addColumn("recovery_model_desc", Types.VARCHAR, 60, 0);
    rs.addColumn("collation_name", Types.VARCHAR, 128, 0);
    if (isColumnList(conn)) {
      return rs;
    }
    SqlServerEmulator emulator = emulator(conn);
    String[] system = {"master", "tempdb", "model", "msdb"};
    for (int i = 0; i < system.length; i++) {
      rs.addRow(
          i + 1,
          system[i],
          false,
          (short) 0,
          "OFF",
          false,
          (short) 160,
          "ONLINE",
          "SIMPLE",
          "SQL_Latin1_General_CP1_CI_AS");
    }
    boolean snapshot = emulator.isSnapshotIsolationAllowed();
    rs.addRow(
        SqlServerEmulator.DATABASE_ID,
        emulator.database(),
        emulator.isCdcEnabled(),
        (short) (snapshot ? 1 : 0),
        snapshot ? "ON" : "OFF",
        false,
        (short) 160,
        "ONLINE",
        "FULL",
        "SQL_Latin1_General_CP1_CI_AS");
    return rs;
  }

  public static ResultSet sys_schemas(Connection conn) throws SQLException {
    SimpleResultSet rs = new SimpleResultSet();
    rs.addColumn("name", Types.VARCHAR, 128, 0);
    rs.addColumn("schema_id", Types.INTEGER, 10, 0);
    rs.addColumn("principal_id", Types.INTEGER, 10, 0);
    if (isColumnList(conn)) {
      return rs;
    }
    EmulatorCatalog catalog = emulator(conn).catalog();
    try (Statement s = conn.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT SCHEMA_NAME FROM INFORMATION_SCHEMA.SCHEMATA WHERE SCHEMA_NAME NOT IN"
                    + " ('emu', 'PUBLIC') ORDER BY SCHEMA_NAME")) {
      while (r.next()) {
        String name = r.getString(1);
        rs.addRow(name, catalog.schemaId(name), 1);
      }
    }
    return rs;
  }

  public static ResultSet sys_tables(Connection conn) throws SQLException {
    return objects(conn, true);
  }

  public static ResultSet sys_objects(Connection conn) throws SQLException {
    return objects(conn, false);
  }

  private static ResultSet objects(Connection conn, boolean tablesOnly) throws SQLException {
    SimpleResultSet rs = new SimpleResultSet();
    rs.addColumn("name", Types.VARCHAR, 128, 0);
    rs.addColumn("object_id", Types.INTEGER, 10, 0);
    rs.addColumn("principal_id", Types.INTEGER, 10, 0);
    rs.addColumn("schema_id", Types.INTEGER, 10, 0);
    rs.addColumn("parent_object_id", Types.INTEGER, 10, 0);
    rs.addColumn("type", Types.CHAR, 2, 0);
    rs.addColumn("type_desc", Types.VARCHAR, 60, 0);
    rs.addColumn("create_date", Types.TIMESTAMP, 23, 3);
    rs.addColumn("modify_date", Types.TIMESTAMP, 23, 3);
    rs.addColumn("is_ms_shipped", Types.BOOLEAN, 1, 0);
    if (tablesOnly) {
      rs.addColumn("is_tracked_by_cdc", Types.BOOLEAN, 1, 0);
      rs.addColumn("temporal_type", Types.SMALLINT, 3, 0);
    }
    if (isColumnList(conn)) {
      return rs;
    }
    SqlServerEmulator emulator = emulator(conn);
    EmulatorCatalog catalog = emulator.catalog();
    LocalDateTime created = emulator.createdAt();
    try (Statement s = conn.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE FROM INFORMATION_SCHEMA.TABLES WHERE"
                    + USER_SCHEMAS
                    + " ORDER BY TABLE_SCHEMA, TABLE_NAME")) {
      while (r.next()) {
        ObjectName name = new ObjectName(r.getString(1), r.getString(2));
        boolean view = "VIEW".equals(r.getString(3));
        if (tablesOnly && view) {
          continue;
        }
        boolean shipped = name.schema().equalsIgnoreCase("cdc");
        List<Object> row = new ArrayList<>();
        row.add(name.name());
        row.add(catalog.objectId(name));
        row.add(null);
        row.add(catalog.schemaId(name.schema()));
        row.add(0);
        row.add(view ? "V " : "U ");
        row.add(view ? "VIEW" : "USER_TABLE");
        row.add(created);
        row.add(created);
        row.add(shipped);
        if (tablesOnly) {
          row.add(emulator.cdc().tracked(name) != null);
          row.add((short) 0);
        }
        rs.addRow(row.toArray());
      }
    }
    return rs;
  }

  public static ResultSet sys_columns(Connection conn) throws SQLException {
    SimpleResultSet rs = new SimpleResultSet();
    rs.addColumn("object_id", Types.INTEGER, 10, 0);
    rs.addColumn("name", Types.VARCHAR, 128, 0);
    rs.addColumn("column_id", Types.INTEGER, 10, 0);
    rs.addColumn("system_type_id", Types.SMALLINT, 3, 0);
    rs.addColumn("user_type_id", Types.INTEGER, 10, 0);
    rs.addColumn("max_length", Types.SMALLINT, 5, 0);
    rs.addColumn("precision", Types.SMALLINT, 3, 0);
    rs.addColumn("scale", Types.SMALLINT, 3, 0);
    rs.addColumn("collation_name", Types.VARCHAR, 128, 0);
    rs.addColumn("is_nullable", Types.BOOLEAN, 1, 0);
    rs.addColumn("is_identity", Types.BOOLEAN, 1, 0);
    rs.addColumn("is_computed", Types.BOOLEAN, 1, 0);
    if (isColumnList(conn)) {
      return rs;
    }
    EmulatorCatalog catalog = emulator(conn).catalog();
    try (Statement s = conn.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, DATA_TYPE,"
                    + " CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE,"
                    + " DATETIME_PRECISION, IS_NULLABLE, IS_IDENTITY FROM"
                    + " INFORMATION_SCHEMA.COLUMNS WHERE"
                    + USER_SCHEMAS
                    + " ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION")) {
      while (r.next()) {
        ObjectName table = new ObjectName(r.getString(1), r.getString(2));
        SqlServerType type = typeOf(catalog, table, r);
        boolean text =
            type.name().contains("char")
                || type.name().contains("text")
                || type.name().equals("sysname");
        rs.addRow(
            catalog.objectId(table),
            r.getString(3),
            r.getInt(4),
            (short) type.systemTypeId(),
            type.userTypeId(),
            (short) type.maxLength(),
            (short) type.precision(),
            (short) type.scale(),
            text ? "SQL_Latin1_General_CP1_CI_AS" : null,
            "YES".equals(r.getString(10)),
            "YES".equals(r.getString(11)),
            false);
      }
    }
    return rs;
  }

  static SqlServerType typeOf(EmulatorCatalog catalog, ObjectName table, ResultSet r)
      throws SQLException {
    return catalog.typeOf(
        table,
        r.getString(3),
        r.getString(5),
        (Long) r.getObject(6, Long.class),
        (Integer) r.getObject(7, Integer.class),
        (Integer) r.getObject(8, Integer.class),
        (Integer) r.getObject(9, Integer.class));
  }

  public static ResultSet sys_types(Connection conn) throws SQLException {
    SimpleResultSet rs = new SimpleResultSet();
    rs.addColumn("name", Types.VARCHAR, 128, 0);
    rs.addColumn("system_type_id", Types.SMALLINT, 3, 0);
    rs.addColumn("user_type_id", Types.INTEGER, 10, 0);
    rs.addColumn("schema_id", Types.INTEGER, 10, 0);
    rs.addColumn("max_length", Types.SMALLINT, 5, 0);
    rs.addColumn("precision", Types.SMALLINT, 3, 0);
    rs.addColumn("scale", Types.SMALLINT, 3, 0);
    rs.addColumn("is_nullable", Types.BOOLEAN, 1, 0);
    rs.addColumn("is_user_defined", Types.BOOLEAN, 1, 0);
    if (isColumnList(conn)) {
      return rs;
    }
    for (String name : SqlServerType.names()) {
      SqlServerType t = SqlServerType.ofName(name);
      int maxLength = name.endsWith("char") || name.endsWith("binary") ? 8000 : t.maxLength();
      rs.addRow(
          name,
          (short) t.systemTypeId(),
          t.userTypeId(),
          4,
          (short) maxLength,
          (short) t.precision(),
          (short) t.scale(),
          true,
          false);
    }
    return rs;
  }

  public static ResultSet sys_indexes(Connection conn) throws SQLException {
    SimpleResultSet rs = new SimpleResultSet();
    rs.addColumn("object_id", Types.INTEGER, 10, 0);
    rs.addColumn("name", Types.VARCHAR, 128, 0);
    rs.addColumn("index_id", Types.INTEGER, 10, 0);
    rs.addColumn("type", Types.SMALLINT, 3, 0);
    rs.addColumn("type_desc", Types.VARCHAR, 60, 0);
    rs.addColumn("is_unique", Types.BOOLEAN, 1, 0);
    rs.addColumn("is_primary_key", Types.BOOLEAN, 1, 0);
    rs.addColumn("is_unique_constraint", Types.BOOLEAN, 1, 0);
    rs.addColumn("is_disabled", Types.BOOLEAN, 1, 0);
    if (isColumnList(conn)) {
      return rs;
    }
    for (IndexRow i : indexes(conn)) {
      rs.addRow(
          i.objectId,
          i.name,
          i.indexId,
          (short) (i.primaryKey ? 1 : 2),
          i.primaryKey ? "CLUSTERED" : "NONCLUSTERED",
          i.unique,
          i.primaryKey,
          i.uniqueConstraint,
          false);
    }
    return rs;
  }

  public static ResultSet sys_index_columns(Connection conn) throws SQLException {
    SimpleResultSet rs = new SimpleResultSet();
    rs.addColumn("object_id", Types.INTEGER, 10, 0);
    rs.addColumn("index_id", Types.INTEGER, 10, 0);
    rs.addColumn("index_column_id", Types.INTEGER, 10, 0);
    rs.addColumn("column_id", Types.INTEGER, 10, 0);
    rs.addColumn("key_ordinal", Types.SMALLINT, 3, 0);
    rs.addColumn("is_descending_key", Types.BOOLEAN, 1, 0);
    rs.addColumn("is_included_column", Types.BOOLEAN, 1, 0);
    if (isColumnList(conn)) {
      return rs;
    }
    for (IndexRow i : indexes(conn)) {
      for (int k = 0; k < i.columnIds.size(); k++) {
        rs.addRow(i.objectId, i.indexId, k + 1, i.columnIds.get(k), (short) (k + 1), false, false);
      }
    }
    return rs;
  }

  private static final class IndexRow {
    int objectId;
    String name;
    int indexId;
    boolean unique;
    boolean primaryKey;
    boolean uniqueConstraint;
    List<Integer> columnIds = new ArrayList<>();
  }

  private static List<IndexRow> indexes(Connection conn) throws SQLException {
    EmulatorCatalog catalog = emulator(conn).catalog();
    Map<String, IndexRow> rows = new LinkedHashMap<>();
    Map<String, Integer> nextId = new LinkedHashMap<>();
    try (PreparedStatement ps =
            conn.prepareStatement(
                "SELECT i.TABLE_SCHEMA, i.TABLE_NAME, i.INDEX_NAME, i.INDEX_TYPE_NAME,"
                    + " tc.CONSTRAINT_NAME, tc.CONSTRAINT_TYPE, ic.COLUMN_NAME, c.ORDINAL_POSITION"
                    + " FROM INFORMATION_SCHEMA.INDEXES i"
                    + " JOIN INFORMATION_SCHEMA.INDEX_COLUMNS ic ON ic.INDEX_SCHEMA = i.INDEX_SCHEMA"
                    + " AND ic.INDEX_NAME = i.INDEX_NAME"
                    + " JOIN INFORMATION_SCHEMA.COLUMNS c ON c.TABLE_SCHEMA = i.TABLE_SCHEMA"
                    + " AND c.TABLE_NAME = i.TABLE_NAME AND c.COLUMN_NAME = ic.COLUMN_NAME"
                    + " LEFT JOIN INFORMATION_SCHEMA.TABLE_CONSTRAINTS tc"
                    + " ON tc.INDEX_SCHEMA = i.INDEX_SCHEMA AND tc.INDEX_NAME = i.INDEX_NAME"
                    + " WHERE i.TABLE_SCHEMA NOT IN ('INFORMATION_SCHEMA', 'emu', 'sys')"
                    + " ORDER BY i.TABLE_SCHEMA, i.TABLE_NAME,"
                    + " CASE WHEN i.INDEX_TYPE_NAME = 'PRIMARY KEY' THEN 0 ELSE 1 END,"
                    + " i.INDEX_NAME, ic.ORDINAL_POSITION");
        ResultSet r = ps.executeQuery()) {
      while (r.next()) {
        ObjectName table = new ObjectName(r.getString(1), r.getString(2));
        String key = table.key() + "|" + r.getString(3);
        IndexRow row = rows.get(key);
        if (row == null) {
          row = new IndexRow();
          row.objectId = catalog.objectId(table);
          row.primaryKey = "PRIMARY KEY".equals(r.getString(4));
          row.unique = row.primaryKey || "UNIQUE INDEX".equals(r.getString(4));
          row.uniqueConstraint = "UNIQUE".equals(r.getString(6));
          row.name = r.getString(5) != null ? r.getString(5) : r.getString(3);
          row.indexId = row.primaryKey ? 1 : nextId.merge(table.key(), 2, (a, b) -> a + 1);
          rows.put(key, row);
        }
        row.columnIds.add(r.getInt(8));
      }
    }
    return new ArrayList<>(rows.values());
  }

  static boolean isColumnList(Connection conn) throws SQLException {
    return conn.getMetaData().getURL().startsWith("jdbc:columnlist:");
  }

  static SqlServerEmulator emulator(Connection conn) throws SQLException {
    return EmulatorDriver.byH2Name(conn.getCatalog());
  }
}
