package dev.mssql2mz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mssql2mz.config.JobConfig;
import dev.mssql2mz.demo.emulator.SqlServerEmulator;
import dev.mssql2mz.metrics.InMemoryMetricReporter;
import dev.mssql2mz.metrics.StatisticNames;
import dev.mssql2mz.sink.TableModel;
import dev.mssql2mz.sink.TargetModel;
import dev.mssql2mz.testing.PostgresExtension;
import dev.mssql2mz.testing.StoppedJobs;
import dev.mssql2mz.testing.TargetCommits;
import dev.mssql2mz.testing.TestJobConfigs;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A target that stops accepting writes must slow the source down, not fill the job's memory: while
 * another session holds a lock on the sink's change table, the source stops reading after a bounded
 * number of changes, far fewer than SQL Server holds; once the lock is gone everything arrives,
 * exactly once.
 */
@Timeout(300)
class BackPressureITCase {

  @RegisterExtension final PostgresExtension pg = new PostgresExtension();

  private static final String TARGET_SCHEMA = "mz_pressure";
  private static final int ROWS = 100_000;
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  /** Fetch queue, network buffers and the sink's row buffer hold far fewer than this. */
  private static final int BOUND = 40_000;

  private SqlServerEmulator emulator;

  @AfterEach
  void stop() throws Exception {
    InMemoryMetricReporter.clear();
    if (emulator != null) {
      emulator.close();
    }
  }

  @Test
  void aBlockedTargetStopsTheSourceAfterABoundedNumberOfChanges() throws Exception {
    emulator =
        SqlServerEmulator.builder()
            .database("pressure")
            .captureInterval(Duration.ofMillis(100))
            .cdcEnabled(true)
            .snapshotIsolation(true)
            .build();
    emulator.execute("CREATE TABLE dbo.events (id INT NOT NULL PRIMARY KEY, note NVARCHAR(200))");
    emulator.enableTable("dbo", "events");
    load(0, 10);

    ReplicationJob job = new ReplicationJob(config(), true).withoutViewIndexes();
    Configuration flink = job.flinkConfiguration();
    InMemoryMetricReporter.register(flink);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, flink);
    ReplicationJob.Assembly assembly = job.addTo(env);
    TargetModel model = assembly.sink().model();
    JobClient client = env.executeAsync("back-pressure");
    try (Connection source = emulator.connect();
        Connection target = pg.connect();
        Connection blocker = pg.connect()) {
      TargetCommits.await(client, target, model, emulator.lastCommitLsn(), TIMEOUT);
      double before = received();

      blocker.setAutoCommit(false);
      try (Statement s = blocker.createStatement()) {
        for (TableModel t : model.tables()) {
          s.execute(
              "LOCK TABLE \""
                  + TARGET_SCHEMA
                  + "\".\""
                  + t.changeTable()
                  + "\" IN ACCESS EXCLUSIVE MODE");
        }
      }
      load(10, ROWS);
      emulator.awaitCaptured(emulator.lastCommitLsn(), Duration.ofSeconds(60));
      double[] last = {-1};
      double plateau =
          Awaitility.await("the source to stop reading while the target is blocked")
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofSeconds(2))
              .until(
                  () -> {
                    double now = received();
                    boolean still = now == last[0];
                    last[0] = now;
                    return still ? now : null;
                  },
                  v -> v != null);
      assertThat(plateau - before)
          .as("changes read while the target accepted nothing (of %d waiting)", ROWS)
          .isPositive()
          .isLessThan(BOUND);

      blocker.rollback();
      TargetCommits.await(client, target, model, emulator.lastCommitLsn(), TIMEOUT);
      assertThat(
              TargetCommits.assertEqualToSource(source, target, TARGET_SCHEMA, assembly.tables()))
          .isEqualTo(ROWS + 10);
    } finally {
      StoppedJobs.cancel(client);
    }
  }

  private static double received() {
    return InMemoryMetricReporter.totals().getOrDefault(StatisticNames.MESSAGES_RECEIVED, 0.0);
  }

  private void load(int first, int rows) throws SQLException {
    Iterator<Object[]> it =
        new Iterator<>() {
          int i = first;

          @Override
          public boolean hasNext() {
            return i < first + rows;
          }

          @Override
          public Object[] next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            int id = i++;
            return new Object[] {id, "event " + id + " " + "x".repeat(100)};
          }
        };
    emulator.bulkLoad("dbo", "events", List.of("id", "note"), it, 1000);
  }

  private JobConfig config() throws Exception {
    return TestJobConfigs.emulatorToTarget(
            emulator, pg.jdbcUrl(), pg.user(), pg.password(), TARGET_SCHEMA, "pressure")
        .set("flink", "parallelism", 1)
        .set("flink", "checkpoint-interval", "500 ms")
        .set("flink", "poll-interval", "100 ms")
        .parse("back-pressure test");
  }
}
