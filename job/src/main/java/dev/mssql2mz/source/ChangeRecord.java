package dev.mssql2mz.source;

import dev.mssql2mz.sqlserver.ChangePosition;
import java.util.Arrays;
import java.util.Objects;

/**
 * One row-level change leaving the source: which table, what happened, where in the change stream
 * it stands, and the row's values exactly as SQL Server holds them, in the order of the table's
 * {@link dev.mssql2mz.sqlserver.SourceTable#columns()}. The sink converts them to the target's
 * types with {@code dev.mssql2mz.transform}.
 *
 * <p>Source values use these Java types (null for SQL NULL): {@code tinyint}, {@code smallint}:
 * Short; {@code int}: Integer; {@code bigint}: Long; {@code bit}: Boolean; {@code real}: Float;
 * {@code float}: Double; {@code decimal}, {@code numeric}, {@code money}, {@code smallmoney}:
 * BigDecimal; {@code date}: LocalDate; {@code time}: LocalTime (all 7 digits); {@code datetime},
 * {@code datetime2}, {@code smalldatetime}: LocalDateTime (as stored); {@code datetimeoffset}:
 * OffsetDateTime (offset as stored); character types, {@code json}, {@code xml}: String; binary
 * types: byte[]; {@code uniqueidentifier}: UUID (in its canonical text order). Columns in {@code
 * TEXT COLUMNS} hold String whatever their type.
 *
 * <p>Snapshot rows carry the position {@link ChangePosition#afterAllOf} of their chunk's LSN.
 */
public final class ChangeRecord {

  private final String table;
  private final ChangeOperation operation;
  private final ChangePosition position;
  private final Object[] values;

  public ChangeRecord(
      String table, ChangeOperation operation, ChangePosition position, Object[] values) {
    this.table = Objects.requireNonNull(table, "table");
    this.operation = Objects.requireNonNull(operation, "operation");
    this.position = Objects.requireNonNull(position, "position");
    this.values = Objects.requireNonNull(values, "values");
  }

  /**
   * A progress marker ({@link ChangeOperation#PROGRESS}): every change with commit LSN at or below
   * {@code lsn} has been emitted.
   */
  public static ChangeRecord progress(dev.mssql2mz.udfs.Lsn lsn) {
    return new ChangeRecord(
        "", ChangeOperation.PROGRESS, ChangePosition.afterAllOf(lsn), new Object[0]);
  }

  /** Whether this is a progress marker rather than a row. */
  public boolean isProgress() {
    return operation == ChangeOperation.PROGRESS;
  }

  /** The target name of the table (its alias, or {@code schema.table}). */
  public String table() {
    return table;
  }

  public ChangeOperation operation() {
    return operation;
  }

  /** +1 or -1, see {@link ChangeOperation#diff()}. */
  public int diff() {
    return operation.diff();
  }

  public ChangePosition position() {
    return position;
  }

  /** The converted column values; the array is shared, not copied. */
  public Object[] values() {
    return values;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ChangeRecord)) {
      return false;
    }
    ChangeRecord r = (ChangeRecord) o;
    return table.equals(r.table)
        && operation == r.operation
        && position.equals(r.position)
        && Arrays.deepEquals(values, r.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(table, operation, position) * 31 + Arrays.deepHashCode(values);
  }

  @Override
  public String toString() {
    return table + " " + operation + " @" + position + " " + Arrays.deepToString(values);
  }
}
