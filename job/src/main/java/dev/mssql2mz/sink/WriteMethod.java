package dev.mssql2mz.sink;

/** How writers append change rows; both are single-table insert-only transactions. */
public enum WriteMethod {
  /** {@code COPY ... FROM STDIN} in text format, one statement per batch (the default). */
  COPY,
  /** Multi-row {@code INSERT ... VALUES} statements inside one transaction per batch. */
  INSERT
}
