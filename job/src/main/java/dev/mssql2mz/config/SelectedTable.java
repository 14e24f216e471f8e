package dev.mssql2mz.config;

import java.io.Serializable;
import java.util.Objects;
import java.util.Optional;

/** A table listed in {@code source.tables}, with the name it gets in the target if renamed. */
public final class SelectedTable implements Serializable {

  private static final long serialVersionUID = 1L;

  private final TableRef table;
  private final String alias;

  public SelectedTable(TableRef table, String aliasOrNull) {
    this.table = Objects.requireNonNull(table, "table");
    this.alias = aliasOrNull;
  }

  public TableRef table() {
    return table;
  }

  /** The {@code as name} of the config entry, if any. */
  public Optional<String> alias() {
    return Optional.ofNullable(alias);
  }

  /** The name of the table in the target: the alias, else the SQL Server table name. */
  public String targetName() {
    return alias != null ? alias : table.table();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SelectedTable
        && ((SelectedTable) o).table.equals(table)
        && Objects.equals(((SelectedTable) o).alias, alias);
  }

  @Override
  public int hashCode() {
    return Objects.hash(table, alias);
  }

  @Override
  public String toString() {
    return alias == null ? table.toString() : table + " as " + QualifiedNames.format(alias);
  }
}
