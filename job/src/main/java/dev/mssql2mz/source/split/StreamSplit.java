package dev.mssql2mz.source.split;

import dev.mssql2mz.sqlserver.CapturedTable;
import dev.mssql2mz.sqlserver.ChangePosition;
import dev.mssql2mz.udfs.Lsn;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The single change stream over every selected table.
 *
 * <p>It first works off the handoff window: for each finished chunk in {@code window}, the changes
 * of its key range with commit LSN in {@code (chunk LSN, windowUpper]} ({@code windowIndex} and
 * {@code windowPosition} say how far). Then it reads all change tables merged in {@code (start LSN,
 * command id, seqval, operation)} order from {@code position} on, emitting a change of table t iff
 * its commit LSN is above {@code tableStart[t]}.
 *
 * <p>{@code progressFloor} is the lowest LSN a progress marker may claim (the highest chunk LSN
 * ever seen); {@code progressAllowed} opens once a checkpoint holds every initial chunk as
 * finished.
 */
public final class StreamSplit implements SqlServerSplit {

  public static final String ID = "stream";

  private final List<CapturedTable> tables;
  private final List<WindowChunk> window;
  private final Lsn windowUpper;
  private final int windowIndex;
  private final ChangePosition windowPosition;
  private final ChangePosition position;
  private final Map<String, Lsn> tableStart;
  private final Lsn progressFloor;
  private final Lsn lastProgress;
  private final boolean progressAllowed;

  public StreamSplit(
      List<CapturedTable> tables,
      List<WindowChunk> window,
      Lsn windowUpper,
      int windowIndex,
      ChangePosition windowPosition,
      ChangePosition position,
      Map<String, Lsn> tableStart,
      Lsn progressFloor,
      Lsn lastProgress,
      boolean progressAllowed) {
    this.tables = Collections.unmodifiableList(new ArrayList<>(tables));
    this.window = Collections.unmodifiableList(new ArrayList<>(window));
    this.windowUpper = windowUpper;
    this.windowIndex = windowIndex;
    this.windowPosition = windowPosition;
    this.position = Objects.requireNonNull(position, "position");
    this.tableStart = Collections.unmodifiableMap(new LinkedHashMap<>(tableStart));
    this.progressFloor = Objects.requireNonNull(progressFloor, "progressFloor");
    this.lastProgress = lastProgress;
    this.progressAllowed = progressAllowed;
  }

  /**
   * The stream after the initial snapshot: window over every finished chunk up to the highest chunk
   * LSN, then the merged stream from just after it.
   */
  public static StreamSplit afterSnapshot(
      List<CapturedTable> tables, List<WindowChunk> finishedChunks) {
    Lsn upper = Lsn.MIN;
    for (WindowChunk w : finishedChunks) {
      upper = Lsn.max(upper, w.lsn());
    }
    Map<String, Lsn> start = new LinkedHashMap<>();
    for (CapturedTable t : tables) {
      start.put(t.table().targetName(), upper);
    }
    return new StreamSplit(
        tables,
        finishedChunks,
        upper,
        0,
        null,
        ChangePosition.afterAllOf(upper),
        start,
        upper,
        null,
        false);
  }

  @Override
  public String splitId() {
    return ID;
  }

  public List<CapturedTable> tables() {
    return tables;
  }

  public List<WindowChunk> window() {
    return window;
  }

  public Lsn windowUpper() {
    return windowUpper;
  }

  public int windowIndex() {
    return windowIndex;
  }

  public ChangePosition windowPosition() {
    return windowPosition;
  }

  public ChangePosition position() {
    return position;
  }

  public Map<String, Lsn> tableStart() {
    return tableStart;
  }

  public Lsn progressFloor() {
    return progressFloor;
  }

  public Lsn lastProgress() {
    return lastProgress;
  }

  public boolean progressAllowed() {
    return progressAllowed;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof StreamSplit)) {
      return false;
    }
    StreamSplit s = (StreamSplit) o;
    return tables.equals(s.tables)
        && window.equals(s.window)
        && Objects.equals(windowUpper, s.windowUpper)
        && windowIndex == s.windowIndex
        && Objects.equals(windowPosition, s.windowPosition)
        && position.equals(s.position)
        && tableStart.equals(s.tableStart)
        && progressFloor.equals(s.progressFloor)
        && Objects.equals(lastProgress, s.lastProgress)
        && progressAllowed == s.progressAllowed;
  }

  @Override
  public int hashCode() {
    return Objects.hash(position, windowIndex, progressFloor);
  }

  @Override
  public String toString() {
    return "StreamSplit at "
        + position
        + " tables="
        + tables.size()
        + " window="
        + windowIndex
        + "/"
        + window.size()
        + " upTo "
        + windowUpper;
  }
}
