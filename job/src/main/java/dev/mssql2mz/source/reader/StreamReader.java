package dev.mssql2mz.source.reader;

import dev.mssql2mz.source.ChangeOperation;
import dev.mssql2mz.source.ChangeRecord;
import dev.mssql2mz.source.split.StreamSplit;
import dev.mssql2mz.source.split.WindowChunk;
import dev.mssql2mz.sqlserver.CapturedTable;
import dev.mssql2mz.sqlserver.ChangePosition;
import dev.mssql2mz.sqlserver.RowPredicate;
import dev.mssql2mz.sqlserver.SqlServerQueries;
import dev.mssql2mz.udfs.Lsn;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the stream split: first the handoff window of finished chunks, then every table's change
 * table merged in change-position order, in bounded pages.
 *
 * <p>The handoff: a chunk read at LSN c holds exactly the changes with commit LSN at or below c for
 * its key range (proof at {@link ChunkReader}). So for a change on key k with commit LSN L, it is
 * emitted iff L is above the LSN of the chunk holding k. The window does this per chunk with the
 * chunk's own range predicate, evaluated by SQL Server (so key order and collations are SQL
 * Server's): changes in {@code (c, W]}, W the highest chunk LSN. The merged stream then starts
 * after W for every table; a table whose chunks were read while streaming starts after its own W. A
 * progress marker X is emitted only when X is at least every chunk LSN (all tables complete at X),
 * the window is worked off, and the merged stream has passed every change at or below X (its reads
 * are bounded by {@code sys.fn_cdc_get_max_lsn()}, which the capture process only moves past
 * complete transactions).
 */
final class StreamReader {

  private static final Logger LOG = LoggerFactory.getLogger(StreamReader.class);

  private static final Comparator<DecodedChange> ORDER =
      Comparator.comparing(DecodedChange::position);

  private final StreamState working;
  private final Connections connections;
  private final int pageSize;
  private final SourceMetricsSink metrics;
  private boolean retentionChecked;
  private int subtask;
  private int parallelism = 1;

  StreamReader(
      StreamSplit split, Connections connections, int pageSize, SourceMetricsSink metrics) {
    this.working = new StreamState(split);
    this.connections = connections;
    this.pageSize = pageSize;
    this.metrics = metrics;
  }

  StreamReader(
      StreamSplit split,
      Connections connections,
      int pageSize,
      SourceMetricsSink metrics,
      int subtask,
      int parallelism) {
    this(split, connections, pageSize, metrics);
    this.subtask = subtask;
    this.parallelism = parallelism;
  }

  /** Applies a state change to the working copy and queues it for the emitted state. */
  private void change(
      List<SourceElement> out, ChangeRecord r, long bytes, SourceElement.StateChange c) {
    c.apply(working);
    out.add(new SourceElement(r, c, bytes));
  }

  void allowProgress(List<SourceElement> out) {
    if (!working.progressAllowed) {
      change(out, null, 0, s -> ((StreamState) s).progressAllowed = true);
    }
  }

  /**
   * Stops reading the tables {@code mayRead} refuses (taken out of the job's tables since the
   * savepoint this stream was restored from): their change tables may be gone, and nothing
   * downstream takes their rows.
   */
  void keepOnly(List<SourceElement> out, java.util.function.Predicate<String> mayRead) {
    List<String> dropped = new ArrayList<>();
    for (CapturedTable t : working.tables) {
      if (!mayRead.test(t.table().qualifiedName())) {
        dropped.add(t.table().qualifiedName());
      }
    }
    if (dropped.isEmpty()) {
      return;
    }
    LOG.warn("The stream no longer reads {}: not among the tables this job was built for", dropped);
    change(
        out,
        null,
        0,
        s -> ((StreamState) s).tables.removeIf(t -> dropped.contains(t.table().qualifiedName())));
  }

  void updateTables(List<SourceElement> out, List<CapturedTable> changed) {
    change(
        out,
        null,
        0,
        s -> {
          StreamState st = (StreamState) s;
          for (CapturedTable t : changed) {
            for (int i = 0; i < st.tables.size(); i++) {
              if (st.tables.get(i).table().qualifiedName().equals(t.table().qualifiedName())) {
                st.tables.set(i, t);
              }
            }
          }
        });
  }

