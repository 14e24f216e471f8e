package dev.mssql2mz.config;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Which tables and columns to replicate, as Materialize's {@code CREATE SOURCE ... FOR ALL TABLES |
 * FOR TABLES (...)} with {@code EXCLUDE COLUMNS} and {@code TEXT COLUMNS}, plus {@code schemas}.
 */
public final class TableSelection implements Serializable {

  private static final long serialVersionUID = 1L;

  private final boolean allTables;
  private final List<SelectedTable> tables;
  private final List<String> schemas;
  private final List<ColumnRef> excludeColumns;
  private final List<ColumnRef> textColumns;

  public TableSelection(
      boolean allTables,
      List<SelectedTable> tables,
      List<String> schemas,
      List<ColumnRef> excludeColumns,
      List<ColumnRef> textColumns) {
    this.allTables = allTables;
    this.tables = Collections.unmodifiableList(new ArrayList<>(tables));
    this.schemas = Collections.unmodifiableList(new ArrayList<>(schemas));
    this.excludeColumns = Collections.unmodifiableList(new ArrayList<>(excludeColumns));
    this.textColumns = Collections.unmodifiableList(new ArrayList<>(textColumns));
  }

  /** Every CDC-enabled table ({@code tables: all}, the default). */
  public boolean allTables() {
    return allTables;
  }

  /** The tables listed by name (empty with {@code tables: all}). */
  public List<SelectedTable> tables() {
    return tables;
  }

  /** Schemas whose CDC-enabled tables are all selected. */
  public List<String> schemas() {
    return schemas;
  }

  public List<ColumnRef> excludeColumns() {
    return excludeColumns;
  }

  public List<ColumnRef> textColumns() {
    return textColumns;
  }

  /** Whether a discovered table is selected. */
  public boolean includes(TableRef table) {
    if (allTables) {
      return true;
    }
    for (SelectedTable t : tables) {
      if (t.table().equals(table)) {
        return true;
      }
    }
    for (String schema : schemas) {
      if (table.inSchema(schema)) {
        return true;
      }
    }
    return false;
  }

  /** The name a selected table gets in the target: its alias, else its own name. */
  public String targetName(TableRef table) {
    for (SelectedTable t : tables) {
      if (t.table().equals(table)) {
        return t.targetName();
      }
    }
    return table.table();
  }

  @Override
  public String toString() {
    return (allTables ? "all tables" : "tables " + tables + " schemas " + schemas)
        + ", exclude-columns "
        + excludeColumns
        + ", text-columns "
        + textColumns;
  }
}
