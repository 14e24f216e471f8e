package dev.mssql2mz.sink;

import dev.mssql2mz.udfs.Lsn;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one writer did in one checkpoint interval, sent to the epoch aggregator: the epoch tag its
 * change rows carry, the latest progress marker of each source subtask it has received (the
 * aggregator combines them over all writers), and what it wrote.
 */
public final class WriterResult {

  private final int subtask;
  private final long epochTag;
  private final int sourceParallelism;
  private final Map<Integer, Lsn> markers;
  private final long rows;
  private final long bytes;
  private final Set<String> tables;

  public WriterResult(
      int subtask,
      long epochTag,
      int sourceParallelism,
      Map<Integer, Lsn> markers,
      long rows,
      long bytes,
      Set<String> tables) {
    this.subtask = subtask;
    this.epochTag = epochTag;
    this.sourceParallelism = sourceParallelism;
    this.markers = Collections.unmodifiableMap(new TreeMap<>(markers));
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

  /** The source parallelism of the markers, -1 before the first marker. */
  public int sourceParallelism() {
    return sourceParallelism;
  }

  /** The latest marker of each source subtask this writer received. */
  public Map<Integer, Lsn> markers() {
    return markers;
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

  /** This result and a later one of the same writer, as one (the later markers win). */
  WriterResult merge(WriterResult later) {
    Set<String> all = new TreeSet<>(tables);
    all.addAll(later.tables);
    return new WriterResult(
        subtask,
        Math.max(epochTag, later.epochTag),
        later.sourceParallelism,
        later.markers,
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
        && sourceParallelism == r.sourceParallelism
        && markers.equals(r.markers)
        && rows == r.rows
        && bytes == r.bytes
        && tables.equals(r.tables);
  }

  @Override
  public int hashCode() {
    return Objects.hash(subtask, epochTag, sourceParallelism, markers, rows, bytes, tables);
  }

  @Override
  public String toString() {
    return "writer "
        + subtask
        + " epoch tag "
        + epochTag
        + " markers "
        + markers
        + ", "
        + rows
        + " rows in "
        + tables;
  }
}
