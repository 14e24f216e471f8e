package dev.mssql2mz.demo.emulator;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SQL Server's catalog inside H2: creates the {@code sys} and {@code cdc} objects, and remembers
 * what H2 cannot tell (the declared SQL Server type of each column, stable object ids).
 *
 * <p>{@code sys.*} catalog views are H2 views over Java table functions ({@link CatalogFunctions})
 * reading H2's own {@code INFORMATION_SCHEMA}, so they follow plain DDL. The {@code cdc.*} tables
 * and {@code sys.dm_cdc_log_scan_sessions} are ordinary tables the emulator writes. The LSN
 * functions are aliases ({@link CdcFunctions}); T-SQL built-ins H2 lacks live in schema {@code emu}
 * ({@link SessionFunctions}) and are reached through {@link TsqlRewrites}.
 */
final class EmulatorCatalog {

  private static final String CATALOG = CatalogFunctions.class.getName();
  private static final String SESSION = SessionFunctions.class.getName();
  private static final String CDC = CdcFunctions.class.getName();

  private final Map<String, Map<String, SqlServerType>> declared = new ConcurrentHashMap<>();
  private final Map<String, Integer> objectIds = new ConcurrentHashMap<>();
  private final Map<String, Integer> schemaIds = new ConcurrentHashMap<>();
  private final AtomicInteger nextObjectId = new AtomicInteger(885578193);
  private final AtomicInteger nextSchemaId = new AtomicInteger(5);

  EmulatorCatalog() {
    schemaIds.put("dbo", 1);
    schemaIds.put("guest", 2);
    schemaIds.put("information_schema", 3);
    schemaIds.put("sys", 4);
  }

