package dev.mssql2mz.sink;

import dev.mssql2mz.udfs.Lsn;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One checkpoint's commit, formed by the epoch aggregator from every writer's {@link WriterResult}:
 * the epoch (the checkpoint id), the LSN at which every table is complete (null when not every
 * writer knew one: the committed LSN then stays where it is), and what was written. Stored in the
 * committer's state until the target has it, and committed idempotently.
 */
public final class EpochCommittable {

  private final long epoch;
  private final Lsn lsn;
  private final int writers;
  private final long rows;
  private final long bytes;
  private final Set<String> tables;

  public EpochCommittable(
      long epoch, Lsn lsn, int writers, long rows, long bytes, Set<String> tables) {
    this.epoch = epoch;
    this.lsn = lsn;
    this.writers = writers;
    this.rows = rows;
    this.bytes = bytes;
    this.tables = Collections.unmodifiableSet(new TreeSet<>(tables));
  }

  public long epoch() {
    return epoch;
  }

  /** Null when the committed LSN does not advance with this epoch. */
  public Lsn lsn() {
    return lsn;
  }

  public int writers() {
    return writers;
  }

  public long rows() {
    return rows;
  }

  public long bytes() {
    return bytes;
  }

  public Set<String> tables() {
    return tables;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof EpochCommittable)) {
      return false;
    }
    EpochCommittable c = (EpochCommittable) o;
    return epoch == c.epoch
        && Objects.equals(lsn, c.lsn)
        && writers == c.writers
        && rows == c.rows
        && bytes == c.bytes
        && tables.equals(c.tables);
  }

  @Override
  public int hashCode() {
    return Objects.hash(epoch, lsn, writers, rows, bytes, tables);
  }

  @Override
  public String toString() {
    return "epoch " + epoch + " LSN " + lsn + ", " + rows + " rows from " + writers + " writers";
  }
}
