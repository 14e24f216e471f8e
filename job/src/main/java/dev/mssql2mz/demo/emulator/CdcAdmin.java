package dev.mssql2mz.demo.emulator;

import dev.mssql2mz.udfs.Lsn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The DBA's side of CDC: {@code sp_cdc_enable_db}, {@code sp_cdc_enable_table} (capture instance,
 * captured column list, index, role, at most two instances per table), their disabling, the capture
 * job switch, and cleanup. Keeps {@code cdc.change_tables}, {@code cdc.captured_columns}, {@code
 * cdc.index_columns} and the {@code _CT} tables in step with the capture's in-memory view.
 */
final class CdcAdmin {

  private final SqlServerEmulator emulator;
  private final Map<ObjectName, TrackedTable> tracked = new ConcurrentHashMap<>();
  private final Map<String, CaptureInstance> instances = new ConcurrentHashMap<>();

  CdcAdmin(SqlServerEmulator emulator) {
    this.emulator = emulator;
  }

  SqlServerEmulator emulator() {
    return emulator;
  }

  TrackedTable tracked(ObjectName table) {
    return tracked.get(table);
  }

  CaptureInstance instance(String name) {
    return name == null ? null : instances.get(name.toLowerCase(Locale.ROOT));
  }

  Collection<CaptureInstance> instances() {
    return instances.values();
  }

  synchronized void enableDatabase() {
    emulator.setCdcEnabled(true);
  }

  synchronized void disableDatabase() throws SQLException {
    for (CaptureInstance ci : new ArrayList<>(instances.values())) {
      disableTable(ci.source, ci.name);
    }
    try (Connection h2 = emulator.h2Connection();
        Statement s = h2.createStatement()) {
      s.execute("DELETE FROM cdc.lsn_time_mapping");
      s.execute("DELETE FROM sys.dm_cdc_log_scan_sessions");
      h2.commit();
    }
    emulator.setCdcEnabled(false);
  }

  /** {@code sys.sp_cdc_enable_table}; returns the capture instance name. */
  synchronized String enableTable(CdcTableOptions o) throws SQLException {
    if (!emulator.isCdcEnabled()) {
      throw SqlServerErrors.databaseNotCdcEnabled(emulator.database());
    }
    try (Connection h2 = emulator.h2Connection()) {
      ObjectName source = resolve(h2, o.schema, o.table);
      LinkedHashMap<String, SqlServerType> all = columns(h2, source);
      String name =
          o.captureInstance != null ? o.captureInstance : source.schema() + "_" + source.name();
      if (instance(name) != null) {
        throw SqlServerErrors.captureInstanceExists(name);
      }
      TrackedTable table = tracked.get(source);
      if (table != null && table.instances.size() >= 2) {
        throw SqlServerErrors.tooManyCaptureInstances(source.toString());
      }
      List<String> captured = new ArrayList<>();
      List<String> requested = new ArrayList<>();
      if (o.capturedColumns != null) {
        for (String c : o.capturedColumns) {
          requested.add(ObjectName.unquoteIfQuoted(c).toLowerCase(Locale.ROOT));
        }
      }
      for (String c : all.keySet()) {
        if (o.capturedColumns == null || requested.remove(c.toLowerCase(Locale.ROOT))) {
          captured.add(c);
        }
      }
      if (!requested.isEmpty()) {
        throw SqlServerErrors.cdcError(
            22935,
            "Column '"
                + requested.get(0)
                + "' specified in @captured_column_list is not a column of"
                + " source table '"
                + source
                + "'.");
      }
      List<String> index = indexColumns(h2, source, o.indexName);
      if (o.supportsNetChanges && index.isEmpty()) {
        throw SqlServerErrors.cdcError(
            22939,
            "The parameter @supports_net_changes is set to 1, but the source table '"
                + source
                + "' does not have a primary key defined and no alternate unique index has been"
                + " specified.");
      }
      for (String k : index) {
        if (!captured.contains(k)) {
          throw SqlServerErrors.cdcError(
              22945,
              "Could not create a capture instance: index column '"
                  + k
                  + "' must be in @captured_column_list.");
        }
      }
      List<String> layout = new ArrayList<>(all.keySet());
      List<CaptureInstance.Column> cols = new ArrayList<>();
      for (String c : captured) {
        cols.add(new CaptureInstance.Column(c, cols.size() + 1, layout.indexOf(c) + 1, all.get(c)));
      }
      Lsn start = emulator.log().logEmptyTransaction();
      ObjectName ct = new ObjectName("cdc", name + "_CT");
      EmulatorCatalog catalog = emulator.catalog();
      CaptureInstance ci =
          new CaptureInstance(
              name,
              source,
              catalog.objectId(ct),
              catalog.objectId(source),
              cols,
              index,
              o.indexName,
              o.roleName,
              o.supportsNetChanges,
              Instant.now(),
              start);
      createChangeTable(h2, ci);
      writeCatalogRows(h2, ci);
      if (table == null) {
        table = new TrackedTable(source, layout.toArray(new String[0]));
        tracked.put(source, table);
        try (Statement s = h2.createStatement()) {
          s.execute(
              "CREATE TRIGGER "
                  + ObjectName.quote(source.schema())
                  + "."
                  + ObjectName.quote("cdc_capture_" + source.name())
                  + " AFTER INSERT, UPDATE, DELETE ON "
                  + source.quoted()
                  + " FOR EACH ROW CALL \""
                  + CaptureTrigger.class.getName()
                  + "\"");
        }
      }
      table.instances.add(ci);
      instances.put(name.toLowerCase(Locale.ROOT), ci);
      h2.commit();
      return name;
    }
  }

