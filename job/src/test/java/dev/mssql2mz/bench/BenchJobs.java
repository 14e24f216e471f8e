package dev.mssql2mz.bench;

import dev.mssql2mz.config.JobConfig;
import dev.mssql2mz.demo.EmbeddedPostgresServer;
import dev.mssql2mz.demo.emulator.SqlServerEmulator;
import dev.mssql2mz.sink.CommittedEpoch;
import dev.mssql2mz.sink.MaterializeDialect;
import dev.mssql2mz.sink.TargetModel;
import dev.mssql2mz.testing.TestJobConfigs;
import dev.mssql2mz.udfs.Lsn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.LongFunction;

/** What the benchmarks that run the whole job share: its config, rows, and waiting for commits. */
final class BenchJobs {

  private BenchJobs() {}

  /**
   * The job from the emulator into {@code targetUrl} with the Materialize dialect, at parallelism
   * 2, checkpoints every {@code checkpointMs} into a temporary directory.
   */
  static JobConfig config(
      SqlServerEmulator db,
      EmbeddedPostgresServer pg,
      String targetUrl,
      String schema,
      long checkpointMs)
      throws Exception {
    Path checkpoints = Files.createTempDirectory("mssql2mz-bench-checkpoints-");
    return TestJobConfigs.emulatorToTarget(db, targetUrl, pg.user(), pg.password(), schema, schema)
        .set("flink", "parallelism", 2)
        .set("flink", "checkpoint-interval", checkpointMs + " ms")
        .set("flink", "poll-interval", "100 ms")
        .set("flink", "checkpoint-dir", checkpoints.toUri().toString())
        .parse("benchmark " + schema);
  }

  /** Waits until the target's committed LSN reaches {@code lsn}. */
  static void awaitCommitted(Connection target, TargetModel model, Lsn lsn, Duration timeout)
      throws Exception {
    MaterializeDialect dialect = new MaterializeDialect(false);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<CommittedEpoch> committed;
      try {
        committed = dialect.latestCommitted(target, model);
      } catch (SQLException e) {
        committed = Optional.empty(); // relations not created yet
      }
      if (committed.isPresent() && committed.get().lsn().compareTo(lsn) >= 0) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("target did not commit LSN " + lsn + " within " + timeout);
      }
      Thread.sleep(5);
    }
  }

  /** Rows 0 to n - 1, each made by {@code row} from its number. */
  static Iterator<Object[]> rows(long n, LongFunction<Object[]> row) {
    return new Iterator<>() {
      long i;

      @Override
      public boolean hasNext() {
        return i < n;
      }

      @Override
      public Object[] next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return row.apply(i++);
      }
    };
  }
}
