package dev.mssql2mz.demo.emulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The arguments of {@code sys.sp_cdc_enable_table} for {@link SqlServerEmulator#enableTable}:
 * {@code CdcTableOptions.of("dbo", "orders").captureInstance("dbo_orders_v2").capturedColumns("id",
 * "total")}.
 */
public final class CdcTableOptions {

  final String schema;
  final String table;
  String captureInstance;
  String roleName;
  String indexName;
  List<String> capturedColumns;
  boolean supportsNetChanges;

  private CdcTableOptions(String schema, String table) {
    this.schema = Objects.requireNonNull(schema, "schema");
    this.table = Objects.requireNonNull(table, "table");
  }

  /** {@code @source_schema}, {@code @source_name}. */
  public static CdcTableOptions of(String schema, String table) {
    return new CdcTableOptions(schema, table);
  }

  /** {@code @capture_instance}; default {@code <schema>_<table>}. */
  public CdcTableOptions captureInstance(String name) {
    this.captureInstance = name;
    return this;
  }

  /** {@code @role_name}; default NULL (no gating role). */
  public CdcTableOptions roleName(String name) {
    this.roleName = name;
    return this;
  }

  /** {@code @index_name}: the unique index that identifies rows; default the primary key. */
  public CdcTableOptions indexName(String name) {
    this.indexName = name;
    return this;
  }

  /** {@code @captured_column_list}; default every column. */
  public CdcTableOptions capturedColumns(String... columns) {
    this.capturedColumns = new ArrayList<>(Arrays.asList(columns));
    return this;
  }

  /** {@code @supports_net_changes}; default 0. */
  public CdcTableOptions supportsNetChanges(boolean on) {
    this.supportsNetChanges = on;
    return this;
  }
}