  /** Creates every emulator object in a fresh H2 database. */
  void create(Connection h2) throws SQLException {
    try (Statement s = h2.createStatement()) {
      for (String schema : new String[] {"dbo", "sys", "cdc", "emu"}) {
        s.execute("CREATE SCHEMA IF NOT EXISTS " + ObjectName.quote(schema));
      }
      s.execute(
          "CREATE TABLE cdc.change_tables (object_id INT PRIMARY KEY, version INT,"
              + " source_object_id INT, capture_instance CHARACTER VARYING(128) NOT NULL,"
              + " start_lsn BINARY(10), end_lsn BINARY(10), supports_net_changes BOOLEAN,"
              + " has_drop_pending BOOLEAN, role_name CHARACTER VARYING(128),"
              + " index_name CHARACTER VARYING(128), filegroup_name CHARACTER VARYING(128),"
              + " create_date TIMESTAMP(3), partition_switch BOOLEAN)");
      s.execute(
          "CREATE TABLE cdc.captured_columns (object_id INT NOT NULL,"
              + " column_name CHARACTER VARYING(128) NOT NULL, column_id INT,"
              + " column_type CHARACTER VARYING(128), column_ordinal INT NOT NULL,"
              + " is_computed BOOLEAN, masking_function CHARACTER VARYING(4000),"
              + " PRIMARY KEY (object_id, column_ordinal))");
      s.execute(
          "CREATE TABLE cdc.index_columns (object_id INT NOT NULL,"
              + " column_name CHARACTER VARYING(128) NOT NULL, index_ordinal SMALLINT NOT NULL,"
              + " column_id INT, PRIMARY KEY (object_id, index_ordinal))");
      s.execute(
          "CREATE TABLE cdc.lsn_time_mapping (start_lsn BINARY(10) PRIMARY KEY,"
              + " tran_begin_time TIMESTAMP(3), tran_end_time TIMESTAMP(3),"
              + " tran_id BINARY VARYING(10), tran_begin_lsn BINARY(10))");
      s.execute(
          "CREATE TABLE sys.dm_cdc_log_scan_sessions (session_id INT PRIMARY KEY,"
              + " start_time TIMESTAMP(3), end_time TIMESTAMP(3), duration INT,"
              + " scan_phase CHARACTER VARYING(200), error_count INT,"
              + " start_lsn CHARACTER VARYING(23), current_lsn CHARACTER VARYING(23),"
              + " end_lsn CHARACTER VARYING(23), tran_count BIGINT,"
              + " last_commit_lsn CHARACTER VARYING(23), last_commit_time TIMESTAMP(3),"
              + " log_record_count INT, schema_change_count INT, command_count BIGINT,"
              + " first_begin_cdc_lsn CHARACTER VARYING(23),"
              + " last_commit_cdc_lsn CHARACTER VARYING(23), last_commit_cdc_time TIMESTAMP(3),"
              + " latency INT, empty_scan_count INT, failed_sessions_count INT)");
      // Server options (sp_configure); only what the product reads, at SQL Server's defaults.
      s.execute(
          "CREATE TABLE sys.configurations (configuration_id INT PRIMARY KEY,"
              + " name CHARACTER VARYING(35) NOT NULL, \"value\" BIGINT, minimum BIGINT,"
              + " maximum BIGINT, value_in_use BIGINT, description CHARACTER VARYING(255),"
              + " is_dynamic BOOLEAN, is_advanced BOOLEAN)");
      s.execute(
          "INSERT INTO sys.configurations VALUES (1536, 'max text repl size (B)', 65536, -1,"
              + " 2147483647, 65536, 'Maximum size of a text field in replication.', TRUE,"
              + " FALSE)");
      String[][] views = {
        {"sys", "databases", "sys_databases"},
        {"sys", "schemas", "sys_schemas"},
        {"sys", "tables", "sys_tables"},
        {"sys", "objects", "sys_objects"},
        {"sys", "columns", "sys_columns"},
        {"sys", "types", "sys_types"},
        {"sys", "indexes", "sys_indexes"},
        {"sys", "index_columns", "sys_index_columns"},
      };
      for (String[] v : views) {
        s.execute("CREATE ALIAS emu." + v[2] + " FOR \"" + CATALOG + "." + v[2] + "\"");
        s.execute("CREATE VIEW " + v[0] + "." + v[1] + " AS SELECT * FROM emu." + v[2] + "()");
      }
      String[] sessionFunctions = {
        "db_name",
        "db_id",
        "object_id",
        "schema_name",
        "has_perms_by_name",
        "datalength",
        "sysutcdatetime",
        "sysdatetime",
        "current_transaction_id",
        "spid",
        "version",
        "trancount",
        "user_name",
        "login_name",
        "dm_tran_database_transactions",
        "dm_tran_current_transaction"
      };
      for (String f : sessionFunctions) {
        s.execute("CREATE ALIAS emu." + f + " FOR \"" + SESSION + "." + f + "\"");
      }
      s.execute(
          "CREATE VIEW sys.dm_tran_database_transactions AS SELECT * FROM"
              + " emu.dm_tran_database_transactions()");
      s.execute(
          "CREATE VIEW sys.dm_tran_current_transaction AS SELECT * FROM"
              + " emu.dm_tran_current_transaction()");
      String[] cdcFunctions = {
        "fn_cdc_get_min_lsn", "fn_cdc_get_max_lsn", "fn_cdc_increment_lsn",
        "fn_cdc_decrement_lsn", "fn_cdc_map_lsn_to_time", "fn_cdc_map_time_to_lsn",
        "fn_cdc_is_bit_set", "fn_cdc_get_column_ordinal"
      };
      for (String f : cdcFunctions) {
        s.execute("CREATE ALIAS sys." + f + " FOR \"" + CDC + "." + f + "\"");
      }
      s.execute(
          "CREATE ALIAS cdc.fn_cdc_get_all_changes FOR \"" + CDC + ".fn_cdc_get_all_changes\"");
    }
    h2.commit();
  }

