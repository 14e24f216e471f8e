package dev.mssql2mz.sqlserver;

import dev.mssql2mz.udfs.Lsn;
import java.io.Serializable;
import java.util.Comparator;
import java.util.Objects;

/**
 * The exact place of one change in SQL Server's change stream: commit LSN, command id, sequence
 * value and operation, compared in that order (the clustered order of a {@code _CT} table).
 *
 * <p>The commit LSN alone is not a resume position: one transaction can hold millions of changes
 * under one LSN, so a restart must know which of them it has already passed.
 */
public final class ChangePosition implements Comparable<ChangePosition>, Serializable {

  private static final long serialVersionUID = 1L;

  /** Command id used where SQL Server reports NULL (rows captured before the column existed). */
  public static final long NO_COMMAND_ID = -1L;

  private static final Comparator<ChangePosition> ORDER =
      Comparator.comparing(ChangePosition::commitLsn)
          .thenComparingLong(ChangePosition::commandId)
          .thenComparing(ChangePosition::seqval)
          .thenComparingInt(ChangePosition::operation);

  private final Lsn commitLsn;
  private final long commandId;
  private final Lsn seqval;
  private final int operation;

  public ChangePosition(Lsn commitLsn, long commandId, Lsn seqval, int operation) {
    this.commitLsn = Objects.requireNonNull(commitLsn, "commitLsn");
    this.commandId = commandId;
    this.seqval = Objects.requireNonNull(seqval, "seqval");
    this.operation = operation;
  }

  /**
   * The position just before every change committed after {@code lsn}: everything at or below
   * {@code lsn} counts as passed.
   */
  public static ChangePosition afterAllOf(Lsn lsn) {
    return new ChangePosition(lsn, Long.MAX_VALUE, Lsn.MAX, Integer.MAX_VALUE);
  }

  /** The position before every change of {@code lsn}: nothing at {@code lsn} has been passed. */
  public static ChangePosition beforeAllOf(Lsn lsn) {
    return new ChangePosition(lsn, Long.MIN_VALUE, Lsn.MIN, Integer.MIN_VALUE);
  }

  public Lsn commitLsn() {
    return commitLsn;
  }

  public long commandId() {
    return commandId;
  }

  public Lsn seqval() {
    return seqval;
  }

  /** SQL Server's {@code __$operation}: 1 delete, 2 insert, 3 update before, 4 update after. */
  public int operation() {
    return operation;
  }

  @Override
  public int compareTo(ChangePosition o) {
    return ORDER.compare(this, o);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ChangePosition)) {
      return false;
    }
    ChangePosition p = (ChangePosition) o;
    return commitLsn.equals(p.commitLsn)
        && commandId == p.commandId
        && seqval.equals(p.seqval)
        && operation == p.operation;
  }

  @Override
  public int hashCode() {
    return Objects.hash(commitLsn, commandId, seqval, operation);
  }

  @Override
  public String toString() {
    return commitLsn + "/" + commandId + "/" + seqval + "/" + operation;
  }
}
