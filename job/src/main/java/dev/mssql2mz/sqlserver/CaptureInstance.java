package dev.mssql2mz.sqlserver;

import dev.mssql2mz.udfs.Lsn;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One CDC capture instance ({@code cdc.change_tables} row): the source table it follows, the LSN
 * from which it holds changes, and its captured columns in {@code column_ordinal} order (the order
 * of the update mask bits).
 */
public final class CaptureInstance implements Serializable, Comparable<CaptureInstance> {

  private static final long serialVersionUID = 1L;

  private final String name;
  private final String schema;
  private final String table;
  private final Lsn startLsn;
  private final List<String> capturedColumns;

  public CaptureInstance(
      String name, String schema, String table, Lsn startLsn, List<String> capturedColumns) {
    this.name = Objects.requireNonNull(name, "name");
    this.schema = Objects.requireNonNull(schema, "schema");
    this.table = Objects.requireNonNull(table, "table");
    this.startLsn = Objects.requireNonNull(startLsn, "startLsn");
    this.capturedColumns = Collections.unmodifiableList(new ArrayList<>(capturedColumns));
  }

  /** The capture instance name, e.g. {@code dbo_orders}. */
  public String name() {
    return name;
  }

  public String schema() {
    return schema;
  }

  public String table() {
    return table;
  }

  public String qualifiedTable() {
    return schema + "." + table;
  }

  /** {@code cdc.change_tables.start_lsn}: changes at or above it are in its change table. */
  public Lsn startLsn() {
    return startLsn;
  }

  /** Captured column names in {@code column_ordinal} order (ordinal = index + 1). */
  public List<String> capturedColumns() {
    return capturedColumns;
  }

  /** Change table {@code cdc.[<name>_CT]}, quoted. */
  public String quotedChangeTable() {
    return SqlIdentifiers.quote("cdc", name + "_CT");
  }

  /** Orders by start LSN, then name: the newest instance of a table sorts last. */
  @Override
  public int compareTo(CaptureInstance o) {
    int c = startLsn.compareTo(o.startLsn);
    return c != 0 ? c : name.compareTo(o.name);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof CaptureInstance)) {
      return false;
    }
    CaptureInstance c = (CaptureInstance) o;
    return name.equals(c.name)
        && schema.equals(c.schema)
        && table.equals(c.table)
        && startLsn.equals(c.startLsn)
        && capturedColumns.equals(c.capturedColumns);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, schema, table, startLsn, capturedColumns);
  }

  @Override
  public String toString() {
    return name + " (" + qualifiedTable() + " from " + startLsn + ")";
  }
}
