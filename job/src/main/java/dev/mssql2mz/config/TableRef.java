package dev.mssql2mz.config;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

/**
 * A SQL Server table named by schema and table. Names compare case-insensitively, as in SQL
 * Server's default collations.
 */
public final class TableRef implements Serializable {

  private static final long serialVersionUID = 1L;

  private final String schema;
  private final String table;

  public TableRef(String schema, String table) {
    this.schema = Objects.requireNonNull(schema, "schema");
    this.table = Objects.requireNonNull(table, "table");
  }

  /**
   * Parses {@code schema.table}, either part quoted with {@code [..]} or {@code "..."} when it is
   * not a plain identifier.
   *
   * @throws IllegalArgumentException saying what is wrong with the name
   */
  public static TableRef parse(String text) {
    return QualifiedNames.table(text);
  }

  public String schema() {
    return schema;
  }

  public String table() {
    return table;
  }

  /** Whether this table lies in {@code schemaName} (case-insensitively). */
  public boolean inSchema(String schemaName) {
    return schema.equalsIgnoreCase(schemaName);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TableRef
        && ((TableRef) o).schema.equalsIgnoreCase(schema)
        && ((TableRef) o).table.equalsIgnoreCase(table);
  }

  @Override
  public int hashCode() {
    return Objects.hash(schema.toLowerCase(Locale.ROOT), table.toLowerCase(Locale.ROOT));
  }

  /** {@code schema.table}, as written in the config. */
  @Override
  public String toString() {
    return QualifiedNames.format(schema) + "." + QualifiedNames.format(table);
  }
}
