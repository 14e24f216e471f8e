package dev.mssql2mz.config;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

/** A column of a SQL Server table, as {@code exclude-columns} and {@code text-columns} name it. */
public final class ColumnRef implements Serializable {

  private static final long serialVersionUID = 1L;

  private final TableRef table;
  private final String column;

  public ColumnRef(TableRef table, String column) {
    this.table = Objects.requireNonNull(table, "table");
    this.column = Objects.requireNonNull(column, "column");
  }

  public TableRef table() {
    return table;
  }

  public String column() {
    return column;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ColumnRef
        && ((ColumnRef) o).table.equals(table)
        && ((ColumnRef) o).column.equalsIgnoreCase(column);
  }

  @Override
  public int hashCode() {
    return Objects.hash(table, column.toLowerCase(Locale.ROOT));
  }

  @Override
  public String toString() {
    return table + "." + QualifiedNames.format(column);
  }
}