  /** Remembers the SQL Server types of columns created through the emulator. */
  void declare(TsqlDdl.DeclaredTable table) {
    declared.computeIfAbsent(table.table.key(), k -> new ConcurrentHashMap<>());
    Map<String, SqlServerType> columns = declared.get(table.table.key());
    table.columns.forEach((c, t) -> columns.put(c.toLowerCase(Locale.ROOT), t));
  }

  void declare(ObjectName table, String column, SqlServerType type) {
    declared
        .computeIfAbsent(table.key(), k -> new ConcurrentHashMap<>())
        .put(column.toLowerCase(Locale.ROOT), type);
  }

  /** The SQL Server type a column was declared with through the emulator, or null. */
  SqlServerType declaredType(ObjectName table, String column) {
    Map<String, SqlServerType> columns = declared.get(table.key());
    return columns == null ? null : columns.get(column.toLowerCase(Locale.ROOT));
  }

  /**
   * The SQL Server type of a column: as declared, else derived from H2's description of it (for
   * tables created behind the emulator's back).
   */
  SqlServerType typeOf(
      ObjectName table,
      String column,
      String h2DataType,
      Long charLength,
      Integer numericPrecision,
      Integer numericScale,
      Integer datetimePrecision) {
    Map<String, SqlServerType> columns = declared.get(table.key());
    SqlServerType t = columns == null ? null : columns.get(column.toLowerCase(Locale.ROOT));
    if (t != null) {
      return t;
    }
    String len = charLength == null || charLength >= 1_000_000 ? "max" : String.valueOf(charLength);
    switch (h2DataType) {
      case "TINYINT":
        return SqlServerType.parse("tinyint", null);
      case "SMALLINT":
        return SqlServerType.parse("smallint", null);
      case "INTEGER":
        return SqlServerType.parse("int", null);
      case "BIGINT":
        return SqlServerType.parse("bigint", null);
      case "BOOLEAN":
        return SqlServerType.parse("bit", null);
      case "REAL":
        return SqlServerType.parse("real", null);
      case "DOUBLE PRECISION":
        return SqlServerType.parse("float", null);
      case "NUMERIC":
      case "DECIMAL":
        return SqlServerType.parse("decimal", numericPrecision + "," + numericScale);
      case "DATE":
        return SqlServerType.parse("date", null);
      case "TIME":
        return SqlServerType.parse("time", String.valueOf(datetimePrecision));
      case "TIMESTAMP":
        return SqlServerType.parse("datetime2", String.valueOf(datetimePrecision));
      case "TIMESTAMP WITH TIME ZONE":
        return SqlServerType.parse("datetimeoffset", String.valueOf(datetimePrecision));
      case "CHARACTER":
        return SqlServerType.parse("nchar", len);
      case "BINARY":
        return SqlServerType.parse("binary", len);
      case "BINARY VARYING":
        return SqlServerType.parse("varbinary", len);
      case "UUID":
        return SqlServerType.parse("uniqueidentifier", null);
      default:
        return SqlServerType.parse("nvarchar", len);
    }
  }

  /** A stable object id for a table or view, assigned on first sight. */
  int objectId(ObjectName name) {
    return objectIds.computeIfAbsent(name.key(), k -> nextObjectId.addAndGet(100_003));
  }

  /** The object name with this id, or null. */
  String objectKey(int id) {
    for (Map.Entry<String, Integer> e : objectIds.entrySet()) {
      if (e.getValue() == id) {
        return e.getKey();
      }
    }
    return null;
  }

  int schemaId(String schema) {
    return schemaIds.computeIfAbsent(
        schema.toLowerCase(Locale.ROOT), k -> nextSchemaId.getAndIncrement());
  }

  /** The schema with this id, lower case, or null. */
  String schemaName(int id) {
    for (Map.Entry<String, Integer> e : schemaIds.entrySet()) {
      if (e.getValue() == id) {
        return e.getKey();
      }
    }
    return null;
  }
}
