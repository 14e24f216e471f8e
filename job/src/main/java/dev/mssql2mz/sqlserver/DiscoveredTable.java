package dev.mssql2mz.sqlserver;

import java.util.List;
import java.util.Map;

/**
 * A CDC-enabled table as the catalog describes it, before selection: all its columns, its primary
 * key, its capture instances (oldest first) and each instance's index columns.
 */
public record DiscoveredTable(
    String schema,
    String name,
    List<SourceColumn> columns,
    List<String> primaryKey,
    List<CaptureInstance> instances,
    Map<String, List<String>> indexColumnsByInstance) {

  public String qualifiedName() {
    return schema + "." + name;
  }

  public SourceColumn column(String columnName) {
    for (SourceColumn c : columns) {
      if (c.name().equals(columnName)) {
        return c;
      }
    }
    return null;
  }

  public CaptureInstance newestInstance() {
    return instances.get(instances.size() - 1);
  }
}
