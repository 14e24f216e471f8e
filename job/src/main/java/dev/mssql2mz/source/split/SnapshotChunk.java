package dev.mssql2mz.source.split;

import dev.mssql2mz.sqlserver.CapturedTable;
import dev.mssql2mz.sqlserver.ChangePosition;
import dev.mssql2mz.sqlserver.SourceColumn;
import dev.mssql2mz.udfs.Lsn;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A key range {@code [lower, upper)} of one table, read at one exact LSN (null bounds are open;
 * keyless tables have one chunk without bounds).
 *
 * <p>Progress inside the chunk, for a restore without loss or repetition: {@code prefixAt} is the
 * change position at which the already-emitted prefix stands (null: nothing emitted yet); the
 * prefix is every row whose order columns compare at or below {@code resumeAfter}, plus {@code
 * groupCount} copies of {@code groupRow} (identical rows of a keyless table whose group was cut by
 * the checkpoint). A resumed chunk retracts the group copies, brings the prefix forward to the new
 * read's LSN with the change table, and scans the rest.
 *
 * <p>{@code finishedLsn} is set only on a chunk kept in reader state after it finished, until the
 * enumerator has acknowledged it.
 */
public final class SnapshotChunk implements SqlServerSplit {

  private final CapturedTable table;
  private final int index;
  private final Object[] lower;
  private final Object[] upper;
  private final ChangePosition prefixAt;
  private final Object[] resumeAfter;
  private final Object[] groupRow;
  private final int groupCount;
  private final Lsn finishedLsn;

  public SnapshotChunk(
      CapturedTable table,
      int index,
      Object[] lower,
      Object[] upper,
      ChangePosition prefixAt,
      Object[] resumeAfter,
      Object[] groupRow,
      int groupCount,
      Lsn finishedLsn) {
    this.table = Objects.requireNonNull(table, "table");
    this.index = index;
    this.lower = lower;
    this.upper = upper;
    this.prefixAt = prefixAt;
    this.resumeAfter = resumeAfter;
    this.groupRow = groupRow;
    this.groupCount = groupCount;
    this.finishedLsn = finishedLsn;
  }

  /** A chunk not read yet. */
  public static SnapshotChunk fresh(
      CapturedTable table, int index, Object[] lower, Object[] upper) {
    return new SnapshotChunk(table, index, lower, upper, null, null, null, 0, null);
  }

  @Override
  public String splitId() {
    return idOf(table.table().targetName(), index);
  }

  public static String idOf(String targetName, int index) {
    return targetName + "#" + index;
  }

  public CapturedTable table() {
    return table;
  }

  public int index() {
    return index;
  }

  public Object[] lower() {
    return lower;
  }

  public Object[] upper() {
    return upper;
  }

  public ChangePosition prefixAt() {
    return prefixAt;
  }

  public Object[] resumeAfter() {
    return resumeAfter;
  }

  public Object[] groupRow() {
    return groupRow;
  }

  public int groupCount() {
    return groupCount;
  }

  public Lsn finishedLsn() {
    return finishedLsn;
  }

  public boolean isFinished() {
    return finishedLsn != null;
  }

  /** The columns the chunk is ordered and paged by: the key, or every orderable column. */
  public List<String> orderColumns() {
    return orderColumnsOf(table);
  }

  /** The key, or for keyless tables every column whose type SQL Server can ORDER BY. */
  public static List<String> orderColumnsOf(CapturedTable table) {
    if (table.table().hasKey()) {
      return table.table().keyColumns();
    }
    return table.table().columns().stream()
        .filter(SnapshotChunk::isOrderable)
        .map(SourceColumn::name)
        .collect(Collectors.toList());
  }

  private static boolean isOrderable(SourceColumn c) {
    switch (c.typeName()) {
      case "text":
      case "ntext":
      case "image":
      case "xml":
      case "geometry":
      case "geography":
      case "hierarchyid":
      case "sql_variant":
        return false;
      default:
        return true;
    }
  }

  /** This chunk, finished at {@code lsn}. */
  public SnapshotChunk finishedAt(Lsn lsn) {
    return new SnapshotChunk(
        table, index, lower, upper, prefixAt, resumeAfter, groupRow, groupCount, lsn);
  }

  /** The handoff description once finished. */
  public WindowChunk toWindowChunk(Lsn lsn) {
    return new WindowChunk(splitId(), table.table().targetName(), lower, upper, lsn);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SnapshotChunk)) {
      return false;
    }
    SnapshotChunk c = (SnapshotChunk) o;
    return table.equals(c.table)
        && index == c.index
        && Arrays.deepEquals(lower, c.lower)
        && Arrays.deepEquals(upper, c.upper)
        && Objects.equals(prefixAt, c.prefixAt)
        && Arrays.deepEquals(resumeAfter, c.resumeAfter)
        && Arrays.deepEquals(groupRow, c.groupRow)
        && groupCount == c.groupCount
        && Objects.equals(finishedLsn, c.finishedLsn);
  }

  @Override
  public int hashCode() {
    return Objects.hash(table, index, prefixAt, finishedLsn);
  }

  @Override
  public String toString() {
    return "SnapshotChunk "
        + splitId()
        + " ["
        + Arrays.deepToString(lower)
        + ", "
        + Arrays.deepToString(upper)
        + ")"
        + (prefixAt == null
            ? ""
            : " prefix@" + prefixAt + " after " + Arrays.deepToString(resumeAfter))
        + (finishedLsn == null ? "" : " finished@" + finishedLsn);
  }
}