  /** A chunk this reader finished while streaming (a table found later) joins the window. */
  void addChunk(List<SourceElement> out, CapturedTable table, WindowChunk chunk) {
    change(
        out,
        null,
        0,
        s -> {
          StreamState st = (StreamState) s;
          boolean known = false;
          for (CapturedTable t : st.tables) {
            known |= t.table().targetName().equals(table.table().targetName());
          }
          if (!known) {
            st.tables.add(table);
          }
          List<WindowChunk> w = new ArrayList<>();
          for (WindowChunk x : st.window) {
            if (!x.chunkId().equals(chunk.chunkId())) {
              w.add(x);
            }
          }
          w.add(chunk);
          st.window = w;
          st.windowUpper =
              st.windowUpper == null ? chunk.lsn() : Lsn.max(st.windowUpper, chunk.lsn());
          st.windowIndex = 0;
          st.windowPosition = null;
          st.progressFloor = Lsn.max(st.progressFloor, chunk.lsn());
          Lsn start = st.tableStart.get(chunk.table());
          st.tableStart.put(
              chunk.table(), start == null ? st.windowUpper : Lsn.max(start, st.windowUpper));
          for (WindowChunk x : st.window) {
            st.tableStart.put(x.table(), Lsn.max(st.tableStart.get(x.table()), st.windowUpper));
          }
        });
  }

  /**
   * One poll. Returns the elements and whether the reader is behind (a page was full, poll again at
   * once) or caught up (wait for the poll interval).
   */
  boolean poll(List<SourceElement> out) throws SQLException {
    Lsn max = SqlServerQueries.maxLsn(connections.cdc());
    if (max == null) {
      return false;
    }
    metrics.offsetKnown(max);
    if (!working.progressAllowed) {
      // No change leaves the stream before a completed checkpoint holds every initial chunk as
      // finished. Every snapshot row was emitted before its chunk was reported finished, so before
      // that checkpoint's barrier on its subtask; every change emitted from here on follows the
      // barrier on this subtask. Aligned barriers keep that order at each downstream operator,
      // so the keyed large-value filler sees a key's snapshot row before its first change (and
      // fills an omitted large value from it, never from nothing) even when another subtask read
      // the chunk. The cost is about one checkpoint interval before streaming starts.
      return false;
    }
    if (working.windowIndex < working.window.size()) {
      return pollWindow(out, max);
    }
    if (!working.window.isEmpty()) {
      change(
          out,
          null,
          0,
          s -> {
            StreamState st = (StreamState) s;
            st.window = new ArrayList<>();
            st.windowIndex = 0;
            st.windowPosition = null;
            st.windowUpper = null;
          });
      LOG.info("Snapshot handoff window done; streaming from {}", working.position);
    }
    return pollMerged(out, max);
  }

  private boolean pollWindow(List<SourceElement> out, Lsn max) throws SQLException {
    if (max.isBefore(working.windowUpper)) {
      return false; // the capture process has not reached the highest chunk LSN yet
    }
    WindowChunk chunk = working.window.get(working.windowIndex);
    CapturedTable table = tableNamedOrNull(chunk.table());
    if (table == null) {
      // A table this stream no longer reads (see keepOnly): its window has nothing to hand off.
      int next = working.windowIndex + 1;
      change(
          out,
          null,
          0,
          s -> {
            StreamState st = (StreamState) s;
            st.windowIndex = next;
            st.windowPosition = null;
          });
      return true;
    }
    ChangePosition after =
        working.windowPosition != null
            ? working.windowPosition
            : ChangePosition.afterAllOf(chunk.lsn());
    if (working.windowPosition == null) {
      ChangeTableReader.checkRetention(connections.cdc(), table, after);
    }
    List<String> order = chunkOrder(table);
    RowPredicate range = RowPredicate.range(order, chunk.lower(), chunk.upper());
    List<DecodedChange> page =
        ChangeTableReader.page(
            connections.cdc(), table, after, working.windowUpper, range, pageSize);
    for (DecodedChange ch : page) {
      ChangePosition p = ch.position();
      change(out, toRecord(table, ch), ch.bytes(), s -> ((StreamState) s).windowPosition = p);
    }
    if (page.size() < pageSize) {
      int next = working.windowIndex + 1;
      change(
          out,
          null,
          0,
          s -> {
            StreamState st = (StreamState) s;
            st.windowIndex = next;
            st.windowPosition = null;
          });
    }
    return true;
  }

