package dev.mssql2mz.sink;

import dev.mssql2mz.udfs.Lsn;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one writer did in one checkpoint interval, sent to the epoch aggregator: the epoch tag its
 * change rows carry, the LSN up to which its progress markers say every source subtask is complete
 * (null until it has heard from all), and what it wrote.
 */
public final class WriterResult {

  private final int subtask;
  private final long epochTag;
  private final Lsn completeUpTo;
  private final long rows;
  private final long bytes;
  private final Set<String> tables;

  public WriterResult(
      int subtask, long epochTag, Lsn completeUpTo, long rows, long bytes, Set<String> tables) {
    this.subtask = subtask;
    this.epochTag = epochTag;
    this.completeUpTo = completeUpTo;
    this.rows = rows;
    this.bytes = bytes;
    this.tables = Collections.unmodifiableSet(new TreeSet<>(tables));
  }

  public int subtask() {
    return subtask;
  }

  /** The {@code _epoch} value of the rows written (the last checkpoint id + 1). */
  public long epochTag() {
    return epochTag;
  }

  /** Null when this writer has not yet seen a progress marker of every source subtask. */
  public Lsn completeUpTo() {
    return completeUpTo;
  }

  public long rows() {
    return rows;
  }

  public long bytes() {
    return bytes;
  }

  /** Target names of the tables written to. */
  public Set<String> tables() {
    return tables;
  }

  /** This result and a later one of the same writer, as one. */
  WriterResult merge(WriterResult later) {
    Set<String> all = new TreeSet<>(tables);
    all.addAll(later.tables);
    Lsn lsn = completeUpTo;
    if (later.completeUpTo != null && (lsn == null || later.completeUpTo.compareTo(lsn) > 0)) {
      lsn = later.completeUpTo;
    }
    return new WriterResult(
        subtask,
        Math.max(epochTag, later.epochTag),
        lsn,
        rows + later.rows,
        bytes + later.bytes,
        all);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof WriterResult)) {
      return false;
    }
    WriterResult r = (WriterResult) o;
    return subtask == r.subtask
        && epochTag == r.epochTag
        && Objects.equals(completeUpTo, r.completeUpTo)
        && rows == r.rows
        && bytes == r.bytes
        && tables.equals(r.tables);
  }

  @Override
  public int hashCode() {
    return Objects.hash(subtask, epochTag, completeUpTo, rows, bytes, tables);
  }

  @Override
  public String toString() {
    return "writer "
        + subtask
        + " epoch tag "
        + epochTag
        + " complete up to "
        + completeUpTo
        + ", "
        + rows
        + " rows in "
        + tables;
  }
}
