package dev.mssql2mz.sink;

import dev.mssql2mz.metrics.StatisticNames;
import dev.mssql2mz.udfs.Lsn;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkCommitterMetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits epochs, one at a time and in order, through the dialect. Idempotent: an epoch at or below
 * the newest committed one is acknowledged without writing (Flink commits again after a restart). A
 * failed commit is retried with back-off on a fresh connection; when the attempts run out the task
 * fails and the restored committer tries again, so a prepared epoch is never lost.
 *
 * <p>After every few commits it compacts one table and trims old progress rows, on a thread and a
 * connection of its own: compaction scans a whole change table, and done inline it held up the
 * committer's checkpoint barrier (a 10 s checkpoint, and no commit meanwhile, in the demo). It only
 * removes committed pairs that cancel, so it may run beside the next commits.
 */
final class EpochCommitter implements Committer<EpochCommittable> {

  private static final Logger LOG = LoggerFactory.getLogger(EpochCommitter.class);

  private final SinkSettings settings;
  private final TargetConnector connector;
  private final Counter updatesCommitted;
  private final Counter epochsCommitted;
  private final Counter rowsCompacted;
  private final Counter retries;
  private volatile long lastLatencyMs;
  private volatile String committedLsn = "";
  private Connection connection;
  private int commitsSinceCompaction;
  private int nextTableToCompact;
  private ExecutorService compactor;
  private Future<?> compaction;

  /** Used by the compaction thread only. */
  private volatile Connection compactionConnection;

  EpochCommitter(SinkSettings settings, SinkCommitterMetricGroup metrics) {
    this.settings = settings;
    this.connector = new TargetConnector(settings, ConnectionDecorator.Role.COMMITTER);
    this.updatesCommitted = metrics.counter(StatisticNames.UPDATES_COMMITTED);
    this.epochsCommitted = metrics.counter(StatisticNames.EPOCHS_COMMITTED);
    this.rowsCompacted = metrics.counter(StatisticNames.ROWS_COMPACTED);
    this.retries = metrics.counter(StatisticNames.COMMIT_RETRIES);
    metrics.gauge(StatisticNames.COMMIT_LATENCY_MS, () -> lastLatencyMs);
    metrics.gauge(StatisticNames.OFFSET_COMMITTED, () -> committedLsn);
  }

  @Override
  public void commit(Collection<CommitRequest<EpochCommittable>> requests)
      throws IOException, InterruptedException {
    List<CommitRequest<EpochCommittable>> ordered = new ArrayList<>(requests);
    ordered.sort(Comparator.comparingLong(r -> r.getCommittable().epoch()));
    for (CommitRequest<EpochCommittable> request : ordered) {
      if (!commitWithRetries(request.getCommittable())) {
        request.signalAlreadyCommitted();
      }
    }
  }

  /** Returns false when the epoch was already committed (or had nothing to show). */
  private boolean commitWithRetries(EpochCommittable epoch)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      try {
        boolean written = commitOnce(epoch);
        lastLatencyMs = (System.nanoTime() - start) / 1_000_000L;
        if (written) {
          maybeCompact();
        }
        return written;
      } catch (SQLException e) {
        closeQuietly();
        if (attempt >= settings.commitAttempts) {
          throw new IOException(
              "Committing "
                  + epoch
                  + " to "
                  + settings.model.progressRelation()
                  + " failed "
                  + attempt
                  + " times: "
                  + e.getMessage()
                  + ". The epoch stays prepared and is committed after the job restarts.",
              e);
        }
        retries.inc();
        long wait = settings.backoffMillis(attempt);
        LOG.warn("Commit of {} failed ({}), retrying in {} ms", epoch, e.getMessage(), wait);
        Thread.sleep(wait);
      }
    }
  }

  private boolean commitOnce(EpochCommittable epoch) throws SQLException, InterruptedException {
    Connection c = connection();
    Optional<CommittedEpoch> latest = settings.dialect.latestCommitted(c, settings.model);
    if (latest.isPresent() && latest.get().epoch() >= epoch.epoch()) {
      return false;
    }
    Lsn previous = latest.map(CommittedEpoch::lsn).orElse(null);
    Lsn lsn = epoch.lsn();
    if (lsn == null || (previous != null && previous.compareTo(lsn) > 0)) {
      lsn = previous;
    }
    if (epoch.rows() == 0 && (lsn == null || lsn.equals(previous))) {
      return false;
    }
    if (lsn == null) {
      // No progress marker yet: the rows are committed but stay invisible until one arrives.
      lsn = Lsn.MIN;
    }
    settings.dialect.commitEpoch(c, settings.model, epoch.epoch(), lsn, Instant.now());
    updatesCommitted.inc(epoch.rows());
    epochsCommitted.inc();
    committedLsn = lsn.toString();
    LOG.debug("Committed {} at LSN {}", epoch, lsn);
    return true;
  }

  private void maybeCompact() {
    if (settings.compactionEveryEpochs <= 0
        || ++commitsSinceCompaction < settings.compactionEveryEpochs) {
      return;
    }
    if (compaction != null && !compaction.isDone()) {
      return; // the previous round is still running; try again after the next commits
    }
    commitsSinceCompaction = 0;
    List<TableModel> tables = settings.model.tables();
    TableModel table = tables.get(nextTableToCompact++ % tables.size());
    if (compactor == null) {
      compactor =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "mssql2mz-compaction");
                t.setDaemon(true);
                return t;
              });
    }
    compaction = compactor.submit(() -> compact(table));
  }

  private void compact(TableModel table) {
    try {
      if (compactionConnection == null) {
        compactionConnection = connector.open();
      }
      Connection c = compactionConnection;
      Optional<CommittedEpoch> latest = settings.dialect.latestCommitted(c, settings.model);
      if (latest.isEmpty()) {
        return;
      }
      long removed =
          settings.dialect.compact(
              c, settings.model, table, latest.get(), settings.compactionMaxGroups);
      rowsCompacted.inc(removed);
      settings.dialect.trimProgress(
          c, settings.model, latest.get().epoch() - settings.progressRetentionEpochs);
    } catch (SQLException | InterruptedException e) {
      // Compaction only saves space; the next round tries again.
      LOG.warn("Compaction of {} failed: {}", table.name(), e.getMessage());
      closeCompactionConnection();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void closeCompactionConnection() {
    if (compactionConnection != null) {
      try {
        compactionConnection.close();
      } catch (SQLException ignored) {
        // The connection is being replaced because it failed.
      }
      compactionConnection = null;
    }
  }

  /** Whether a compaction round is running (for tests). */
  boolean isCompacting() {
    return compaction != null && !compaction.isDone();
  }

  private Connection connection() throws SQLException, InterruptedException {
    if (connection == null) {
      connection = connector.open();
    }
    return connection;
  }

  private void closeQuietly() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // The connection is being replaced because it failed.
      }
      connection = null;
    }
  }

  @Override
  public void close() {
    closeQuietly();
    if (compactor != null) {
      compactor.shutdownNow();
      try {
        if (!compactor.awaitTermination(1, TimeUnit.SECONDS)) {
          // A statement in flight ignores the interrupt; closing its connection ends it.
          closeCompactionConnection();
          if (!compactor.awaitTermination(5, TimeUnit.SECONDS)) {
            LOG.warn("Compaction did not stop within 6 s; leaving it to end on its own");
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      closeCompactionConnection();
    }
  }
}