  /** {@code sys.sp_cdc_disable_table}; {@code instance} null or {@code all} disables every one. */
  synchronized void disableTable(ObjectName source, String instance) throws SQLException {
    TrackedTable table = tracked.get(source);
    if (table == null) {
      return;
    }
    try (Connection h2 = emulator.h2Connection();
        Statement s = h2.createStatement()) {
      for (CaptureInstance ci : new ArrayList<>(table.instances)) {
        if (instance != null
            && !instance.equalsIgnoreCase("all")
            && !ci.name.equalsIgnoreCase(instance)) {
          continue;
        }
        table.instances.remove(ci);
        instances.remove(ci.name.toLowerCase(Locale.ROOT));
        s.execute("DELETE FROM cdc.captured_columns WHERE object_id = " + ci.objectId);
        s.execute("DELETE FROM cdc.index_columns WHERE object_id = " + ci.objectId);
        s.execute("DELETE FROM cdc.change_tables WHERE object_id = " + ci.objectId);
        s.execute("DROP TABLE IF EXISTS " + ci.changeTable().quoted());
      }
      if (table.instances.isEmpty()) {
        tracked.remove(source);
        s.execute(
            "DROP TRIGGER IF EXISTS "
                + ObjectName.quote(source.schema())
                + "."
                + ObjectName.quote("cdc_capture_" + source.name()));
      }
      h2.commit();
    }
  }

  /**
   * Deletes the change rows of {@code instance} below {@code lowWaterMark} and raises its start
   * LSN, as SQL Server's cleanup job does. The mark cannot pass what capture has processed.
   */
  synchronized void cleanup(String instance, Lsn lowWaterMark) throws SQLException {
    CaptureInstance ci = instance(instance);
    if (ci == null) {
      throw SqlServerErrors.cdcError(
          22958, "Could not find a capture instance named '" + instance + "'.");
    }
    Lsn max = emulator.maxLsn();
    if (lowWaterMark.isAfter(max)) {
      throw SqlServerErrors.cdcError(
          22964,
          "LSN "
              + lowWaterMark
              + ", specified as the new low endpoint for the change table"
              + " associated with capture instance '"
              + ci.name
              + "', is not within the Change Data"
              + " Capture timeline ["
              + ci.startLsn()
              + ", "
              + max
              + "].");
    }
    if (!lowWaterMark.isAfter(ci.startLsn())) {
      return;
    }
    try (Connection h2 = emulator.h2Connection()) {
      try (PreparedStatement del =
          h2.prepareStatement(
              "DELETE FROM " + ci.changeTable().quoted() + " WHERE \"__$start_lsn\" < ?")) {
        del.setBytes(1, lowWaterMark.toBytes());
        del.executeUpdate();
      }
      try (PreparedStatement up =
          h2.prepareStatement("UPDATE cdc.change_tables SET start_lsn = ? WHERE object_id = ?")) {
        up.setBytes(1, lowWaterMark.toBytes());
        up.setInt(2, ci.objectId);
        up.executeUpdate();
      }
      ci.setStartLsn(lowWaterMark);
      Lsn lowest = lowWaterMark;
      for (CaptureInstance other : instances.values()) {
        lowest = Lsn.min(lowest, other.startLsn());
      }
      try (PreparedStatement del =
          h2.prepareStatement(
              "DELETE FROM cdc.lsn_time_mapping WHERE start_lsn < ? AND start_lsn <"
                  + " (SELECT MAX(start_lsn) FROM cdc.lsn_time_mapping)")) {
        del.setBytes(1, lowest.toBytes());
        del.executeUpdate();
      }
      h2.commit();
    }
  }

