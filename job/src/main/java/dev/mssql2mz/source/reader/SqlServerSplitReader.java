package dev.mssql2mz.source.reader;

import dev.mssql2mz.source.SqlServerSourceConfig;
import dev.mssql2mz.source.split.SnapshotChunk;
import dev.mssql2mz.source.split.SqlServerSplit;
import dev.mssql2mz.source.split.WindowChunk;
import dev.mssql2mz.sqlserver.CapturedTable;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;

/**
 * Runs on the fetcher thread: reads assigned snapshot chunks one after the other (each in bounded
 * batches), and the stream split once no chunk is waiting. Chunks of tables found while streaming
 * arrive at the stream's reader and are read first, so the stream waits for them and then hands off
 * at their LSNs.
 */
final class SqlServerSplitReader implements SplitReader<SourceElement, SqlServerSplit> {

  /** Instructions from the task thread (events from the enumerator). */
  interface Command {}

  record AllowProgress() implements Command {}

  record TablesChanged(List<CapturedTable> tables) implements Command {}

  private final SqlServerSourceConfig config;
  private final Connections connections;
  private final Waiter waiter = new Waiter();
  private final Queue<Command> commands = new ConcurrentLinkedQueue<>();
  private final Deque<SnapshotChunk> chunks = new ArrayDeque<>();
  private final StreamReader.SourceMetricsSink metrics;
  private ChunkReader current;
  private StreamReader stream;
  private boolean streamBehind;
  private boolean streamRestored;
  private String finishedChunk;
  private WindowChunk pendingHandoff;
  private CapturedTable pendingHandoffTable;

  private final int subtask;
  private final int parallelism;

  SqlServerSplitReader(
      SqlServerSourceConfig config,
      StreamReader.SourceMetricsSink metrics,
      int subtask,
      int parallelism) {
    this.config = config;
    this.connections = new Connections(config.connections());
    this.metrics = metrics;
    this.subtask = subtask;
    this.parallelism = parallelism;
  }

  void submit(Command c) {
    commands.add(c);
    waiter.wakeUp();
  }

  @Override
  public RecordsWithSplitIds<SourceElement> fetch() throws IOException {
    try {
      return doFetch();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while reading SQL Server", e);
    } catch (java.sql.SQLException e) {
      throw new IOException("Reading SQL Server failed: " + e.getMessage(), e);
    }
  }

  private RecordsWithSplitIds<SourceElement> doFetch()
      throws java.sql.SQLException, InterruptedException {
    RecordsBySplits.Builder<SourceElement> b = new RecordsBySplits.Builder<>();
    if (stream != null) {
      List<SourceElement> out = new ArrayList<>();
      Command c;
      while ((c = commands.poll()) != null) {
        if (c instanceof AllowProgress) {
          stream.allowProgress(out);
        } else if (c instanceof TablesChanged) {
          stream.updateTables(out, ((TablesChanged) c).tables());
        }
      }
      if (streamRestored) {
        stream.keepOnly(out, config::mayRead);
        streamRestored = false;
      }
      if (pendingHandoff != null) {
        stream.addChunk(out, pendingHandoffTable, pendingHandoff);
        pendingHandoff = null;
      }
      if (!out.isEmpty()) {
        b.addAll(dev.mssql2mz.source.split.StreamSplit.ID, out);
        return b.build();
      }
    }
    if (finishedChunk != null) {
      // The chunk's handoff entry was emitted in the previous batch; now close the split.
      b.addFinishedSplit(finishedChunk);
      finishedChunk = null;
      return b.build();
    }
    if (current == null && !chunks.isEmpty()) {
      current =
          new ChunkReader(
              chunks.poll(),
              connections,
              config.fetchSize(),
              config.pageSize(),
              config.pollInterval(),
              waiter);
    }
    if (current != null) {
      List<SourceElement> batch = current.next(config.fetchSize());
      b.addAll(current.splitId(), batch);
      if (current.isDone()) {
        if (stream != null) {
          // Read while streaming: the stream takes the chunk into its window before it finishes.
          pendingHandoff = current.chunk().toWindowChunk(current.lsn());
          pendingHandoffTable = current.chunk().table();
        }
        finishedChunk = current.splitId();
        current = null;
      }
      return b.build();
    }
    if (stream != null) {
      if (!streamBehind) {
        waiter.await(config.pollInterval());
      }
      List<SourceElement> out = new ArrayList<>();
      streamBehind = stream.poll(out);
      b.addAll(dev.mssql2mz.source.split.StreamSplit.ID, out);
      return b.build();
    }
    waiter.await(config.pollInterval());
    return b.build();
  }

  @Override
  public void handleSplitsChanges(SplitsChange<SqlServerSplit> change) {
    if (!(change instanceof SplitsAddition)) {
      return;
    }
    for (SqlServerSplit s : change.splits()) {
      if (s.isStream()) {
        stream =
            new StreamReader(
                s.asStream(), connections, config.pageSize(), metrics, subtask, parallelism);
        streamBehind = true;
        streamRestored = true;
      } else if (!s.asChunk().isFinished()) {
        chunks.add(s.asChunk());
      }
    }
  }

  @Override
  public void wakeUp() {
    waiter.wakeUp();
  }

  @Override
  public void pauseOrResumeSplits(
      java.util.Collection<SqlServerSplit> toPause,
      java.util.Collection<SqlServerSplit> toResume) {}

  @Override
  public void close() {
    if (current != null) {
      current.abort();
    }
    connections.close();
  }
}
