package dev.mssql2mz.sqlserver;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the CDC catalog ({@code cdc.change_tables}, {@code cdc.captured_columns}, {@code
 * cdc.index_columns}) and {@code sys.*} into {@link DiscoveredTable}s: capture instances with their
 * captured columns, key columns and types.
 */
public final class CatalogDiscovery {

  private CatalogDiscovery() {}

  /** Every table with at least one capture instance, in schema and name order. */
  public static List<DiscoveredTable> discover(Connection c) throws SQLException {
    Map<String, List<String>> captured = new LinkedHashMap<>();
    for (SqlServerQueries.CapturedColumnRow r : SqlServerQueries.capturedColumns(c)) {
      captured.computeIfAbsent(r.instance(), k -> new ArrayList<>()).add(r.column());
    }
    Map<String, List<String>> indexCols = new LinkedHashMap<>();
    for (SqlServerQueries.IndexColumnRow r : SqlServerQueries.indexColumns(c)) {
      indexCols.computeIfAbsent(r.instance(), k -> new ArrayList<>()).add(r.column());
    }
    Map<String, List<CaptureInstance>> instancesByTable = new LinkedHashMap<>();
    for (SqlServerQueries.CaptureInstanceRow r : SqlServerQueries.captureInstances(c)) {
      instancesByTable
          .computeIfAbsent(key(r.schema(), r.table()), k -> new ArrayList<>())
          .add(
              new CaptureInstance(
                  r.instance(),
                  r.schema(),
                  r.table(),
                  r.startLsn(),
                  captured.getOrDefault(r.instance(), List.of())));
    }
    Map<String, List<SourceColumn>> columns = new LinkedHashMap<>();
    for (SqlServerQueries.ColumnRow r : SqlServerQueries.columnsOfCapturedTables(c)) {
      columns
          .computeIfAbsent(key(r.schema(), r.table()), k -> new ArrayList<>())
          .add(
              new SourceColumn(
                  r.column(),
                  r.type(),
                  r.maxLength(),
                  r.precision(),
                  r.scale(),
                  r.nullable(),
                  false));
    }
    Map<String, List<String>> pks = new LinkedHashMap<>();
    for (SqlServerQueries.KeyColumnRow r : SqlServerQueries.primaryKeyColumns(c)) {
      pks.computeIfAbsent(key(r.schema(), r.table()), k -> new ArrayList<>()).add(r.column());
    }
    List<DiscoveredTable> out = new ArrayList<>();
    for (Map.Entry<String, List<CaptureInstance>> e : instancesByTable.entrySet()) {
      List<CaptureInstance> instances = new ArrayList<>(e.getValue());
      Collections.sort(instances);
      CaptureInstance first = instances.get(0);
      Map<String, List<String>> idx = new LinkedHashMap<>();
      for (CaptureInstance i : instances) {
        idx.put(i.name(), indexCols.getOrDefault(i.name(), List.of()));
      }
      out.add(
          new DiscoveredTable(
              first.schema(),
              first.table(),
              columns.getOrDefault(e.getKey(), List.of()),
              pks.getOrDefault(e.getKey(), List.of()),
              instances,
              idx));
    }
    out.sort((a, b) -> a.qualifiedName().compareTo(b.qualifiedName()));
    return out;
  }

  private static String key(String schema, String table) {
    return schema + "\u0000" + table;
  }
}