  /**
   * Re-reads the column layout of tracked tables after DDL (the trigger's row arrays follow it).
   */
  void refreshLayouts() throws SQLException {
    if (tracked.isEmpty()) {
      return;
    }
    try (Connection h2 = emulator.h2Connection()) {
      for (TrackedTable t : tracked.values()) {
        t.setLayout(columns(h2, t.name).keySet().toArray(new String[0]));
      }
    }
  }

  private ObjectName resolve(Connection h2, String schema, String table) throws SQLException {
    try (PreparedStatement ps =
        h2.prepareStatement(
            "SELECT TABLE_SCHEMA, TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE"
                + " LOWER(TABLE_SCHEMA) = LOWER(?) AND LOWER(TABLE_NAME) = LOWER(?)"
                + " AND TABLE_TYPE = 'BASE TABLE'")) {
      ps.setString(1, ObjectName.unquoteIfQuoted(schema));
      ps.setString(2, ObjectName.unquoteIfQuoted(table));
      try (ResultSet r = ps.executeQuery()) {
        if (!r.next()) {
          throw SqlServerErrors.cdcError(
              22931,
              "Source table '"
                  + schema
                  + "."
                  + table
                  + "' does not exist in the current database."
                  + " Ensure that the correct database context is set. Specify a valid schema and"
                  + " table name for the database.");
        }
        return new ObjectName(r.getString(1), r.getString(2));
      }
    }
  }

  /** The table's columns in order with their SQL Server types. */
  LinkedHashMap<String, SqlServerType> columns(Connection h2, ObjectName table)
      throws SQLException {
    LinkedHashMap<String, SqlServerType> out = new LinkedHashMap<>();
    try (PreparedStatement ps =
        h2.prepareStatement(
            "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, DATA_TYPE,"
                + " CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION"
                + " FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"
                + " ORDER BY ORDINAL_POSITION")) {
      ps.setString(1, table.schema());
      ps.setString(2, table.name());
      try (ResultSet r = ps.executeQuery()) {
        while (r.next()) {
          out.put(r.getString(3), CatalogFunctions.typeOf(emulator.catalog(), table, r));
        }
      }
    }
    return out;
  }

