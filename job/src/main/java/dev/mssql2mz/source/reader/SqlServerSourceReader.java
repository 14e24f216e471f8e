package dev.mssql2mz.source.reader;

import dev.mssql2mz.source.ChangeRecord;
import dev.mssql2mz.source.SourceEvents;
import dev.mssql2mz.source.SqlServerSourceConfig;
import dev.mssql2mz.source.metrics.SqlServerSourceMetrics;
import dev.mssql2mz.source.split.SnapshotChunk;
import dev.mssql2mz.source.split.SqlServerSplit;
import dev.mssql2mz.udfs.Lsn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;

/**
 * The source reader: one fetcher thread reads chunks and the stream ({@link SqlServerSplitReader});
 * this class tracks split state, reports finished chunks with their LSNs to the enumerator, and
 * keeps each finished chunk in its checkpoint until the enumerator acknowledged it, so a report
 * lost in a failure is sent again after the restore.
 */
public final class SqlServerSourceReader
    extends SingleThreadMultiplexSourceReaderBase<
        SourceElement, ChangeRecord, SqlServerSplit, SplitState> {

  private final SqlServerSplitReader[] splitReader;
  private final Map<String, SnapshotChunk> finishedUnacked = new LinkedHashMap<>();
  private final java.util.Set<String> liveSplits = new java.util.HashSet<>();
  private final long markerEveryMillis;
  private boolean streamReadElsewhere;
  private long lastIdleMarker;

  /**
   * Completed when this reader starts claiming every LSN. Such a reader usually has no fetcher, so
   * the base class's availability future never completes by itself: the task, parked on it, would
   * never poll again and the marker would never go out.
   */
  private java.util.concurrent.CompletableFuture<Void> claimStarted =
      new java.util.concurrent.CompletableFuture<>();

  public static SqlServerSourceReader create(
      SqlServerSourceConfig config, SourceReaderContext context) {
    SqlServerSourceMetrics metrics = new SqlServerSourceMetrics(context.metricGroup());
    SqlServerSplitReader[] holder = new SqlServerSplitReader[1];
    StreamReader.SourceMetricsSink sink =
        new StreamReader.SourceMetricsSink() {
          @Override
          public void offsetKnown(Lsn lsn) {
            metrics.offsetKnown(lsn);
          }

          @Override
          public void offsetCommitted(Lsn lsn) {
            metrics.offsetCommitted(lsn);
          }
        };
    return new SqlServerSourceReader(
        () -> {
          holder[0] =
              new SqlServerSplitReader(
                  config, sink, context.getIndexOfSubtask(), context.currentParallelism());
          return holder[0];
        },
        new SqlServerRecordEmitter(metrics),
        context,
        holder,
        config.pollInterval().toMillis());
  }

  private SqlServerSourceReader(
      org.apache.flink.util.function.SupplierWithException<SqlServerSplitReader, Exception>
          supplier,
      SqlServerRecordEmitter emitter,
      SourceReaderContext context,
      SqlServerSplitReader[] holder,
      long markerEveryMillis) {
    super(
        () -> {
          try {
            return supplier.get();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        },
        emitter,
        new Configuration(),
        context);
    this.splitReader = holder;
    this.markerEveryMillis = markerEveryMillis;
  }

  @Override
  public void start() {
    super.start();
    context.sendSplitRequest();
  }

  @Override
  public void addSplits(List<SqlServerSplit> splits) {
    List<SqlServerSplit> live = new ArrayList<>();
    for (SqlServerSplit s : splits) {
      if (!s.isStream() && s.asChunk().isFinished()) {
        // Restored finished chunk: report it again until acknowledged.
        finishedUnacked.put(s.splitId(), s.asChunk());
        context.sendSourceEventToCoordinator(
            new SourceEvents.ChunkFinished(s.asChunk().toWindowChunk(s.asChunk().finishedLsn())));
      } else {
        live.add(s);
        liveSplits.add(s.splitId());
        if (s.isStream()) {
          streamReadElsewhere = false;
          context.sendSourceEventToCoordinator(new SourceEvents.StreamOwned());
        }
      }
    }
    if (!live.isEmpty()) {
      super.addSplits(live);
    }
  }

  @Override
  protected void onSplitFinished(Map<String, SplitState> finished) {
    for (SplitState s : finished.values()) {
      SnapshotChunk c = ((ChunkState) s).toSplit();
      liveSplits.remove(c.splitId());
      finishedUnacked.put(c.splitId(), c);
      context.sendSourceEventToCoordinator(
          new SourceEvents.ChunkFinished(c.toWindowChunk(c.finishedLsn())));
    }
    context.sendSplitRequest();
  }

  @Override
  public List<SqlServerSplit> snapshotState(long checkpointId) {
    List<SqlServerSplit> state = new ArrayList<>(super.snapshotState(checkpointId));
    state.addAll(finishedUnacked.values());
    return state;
  }

  @Override
  public void handleSourceEvents(SourceEvent event) {
    if (event instanceof SourceEvents.ChunksAcknowledged) {
      for (String id : ((SourceEvents.ChunksAcknowledged) event).chunkIds()) {
        finishedUnacked.remove(id);
      }
    } else if (event instanceof SourceEvents.StreamReadElsewhere) {
      streamReadElsewhere = !liveSplits.contains(dev.mssql2mz.source.split.StreamSplit.ID);
      if (claimsEverything()) {
        claimStarted.complete(null);
      }
    } else if (event instanceof SourceEvents.ProgressAllowed) {
      submit(new SqlServerSplitReader.AllowProgress());
    } else if (event instanceof SourceEvents.TablesChanged) {
      submit(new SqlServerSplitReader.TablesChanged(((SourceEvents.TablesChanged) event).tables()));
    }
  }

  /**
   * A reader that holds no split while the stream is read by another reader will emit nothing more:
   * it says so with a marker claiming every LSN, repeated every poll interval, so the sink's
   * minimum over all source subtasks follows the stream's reader.
   */
  private boolean claimsEverything() {
    return streamReadElsewhere && liveSplits.isEmpty();
  }

  @Override
  public org.apache.flink.core.io.InputStatus pollNext(
      org.apache.flink.api.connector.source.ReaderOutput<ChangeRecord> output) throws Exception {
    if (claimStarted.isDone()) {
      claimStarted = new java.util.concurrent.CompletableFuture<>();
    }
    org.apache.flink.core.io.InputStatus status = super.pollNext(output);
    long now = System.currentTimeMillis();
    if (claimsEverything() && now - lastIdleMarker >= markerEveryMillis) {
      lastIdleMarker = now;
      output.collect(
          ChangeRecord.progress(
              Lsn.MAX, context.getIndexOfSubtask(), context.currentParallelism()));
    }
    return status;
  }

  @Override
  public java.util.concurrent.CompletableFuture<Void> isAvailable() {
    java.util.concurrent.CompletableFuture<Void> base = super.isAvailable();
    if (base.isDone()) {
      return base;
    }
    if (!claimsEverything()) {
      return java.util.concurrent.CompletableFuture.anyOf(base, claimStarted).thenApply(x -> null);
    }
    java.util.concurrent.CompletableFuture<Void> timer =
        new java.util.concurrent.CompletableFuture<Void>()
            .completeOnTimeout(null, markerEveryMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
    return java.util.concurrent.CompletableFuture.anyOf(base, timer).thenApply(x -> null);
  }

  private void submit(SqlServerSplitReader.Command c) {
    if (splitReader[0] != null) {
      splitReader[0].submit(c);
    }
  }

  @Override
  protected SplitState initializedState(SqlServerSplit split) {
    return split.isStream() ? new StreamState(split.asStream()) : new ChunkState(split.asChunk());
  }

  @Override
  protected SqlServerSplit toSplitType(String splitId, SplitState state) {
    return state.toSplit();
  }
}
