package dev.mssql2mz.sink;

import dev.mssql2mz.sqlserver.SourceTable;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything the target holds for one source: its schema, tables and progress relation. */
public final class TargetModel implements Serializable {

  private static final long serialVersionUID = 1L;

  private final String schema;
  private final String sourceName;
  private final Map<String, TableModel> tables;

  TargetModel(String schema, String sourceName, List<SourceTable> sourceTables) {
    this.schema = schema;
    this.sourceName = sourceName;
    Map<String, TableModel> byName = new LinkedHashMap<>();
    for (SourceTable t : sourceTables) {
      TableModel m = new TableModel(t);
      if (byName.put(m.name(), m) != null) {
        throw new IllegalArgumentException(
            "Two source tables map to the target name "
                + m.name()
                + ". Give one of them an alias (tables: - name: "
                + t.qualifiedName()
                + " alias: ...).");
      }
    }
    TableModel.checkLength(progressRelation());
    this.tables = Collections.unmodifiableMap(byName);
  }

  public String schema() {
    return schema;
  }

  public String sourceName() {
    return sourceName;
  }

  /** {@code <source>_progress}: one row per committed epoch. */
  public String progressRelation() {
    return sourceName + "_progress";
  }

  public List<TableModel> tables() {
    return new ArrayList<>(tables.values());
  }

  /** The table with target name {@code name}, or null. */
  public TableModel table(String name) {
    return tables.get(name);
  }
}
