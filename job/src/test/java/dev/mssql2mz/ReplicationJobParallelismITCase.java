package dev.mssql2mz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mssql2mz.config.JobConfig;
import dev.mssql2mz.demo.emulator.SqlServerEmulator;
import dev.mssql2mz.sink.TargetModel;
import dev.mssql2mz.testing.PostgresExtension;
import dev.mssql2mz.testing.StoppedJobs;
import dev.mssql2mz.testing.TargetCommits;
import dev.mssql2mz.testing.TestJobConfigs;
import dev.mssql2mz.udfs.Lsn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole job (source, large-value filler, sink) at parallelism 2 against the SQL Server emulator
 * and a real PostgreSQL target: every source subtask must keep reporting progress, also the one
 * that never gets a split, or the committed LSN never moves and nothing becomes visible.
 */
@Timeout(300)
class ReplicationJobParallelismITCase {

  @RegisterExtension final PostgresExtension pg = new PostgresExtension();

  private static final String TARGET_SCHEMA = "mz_par";

  private SqlServerEmulator emulator;

  @AfterEach
  void stop() throws Exception {
    if (emulator != null) {
      emulator.close();
    }
  }

  @Test
  void committedLsnReachesTheLastSourceCommitWhenOneSourceSubtaskHasNoSplit() throws Exception {
    // One small table is one snapshot chunk: one source subtask never holds a split.
    replicateAtParallelismTwo(200, 1000);
  }

  @Test
  void committedLsnReachesTheLastSourceCommitWhenBothSourceSubtasksReadChunks() throws Exception {
    // Many small chunks: both subtasks read some; then the one without the stream claims all.
    replicateAtParallelismTwo(400, 40);
  }

  private void replicateAtParallelismTwo(int initialRows, int chunkSize) throws Exception {
    emulator =
        SqlServerEmulator.builder()
            .database("parallel")
            .captureInterval(Duration.ofMillis(100))
            .cdcEnabled(true)
            .snapshotIsolation(true)
            .build();
    emulator.execute(
        "CREATE TABLE dbo.items (id INT NOT NULL PRIMARY KEY, name NVARCHAR(50), qty INT)");
    emulator.enableTable("dbo", "items");
    insertItems(1, initialRows);

    ReplicationJob job = new ReplicationJob(config(chunkSize), true).withoutViewIndexes();
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(2, job.flinkConfiguration());
    ReplicationJob.Assembly assembly = job.addTo(env);
    TargetModel model = assembly.sink().model();
    JobClient client = env.executeAsync("parallelism 2");
    try (Connection source = emulator.connect();
        Connection target = pg.connect()) {
      insertItems(initialRows + 1, 50);
      emulator.execute("UPDATE dbo.items SET qty = qty + 100 WHERE id % 3 = 0");
      emulator.execute("DELETE FROM dbo.items WHERE id % 10 = 0");
      Lsn last = emulator.lastCommitLsn();
      emulator.awaitCaptured(last, Duration.ofSeconds(60));

      // The committed LSN stays 0 while a source subtask sends no progress markers.
      TargetCommits.await(client, target, model, last, Duration.ofSeconds(120));

      int rows = initialRows + 50;
      assertThat(
              TargetCommits.assertEqualToSource(source, target, TARGET_SCHEMA, assembly.tables()))
          .isEqualTo(rows - rows / 10);
    } finally {
      StoppedJobs.cancel(client);
    }
  }

  private void insertItems(int firstId, int rows) throws SQLException {
    emulator.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("INSERT INTO dbo.items (id, name, qty) VALUES (?, ?, ?)")) {
            for (int i = firstId; i < firstId + rows; i++) {
              ps.setInt(1, i);
              ps.setString(2, "item " + i);
              ps.setInt(3, i % 7);
              ps.addBatch();
            }
            ps.executeBatch();
          }
        });
  }

  private JobConfig config(int chunkSize) throws Exception {
    return TestJobConfigs.emulatorToTarget(
            emulator, pg.jdbcUrl(), pg.user(), pg.password(), TARGET_SCHEMA, "par")
        .set("flink", "parallelism", 2)
        .set("flink", "checkpoint-interval", "500 ms")
        .set("flink", "chunk-size", chunkSize)
        .set("flink", "poll-interval", "100 ms")
        .parse("parallelism test");
  }
}