  private List<String> indexColumns(Connection h2, ObjectName table, String indexName)
      throws SQLException {
    String sql =
        indexName == null
            ? "SELECT k.COLUMN_NAME FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS c"
                + " JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE k ON k.CONSTRAINT_SCHEMA ="
                + " c.CONSTRAINT_SCHEMA AND k.CONSTRAINT_NAME = c.CONSTRAINT_NAME"
                + " WHERE c.TABLE_SCHEMA = ? AND c.TABLE_NAME = ? AND c.CONSTRAINT_TYPE ="
                + " 'PRIMARY KEY' ORDER BY k.ORDINAL_POSITION"
            : "SELECT ic.COLUMN_NAME FROM INFORMATION_SCHEMA.INDEX_COLUMNS ic"
                + " LEFT JOIN INFORMATION_SCHEMA.TABLE_CONSTRAINTS c ON c.INDEX_SCHEMA ="
                + " ic.INDEX_SCHEMA AND c.INDEX_NAME = ic.INDEX_NAME"
                + " WHERE ic.TABLE_SCHEMA = ? AND ic.TABLE_NAME = ? AND (LOWER(ic.INDEX_NAME) ="
                + " LOWER(?) OR LOWER(c.CONSTRAINT_NAME) = LOWER(?)) AND ic.IS_UNIQUE"
                + " ORDER BY ic.ORDINAL_POSITION";
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = h2.prepareStatement(sql)) {
      ps.setString(1, table.schema());
      ps.setString(2, table.name());
      if (indexName != null) {
        ps.setString(3, indexName);
        ps.setString(4, indexName);
      }
      try (ResultSet r = ps.executeQuery()) {
        while (r.next()) {
          out.add(r.getString(1));
        }
      }
    }
    if (indexName != null && out.isEmpty()) {
      throw SqlServerErrors.cdcError(
          22940,
          "Could not locate unique index '" + indexName + "' on source table '" + table + "'.");
    }
    return out;
  }

  private static String primaryKeyName(Connection h2, ObjectName table) throws SQLException {
    try (PreparedStatement ps =
        h2.prepareStatement(
            "SELECT CONSTRAINT_NAME FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = ?"
                + " AND TABLE_NAME = ? AND CONSTRAINT_TYPE = 'PRIMARY KEY'")) {
      ps.setString(1, table.schema());
      ps.setString(2, table.name());
      try (ResultSet r = ps.executeQuery()) {
        return r.next() ? r.getString(1) : null;
      }
    }
  }

  private void createChangeTable(Connection h2, CaptureInstance ci) throws SQLException {
    ObjectName ct = ci.changeTable();
    StringBuilder ddl =
        new StringBuilder("CREATE TABLE ")
            .append(ct.quoted())
            .append(" (")
            .append("\"__$start_lsn\" BINARY(10) NOT NULL, \"__$end_lsn\" BINARY(10),")
            .append(" \"__$seqval\" BINARY(10) NOT NULL, \"__$operation\" INTEGER NOT NULL,")
            .append(" \"__$update_mask\" BINARY VARYING(128)");
    EmulatorCatalog catalog = emulator.catalog();
    catalog.declare(ct, "__$start_lsn", SqlServerType.parse("binary", "10"));
    catalog.declare(ct, "__$end_lsn", SqlServerType.parse("binary", "10"));
    catalog.declare(ct, "__$seqval", SqlServerType.parse("binary", "10"));
    catalog.declare(ct, "__$operation", SqlServerType.parse("int", null));
    catalog.declare(ct, "__$update_mask", SqlServerType.parse("varbinary", "128"));
    for (CaptureInstance.Column c : ci.columns) {
      ddl.append(", ").append(ObjectName.quote(c.name)).append(' ').append(c.type.h2Type());
      catalog.declare(ct, c.name, c.type);
    }
    ddl.append(", \"__$command_id\" INTEGER)");
    catalog.declare(ct, "__$command_id", SqlServerType.parse("int", null));
    try (Statement s = h2.createStatement()) {
      s.execute(ddl.toString());
      s.execute(
          "CREATE INDEX "
              + ObjectName.quote(ci.name + "_CT_clustered_idx")
              + " ON "
              + ct.quoted()
              + " (\"__$start_lsn\", \"__$command_id\", \"__$seqval\", \"__$operation\")");
    }
  }

  private void writeCatalogRows(Connection h2, CaptureInstance ci) throws SQLException {
    try (PreparedStatement ps =
        h2.prepareStatement(
            "INSERT INTO cdc.change_tables (object_id, version, source_object_id, capture_instance,"
                + " start_lsn, end_lsn, supports_net_changes, has_drop_pending, role_name,"
                + " index_name, filegroup_name, create_date, partition_switch)"
                + " VALUES (?, 0, ?, ?, ?, NULL, ?, NULL, ?, ?, NULL, ?, FALSE)")) {
      ps.setInt(1, ci.objectId);
      ps.setInt(2, ci.sourceObjectId);
      ps.setString(3, ci.name);
      ps.setBytes(4, ci.startLsn().toBytes());
      ps.setBoolean(5, ci.supportsNetChanges);
      ps.setString(6, ci.roleName);
      ps.setString(7, ci.indexName != null ? ci.indexName : primaryKeyName(h2, ci.source));
      ps.setTimestamp(8, Timestamp.from(ci.createDate));
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        h2.prepareStatement(
            "INSERT INTO cdc.captured_columns (object_id, column_name, column_id, column_type,"
                + " column_ordinal, is_computed) VALUES (?, ?, ?, ?, ?, FALSE)")) {
      for (CaptureInstance.Column c : ci.columns) {
        ps.setInt(1, ci.objectId);
        ps.setString(2, c.name);
        ps.setInt(3, c.columnId);
        ps.setString(4, c.type.name());
        ps.setInt(5, c.ordinal);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    try (PreparedStatement ps =
        h2.prepareStatement(
            "INSERT INTO cdc.index_columns (object_id, column_name, index_ordinal, column_id)"
                + " VALUES (?, ?, ?, ?)")) {
      int ordinal = 1;
      for (String k : ci.indexColumns) {
        int columnId = 0;
        for (CaptureInstance.Column c : ci.columns) {
          if (c.name.equals(k)) {
            columnId = c.columnId;
          }
        }
        ps.setInt(1, ci.objectId);
        ps.setString(2, k);
        ps.setInt(3, ordinal++);
        ps.setInt(4, columnId);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
