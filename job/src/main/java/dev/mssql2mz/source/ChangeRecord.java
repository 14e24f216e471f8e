package dev.mssql2mz.source;

import dev.mssql2mz.sqlserver.ChangePosition;
import dev.mssql2mz.udfs.Lsn;
import java.util.Arrays;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

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
 *
 * <p><b>Progress markers.</b> Besides rows the same stream carries markers made by {@link
 * #progress(Lsn, int, int)}: "source subtask {@code s} of {@code n} has emitted every change with
 * commit LSN at or below {@code lsn} that it will ever emit". Each source subtask emits one at
 * least once per checkpoint interval (also when idle: that is how the target's progress advances on
 * a quiet database), with non-decreasing LSNs. The sink broadcasts markers to all its writers; at
 * each checkpoint the committed LSN becomes the minimum over the {@code n} subtasks' latest
 * markers, and rows above it stay invisible in the target until a later checkpoint commits a higher
 * LSN. So a marker must never claim an LSN whose changes (in any table, including snapshot chunks
 * still to be read) this subtask may still emit. A job without markers commits data but never makes
 * it visible.
 */
@TypeInfo(ChangeRecordTypeInfoFactory.class)
public final class ChangeRecord {

  /** The {@link #table()} of progress markers. */
  public static final String PROGRESS_TABLE = "";

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
   * A progress marker: source subtask {@code sourceSubtask} of {@code sourceParallelism} will emit
   * no more changes with a commit LSN at or below {@code completeUpTo}.
   */
  public static ChangeRecord progress(Lsn completeUpTo, int sourceSubtask, int sourceParallelism) {
    if (sourceSubtask < 0 || sourceSubtask >= sourceParallelism) {
      throw new IllegalArgumentException(
          "Source subtask " + sourceSubtask + " is not in 0.." + (sourceParallelism - 1));
    }
    return new ChangeRecord(
        PROGRESS_TABLE,
        ChangeOperation.PROGRESS,
        ChangePosition.afterAllOf(completeUpTo),
        new Object[] {sourceSubtask, sourceParallelism});
  }

  /** Whether this is a progress marker rather than a row. */
  public boolean isProgress() {
    return operation == ChangeOperation.PROGRESS;
  }

  /** The LSN a progress marker declares complete. */
  public Lsn completeUpTo() {
    return position.commitLsn();
  }

  /** The emitting source subtask of a progress marker. */
  public int progressSubtask() {
    return (Integer) values[0];
  }

  /** The source parallelism a progress marker was emitted at. */
  public int progressParallelism() {
    return (Integer) values[1];
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
