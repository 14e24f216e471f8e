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
 * A keyless table with {@code nvarchar(max)} and {@code ntext} columns through the whole job: CDC
 * leaves the unchanged large values out of its updates and deletes, and the rows have no identity
 * but their values. Updates that change the other columns, and deletes of one of several identical
 * rows, must still leave the target equal to the source.
 */
@Timeout(300)
class KeylessLargeValuesITCase {

  @RegisterExtension final PostgresExtension pg = new PostgresExtension();

  private static final String TARGET_SCHEMA = "mz_heap";
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private SqlServerEmulator emulator;

  @AfterEach
  void stop() throws Exception {
    if (emulator != null) {
      emulator.close();
    }
  }

  @Test
  void updatesAndDeletesOfIdenticalKeylessRowsKeepTheirLargeValues() throws Exception {
    emulator =
        SqlServerEmulator.builder()
            .database("heap")
            .captureInterval(Duration.ofMillis(100))
            .cdcEnabled(true)
            .snapshotIsolation(true)
            .build();
    emulator.execute("CREATE TABLE dbo.notes (kind NVARCHAR(20), body NVARCHAR(MAX), old NTEXT)");
    emulator.enableTable("dbo", "notes");
    String big = "x".repeat(5000) + " \uD83D\uDE42";
    // Three identical rows, and rows equal but for their large values.
    insert("dup", big, "legacy", 3);
    insert("a", "body a", "old a", 1);
    insert("b", "body b", "old b", 1);

    ReplicationJob job = new ReplicationJob(config(), true).withoutViewIndexes();
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(2, job.flinkConfiguration());
    ReplicationJob.Assembly assembly = job.addTo(env);
    TargetModel model = assembly.sink().model();
    JobClient client = env.executeAsync("keyless large values");
    try (Connection source = emulator.connect();
        Connection target = pg.connect()) {
      // The changes below must reach the job as CDC rows, not as part of its snapshot.
      TargetCommits.await(client, target, model, emulator.lastCommitLsn(), TIMEOUT);
      // Each statement changes one row: on SQL Server a heap's UPDATE TOP (1) picks any copy.
      emulator.execute("UPDATE TOP (1) dbo.notes SET kind = N'moved' WHERE kind = N'dup'");
      emulator.execute("DELETE TOP (1) FROM dbo.notes WHERE kind = N'dup'");
      emulator.execute("UPDATE dbo.notes SET kind = N'a2' WHERE kind = N'a'");
      emulator.execute("UPDATE dbo.notes SET old = N'old b2' WHERE kind = N'b'");
      emulator.execute("UPDATE dbo.notes SET kind = N'moved again' WHERE kind = N'moved'");
      insert("dup", big, "legacy", 1);
      Lsn last = emulator.lastCommitLsn();
      emulator.awaitCaptured(last, Duration.ofSeconds(60));

      TargetCommits.await(client, target, model, last, TIMEOUT);

      try (var rs =
          source
              .createStatement()
              .executeQuery("SELECT COUNT(*) FROM dbo.notes WHERE kind = N'moved again'")) {
        rs.next();
        assertThat(rs.getInt(1)).as("UPDATE TOP (1) changed one of the copies").isEqualTo(1);
      }
      assertThat(
              TargetCommits.assertEqualToSource(source, target, TARGET_SCHEMA, assembly.tables()))
          .isEqualTo(5);
    } finally {
      StoppedJobs.cancel(client);
    }
  }

  private void insert(String kind, String body, String old, int copies) throws SQLException {
    emulator.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("INSERT INTO dbo.notes (kind, body, old) VALUES (?, ?, ?)")) {
            for (int i = 0; i < copies; i++) {
              ps.setString(1, kind);
              ps.setString(2, body);
              ps.setString(3, old);
              ps.executeUpdate();
            }
          }
        });
  }

  private JobConfig config() throws Exception {
    return TestJobConfigs.emulatorToTarget(
            emulator, pg.jdbcUrl(), pg.user(), pg.password(), TARGET_SCHEMA, "heap")
        .set("flink", "parallelism", 2)
        .set("flink", "checkpoint-interval", "500 ms")
        .set("flink", "poll-interval", "100 ms")
        .parse("keyless large values test");
  }
}
