package dev.mssql2mz.source.enumerator;

import dev.mssql2mz.source.SourceEvents;
import dev.mssql2mz.source.SqlServerSourceConfig;
import dev.mssql2mz.source.split.SnapshotChunk;
import dev.mssql2mz.source.split.SqlServerSplit;
import dev.mssql2mz.source.split.StreamSplit;
import dev.mssql2mz.source.split.WindowChunk;
import dev.mssql2mz.sqlserver.CapturedTable;
import dev.mssql2mz.sqlserver.CatalogDiscovery;
import dev.mssql2mz.sqlserver.DiscoveredTable;
import dev.mssql2mz.sqlserver.SourceColumn;
import dev.mssql2mz.sqlserver.SourceConfigException;
import dev.mssql2mz.sqlserver.SqlServerQueries;
import java.sql.Connection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.annotation.Nullable;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans snapshot chunks, hands them to readers as they ask, collects each finished chunk's LSN, and
 * then creates the one stream split. Periodic discovery adds tables enabled for CDC while running
 * (their chunks go to the stream's reader, which reads them before it streams on) and follows new
 * capture instances.
 */
public final class SqlServerSourceEnumerator
    implements SplitEnumerator<SqlServerSplit, SqlServerEnumState> {

  private static final Logger LOG = LoggerFactory.getLogger(SqlServerSourceEnumerator.class);

  private final SplitEnumeratorContext<SqlServerSplit> context;
  private final SqlServerSourceConfig config;

  private boolean planned;
  private final List<CapturedTable> tables = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Deque<SnapshotChunk> pending = new ArrayDeque<>();
  private final Set<String> outstanding = new LinkedHashSet<>();
  private final Map<String, WindowChunk> finished = new LinkedHashMap<>();
  private boolean streamCreated;
  private boolean progressAllowed;

  private final Set<Integer> waitingReaders = new LinkedHashSet<>();
  private StreamSplit unassignedStream;
  private Integer streamOwner;
  private long gateCheckpointId = -1;
  private final AtomicLong snapshotRecordsKnown = new AtomicLong();

  /** Tables left out because the downstream was built without them; reported once each. */
  private final Set<String> awaitingRestart = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public SqlServerSourceEnumerator(
      SplitEnumeratorContext<SqlServerSplit> context,
      SqlServerSourceConfig config,
      SqlServerEnumState state) {
    this.context = context;
    this.config = config;
    this.planned = state.planned();
    this.tables.addAll(state.tables());
    this.pending.addAll(state.pending());
    this.outstanding.addAll(state.outstanding());
    this.finished.putAll(state.finished());
    this.streamCreated = state.streamCreated();
    this.progressAllowed = state.progressAllowed();
    // Tables taken out of the job's tables since the savepoint are no longer followed.
    this.tables.removeIf(t -> !config.mayRead(t.table().qualifiedName()));
    this.pending.removeIf(c -> !config.mayRead(c.table().table().qualifiedName()));
    context.metricGroup().gauge("snapshot_records_known", snapshotRecordsKnown::get);
    context.metricGroup().gauge("tables_awaiting_restart", awaitingRestart::size);
  }

  @Override
  public void start() {
    if (!planned) {
      context.callAsync(this::discoverAndPlan, this::onPlanned);
    }
    long every = config.discoveryInterval().toMillis();
    if (planned && config.onlyTables() != null && !knowsAll(config.onlyTables())) {
      // Restored into a job built with tables its state lacks (enabled since the savepoint):
      // snapshot them now rather than after the first discovery interval.
      context.callAsync(this::discover, this::onDiscovered);
    }
    if (every > 0) {
      context.callAsync(this::discover, this::onDiscovered, every, every);
    }
  }

  private record Planned(List<CapturedTable> tables, List<SnapshotChunk> chunks, long rows) {}

  private Planned discoverAndPlan() throws Exception {
    try (Connection c = config.connections().open()) {
      List<CapturedTable> selected = new ArrayList<>();
      for (CapturedTable t :
          config.selection().resolve(CatalogDiscovery.discover(c), SqlServerQueries.tables(c))) {
        if (config.mayRead(t.table().qualifiedName())) {
          selected.add(t);
        } else {
          reportAwaitingRestart(t.table().qualifiedName());
        }
      }
      return plan(c, selected);
    }
  }

  private Planned plan(Connection c, List<CapturedTable> selected) throws Exception {
    ChunkPlanner planner = new ChunkPlanner(config.chunkSize());
    List<SnapshotChunk> chunks = new ArrayList<>();
    long rows = 0;
    for (CapturedTable t : selected) {
      ChunkPlanner.Plan p = planner.plan(c, t);
      chunks.addAll(p.chunks());
      rows += p.rows();
    }
    return new Planned(selected, chunks, rows);
  }

  private void onPlanned(Planned p, Throwable error) {
    if (error != null) {
      throw new IllegalStateException(
          "SQL Server source: discovery failed: " + error.getMessage(), error);
    }
    tables.addAll(p.tables());
    pending.addAll(p.chunks());
    snapshotRecordsKnown.addAndGet(p.rows());
    planned = true;
    LOG.info(
        "Discovered {} tables, {} snapshot chunks, about {} rows",
        p.tables().size(),
        p.chunks().size(),
        p.rows());
    maybeCreateStream();
    assignWaiting();
  }

  private record Discovered(List<DiscoveredTable> tables, Planned newTables) {}

  private Discovered discover() throws Exception {
    if (!planned) {
      return null;
    }
    try (Connection c = config.connections().open()) {
      List<DiscoveredTable> all = CatalogDiscovery.discover(c);
      List<CapturedTable> added = new ArrayList<>();
      Set<String> known = new LinkedHashSet<>();
      for (CapturedTable t : tables) {
        known.add(t.table().qualifiedName());
      }
      for (DiscoveredTable d : all) {
        if (!known.contains(d.qualifiedName()) && config.selection().covers(d.schema(), d.name())) {
          if (!config.mayRead(d.qualifiedName())) {
            reportAwaitingRestart(d.qualifiedName());
            continue;
          }
          List<String> problems = new ArrayList<>();
          CapturedTable ct = config.selection().describe(d, problems);
          if (!problems.isEmpty()) {
            throw new SourceConfigException(problems);
          }
          added.add(ct);
        }
      }
      return new Discovered(all, plan(c, added));
    }
  }

  private boolean knowsAll(Set<String> names) {
    Set<String> known = new LinkedHashSet<>();
    for (CapturedTable t : tables) {
      known.add(t.table().qualifiedName());
    }
    return known.containsAll(names);
  }

  private void reportAwaitingRestart(String table) {
    if (awaitingRestart.add(table)) {
      LOG.warn(
          "Table {} is enabled for CDC and covered by the source's tables, but it was not when"
              + " the job was built, so the job has no target table for it and does not read it."
              + " To add it: stop the job with a savepoint and start it again from that savepoint"
              + " (flink.savepoint); it is then snapshotted and streamed like the others.",
          table);
    }
  }

  private void onDiscovered(Discovered d, Throwable error) {
    if (error != null) {
      if (error instanceof SourceConfigException) {
        throw (SourceConfigException) error;
      }
      LOG.warn("Periodic discovery failed, retrying later: {}", error.toString());
      return;
    }
    if (d == null) {
      return;
    }
    List<CapturedTable> changed = new ArrayList<>();
    for (int i = 0; i < tables.size(); i++) {
      CapturedTable t = tables.get(i);
      DiscoveredTable found = null;
      for (DiscoveredTable x : d.tables()) {
        if (x.qualifiedName().equals(t.table().qualifiedName())) {
          found = x;
        }
      }
      if (found == null) {
        continue;
      }
      checkColumnsStillThere(t, found);
      if (!found.instances().equals(t.instances())) {
        CapturedTable updated = t.withInstances(found.instances());
        checkInstanceCaptures(updated);
        tables.set(i, updated);
        changed.add(updated);
        LOG.info(
            "Capture instances of {} are now {}", t.table().qualifiedName(), found.instances());
      }
    }
    if (!changed.isEmpty()) {
      broadcast(new SourceEvents.TablesChanged(changed));
    }
    // Two discoveries can overlap (one that overran its interval): add each table once.
    Set<String> known = new LinkedHashSet<>();
    for (CapturedTable t : tables) {
      known.add(t.table().qualifiedName());
    }
    List<CapturedTable> fresh = new ArrayList<>();
    for (CapturedTable t : d.newTables().tables()) {
      if (known.add(t.table().qualifiedName())) {
        fresh.add(t);
      }
    }
    if (!fresh.isEmpty()) {
      List<SnapshotChunk> chunks = new ArrayList<>();
      for (SnapshotChunk c : d.newTables().chunks()) {
        if (fresh.stream()
            .anyMatch(t -> t.table().qualifiedName().equals(c.table().table().qualifiedName()))) {
          chunks.add(c);
        }
      }
      LOG.info("New CDC tables {} with {} chunks", fresh, chunks.size());
      tables.addAll(fresh);
      if (fresh.size() == d.newTables().tables().size()) {
        snapshotRecordsKnown.addAndGet(d.newTables().rows());
      }
      pending.addAll(chunks);
      assignWaiting();
    }
  }

  /** A captured column of ours that vanished or changed type stops the job, never NULLs. */
  private static void checkColumnsStillThere(CapturedTable t, DiscoveredTable found) {
    for (SourceColumn c : t.table().columns()) {
      SourceColumn now = found.column(c.name());
      if (now == null) {
        throw new SourceConfigException(
            List.of(
                "Column "
                    + t.table().qualifiedName()
                    + "."
                    + c.name()
                    + " was dropped upstream; the table cannot be replicated further. Fix: drop"
                    + " the table from the source (or exclude the column) and re-snapshot it."));
      }
      if (!now.typeName().equals(c.typeName())
          || now.maxLength() != c.maxLength()
          || now.precision() != c.precision()
          || now.scale() != c.scale()) {
        throw new SourceConfigException(
            List.of(
                "Column "
                    + t.table().qualifiedName()
                    + "."
                    + c.name()
                    + " changed type from "
                    + c
                    + " to "
                    + now
                    + "; the table cannot be replicated further. Fix: re-snapshot the table"
                    + " (drop and re-add it to the source)."));
      }
    }
  }

  private static void checkInstanceCaptures(CapturedTable t) {
    for (SourceColumn c : t.table().columns()) {
      if (!t.newestInstance().capturedColumns().contains(c.name())) {
        throw new SourceConfigException(
            List.of(
                "Capture instance "
                    + t.newestInstance().name()
                    + " of "
                    + t.table().qualifiedName()
                    + " does not capture column "
                    + c.name()
                    + ". Fix: include it in @captured_column_list, or exclude the column and"
                    + " re-snapshot the table."));
      }
    }
  }

  @Override
  public void handleSplitRequest(int subtaskId, @Nullable String requesterHostname) {
    waitingReaders.add(subtaskId);
    assignWaiting();
  }

  private void assignWaiting() {
    if (!planned) {
      return;
    }
    for (Integer reader : new ArrayList<>(waitingReaders)) {
      if (!context.registeredReaders().containsKey(reader)) {
        waitingReaders.remove(reader);
        continue;
      }
      if (!streamCreated && !pending.isEmpty()) {
        SnapshotChunk c = pending.poll();
        outstanding.add(c.splitId());
        waitingReaders.remove(reader);
        context.assignSplit(c, reader);
      } else if (unassignedStream != null) {
        List<SqlServerSplit> splits = new ArrayList<>();
        splits.add(unassignedStream);
        splits.addAll(drainPendingChunks());
        unassignedStream = null;
        waitingReaders.remove(reader);
        streamOwner = reader;
        announceOwner();
        context.assignSplits(
            new org.apache.flink.api.connector.source.SplitsAssignment<>(Map.of(reader, splits)));
        if (progressAllowed) {
          context.sendEventToSourceReader(reader, new SourceEvents.ProgressAllowed());
        }
      }
    }
    if (streamCreated
        && streamOwner != null
        && !pending.isEmpty()
        && context.registeredReaders().containsKey(streamOwner)) {
      // Chunks of tables found while streaming go to the stream's reader: it reads them before it
      // streams on, so the stream never passes a chunk's LSN before the chunk is known. A restored
      // reader can claim the stream before its registration arrives; addReader assigns them then.
      List<SqlServerSplit> chunks = new ArrayList<>(drainPendingChunks());
      context.assignSplits(
          new org.apache.flink.api.connector.source.SplitsAssignment<>(
              Map.of(streamOwner, chunks)));
    }
  }

  private List<SnapshotChunk> drainPendingChunks() {
    List<SnapshotChunk> out = new ArrayList<>(pending);
    for (SnapshotChunk c : out) {
      outstanding.add(c.splitId());
    }
    pending.clear();
    return out;
  }

  private void maybeCreateStream() {
    if (planned && !streamCreated && pending.isEmpty() && outstanding.isEmpty()) {
      unassignedStream = StreamSplit.afterSnapshot(tables, new ArrayList<>(finished.values()));
      streamCreated = true;
      finished.clear();
      LOG.info("All snapshot chunks finished; stream starts after {}", unassignedStream.position());
    }
  }

  @Override
  public void handleSourceEvent(int subtaskId, SourceEvent event) {
    if (event instanceof SourceEvents.ChunkFinished) {
      WindowChunk w = ((SourceEvents.ChunkFinished) event).chunk();
      if (outstanding.remove(w.chunkId()) && !streamCreated) {
        finished.put(w.chunkId(), w);
      } else {
        rereadAfterFailover(w);
      }
      context.sendEventToSourceReader(
          subtaskId, new SourceEvents.ChunksAcknowledged(List.of(w.chunkId())));
      maybeCreateStream();
      assignWaiting();
    } else if (event instanceof SourceEvents.StreamOwned) {
      streamOwner = subtaskId;
      announceOwner();
      if (progressAllowed) {
        context.sendEventToSourceReader(subtaskId, new SourceEvents.ProgressAllowed());
      }
      assignWaiting();
    }
  }

  /**
   * A chunk reported finished again, read at another LSN. After a failover of the readers (not a
   * global one) this enumerator keeps its live state while a reader restarts from its checkpoint: a
   * chunk it reported finished after that checkpoint is read again from its restored prefix, at a
   * newer LSN, and the reader emits the prefix's changes up to that LSN. The stream must hand off
   * at the LSN of that last read; at the first one it would emit those changes a second time.
   */
  private void rereadAfterFailover(WindowChunk w) {
    WindowChunk known = finished.get(w.chunkId());
    if (known != null) {
      if (!known.lsn().equals(w.lsn())) {
        LOG.info(
            "Snapshot chunk {} was read again at {} (was {})", w.chunkId(), w.lsn(), known.lsn());
        finished.put(w.chunkId(), w);
      }
      return;
    }
    if (!streamCreated) {
      return;
    }
    List<WindowChunk> window = unassignedStream != null ? unassignedStream.window() : List.of();
    for (int i = 0; i < window.size(); i++) {
      WindowChunk old = window.get(i);
      if (old.chunkId().equals(w.chunkId()) && !old.lsn().equals(w.lsn())) {
        // The stream split came back unread (its reader restarted too): rebuild its handoff.
        List<WindowChunk> updated = new ArrayList<>(window);
        updated.set(i, w);
        unassignedStream = StreamSplit.afterSnapshot(unassignedStream.tables(), updated);
        LOG.info(
            "Snapshot chunk {} was read again at {} (was {}); stream now starts after {}",
            w.chunkId(),
            w.lsn(),
            old.lsn(),
            unassignedStream.position());
        return;
      }
    }
  }

  @Override
  public void addSplitsBack(List<SqlServerSplit> splits, int subtaskId) {
    for (SqlServerSplit s : splits) {
      if (s.isStream()) {
        unassignedStream = s.asStream();
        streamOwner = null;
      } else {
        outstanding.remove(s.splitId());
        pending.addFirst(s.asChunk());
      }
    }
    assignWaiting();
  }

  @Override
  public void addReader(int subtaskId) {
    // Readers ask for splits themselves; a late reader learns where the stream is read.
    if (streamOwner != null && streamOwner != subtaskId) {
      context.sendEventToSourceReader(subtaskId, new SourceEvents.StreamReadElsewhere(streamOwner));
    }
    assignWaiting();
  }

  @Override
  public SqlServerEnumState snapshotState(long checkpointId) {
    if (streamCreated && !progressAllowed && gateCheckpointId < 0) {
      gateCheckpointId = checkpointId;
    }
    return new SqlServerEnumState(
        planned,
        tables,
        new ArrayList<>(pending),
        outstanding,
        finished,
        streamCreated,
        progressAllowed);
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    if (!progressAllowed && gateCheckpointId >= 0 && checkpointId >= gateCheckpointId) {
      progressAllowed = true;
      LOG.info("Snapshot is in checkpoint {}; progress markers enabled", checkpointId);
      broadcast(new SourceEvents.ProgressAllowed());
    }
  }

  private void announceOwner() {
    for (Integer reader : context.registeredReaders().keySet()) {
      if (!reader.equals(streamOwner)) {
        context.sendEventToSourceReader(reader, new SourceEvents.StreamReadElsewhere(streamOwner));
      }
    }
  }

  private void broadcast(SourceEvent e) {
    for (Integer reader : context.registeredReaders().keySet()) {
      context.sendEventToSourceReader(reader, e);
    }
  }

  @Override
  public void close() {}
}