  private boolean pollMerged(List<SourceElement> out, Lsn max) throws SQLException {
    ChangePosition from = working.position;
    if (!retentionChecked) {
      for (CapturedTable t : working.tables) {
        ChangeTableReader.checkRetention(connections.cdc(), t, from);
      }
      retentionChecked = true;
    }
    List<DecodedChange> all = new ArrayList<>();
    Map<DecodedChange, CapturedTable> owner = new LinkedHashMap<>();
    ChangePosition cut = null;
    for (CapturedTable t : working.tables) {
      List<DecodedChange> page =
          ChangeTableReader.page(
              connections.cdc(), t, from, max, RowPredicate.alwaysTrue(), pageSize);
      for (DecodedChange ch : page) {
        owner.put(ch, t);
      }
      all.addAll(page);
      if (page.size() == pageSize) {
        ChangePosition last = page.get(page.size() - 1).position();
        cut = cut == null || last.compareTo(cut) < 0 ? last : cut;
      }
    }
    // Cleanup may have run while we read: anything below the instance's new minimum that we did
    // not see is lost, so check after reading.
    for (CapturedTable t : working.tables) {
      ChangeTableReader.checkRetention(connections.cdc(), t, from);
    }
    all.sort(ORDER);
    boolean behind = cut != null;
    ChangePosition end = behind ? cut : ChangePosition.afterAllOf(max);
    Lsn lastEmittedLsn = null;
    for (DecodedChange ch : all) {
      if (ch.position().compareTo(end) > 0) {
        break;
      }
      CapturedTable t = owner.get(ch);
      ChangePosition p = ch.position();
      Lsn start = working.tableStart.get(t.table().targetName());
      ChangeRecord r = start == null || p.commitLsn().isAfter(start) ? toRecord(t, ch) : null;
      change(out, r, r == null ? 0 : ch.bytes(), s -> ((StreamState) s).position = p);
      lastEmittedLsn = p.commitLsn();
    }
    if (end.compareTo(working.position) > 0) {
      ChangePosition e = end;
      change(out, null, 0, s -> ((StreamState) s).position = e);
    }
    // Complete: everything at or below max when caught up; below the cut's LSN when behind.
    Lsn complete = behind ? completeBelow(end, lastEmittedLsn) : max;
    if (complete == null
        || (working.lastProgress != null && complete.isBefore(working.lastProgress))) {
      complete = working.lastProgress; // behind inside a transaction: repeat the last claim
    }
    // A marker on every poll (repeating an unchanged claim), so the sink's minimum over the source
    // subtasks advances on idle databases too.
    if (complete != null
        && working.progressAllowed
        && working.windowIndex >= working.window.size()
        && complete.compareTo(working.progressFloor) >= 0) {
      Lsn c = complete;
      change(
          out,
          ChangeRecord.progress(c, subtask, parallelism),
          0,
          s -> ((StreamState) s).lastProgress = c);
      metrics.offsetCommitted(c);
    }
    return behind;
  }

  /** When behind, only LSNs strictly below the cut's commit LSN are complete. */
  private static Lsn completeBelow(ChangePosition cut, Lsn lastEmitted) {
    if (lastEmitted == null || !lastEmitted.isBefore(cut.commitLsn())) {
      return null;
    }
    return lastEmitted;
  }

  private CapturedTable tableNamedOrNull(String target) {
    for (CapturedTable t : working.tables) {
      if (t.table().targetName().equals(target)) {
        return t;
      }
    }
    return null;
  }

  private static List<String> chunkOrder(CapturedTable t) {
    return dev.mssql2mz.source.split.SnapshotChunk.orderColumnsOf(t);
  }

  private static ChangeRecord toRecord(CapturedTable t, DecodedChange ch) {
    return new ChangeRecord(
        t.table().targetName(),
        ChangeOperation.fromCdcCode(ch.position().operation()),
        ch.position(),
        ch.values());
  }

  /** Interface the reader's metrics implement (kept tiny so tests can pass a no-op). */
  interface SourceMetricsSink {
    void offsetKnown(Lsn lsn);

    void offsetCommitted(Lsn lsn);

    static SourceMetricsSink noop() {
      return new SourceMetricsSink() {
        @Override
        public void offsetKnown(Lsn lsn) {}

        @Override
        public void offsetCommitted(Lsn lsn) {}
      };
    }
  }
}
