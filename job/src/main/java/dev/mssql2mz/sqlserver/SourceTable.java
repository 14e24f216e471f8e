package dev.mssql2mz.sqlserver;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A selected source table as the rest of the job sees it: its SQL Server name, the name it gets in
 * the target, its captured columns in order, and its key columns (primary key, else the capture
 * instance's unique index; empty for keyless tables).
 */
public final class SourceTable implements Serializable {

  private static final long serialVersionUID = 1L;

  private final String schema;
  private final String name;
  private final String targetName;
  private final List<SourceColumn> columns;
  private final List<String> keyColumns;

  public SourceTable(
      String schema,
      String name,
      String targetName,
      List<SourceColumn> columns,
      List<String> keyColumns) {
    this.schema = Objects.requireNonNull(schema, "schema");
    this.name = Objects.requireNonNull(name, "name");
    this.targetName = Objects.requireNonNull(targetName, "targetName");
    this.columns = Collections.unmodifiableList(new ArrayList<>(columns));
    this.keyColumns = Collections.unmodifiableList(new ArrayList<>(keyColumns));
  }

  public String schema() {
    return schema;
  }

  public String name() {
    return name;
  }

  /** {@code schema.name}, unquoted, for messages. */
  public String qualifiedName() {
    return schema + "." + name;
  }

  /** The table's name in the target: its alias, or the SQL Server table name. */
  public String targetName() {
    return targetName;
  }

  public List<SourceColumn> columns() {
    return columns;
  }

  public List<String> keyColumns() {
    return keyColumns;
  }

  /** Names of the columns declared NOT NULL. */
  public Set<String> notNullColumns() {
    Set<String> out = new HashSet<>();
    for (SourceColumn c : columns) {
      if (!c.nullable()) {
        out.add(c.name());
      }
    }
    return out;
  }

  public boolean hasKey() {
    return !keyColumns.isEmpty();
  }

  /** The position of a column in {@link #columns()}, or -1. */
  public int columnIndex(String column) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(column)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SourceTable)) {
      return false;
    }
    SourceTable t = (SourceTable) o;
    return schema.equals(t.schema)
        && name.equals(t.name)
        && targetName.equals(t.targetName)
        && columns.equals(t.columns)
        && keyColumns.equals(t.keyColumns);
  }

  @Override
  public int hashCode() {
    return Objects.hash(schema, name, targetName, columns, keyColumns);
  }

  @Override
  public String toString() {
    return qualifiedName() + " as " + targetName + " " + columns + " key " + keyColumns;
  }
}
