package dev.mssql2mz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mssql2mz.config.JobConfig;
import dev.mssql2mz.demo.TargetVerifier;
import dev.mssql2mz.demo.emulator.EmulatorWorkload;
import dev.mssql2mz.demo.emulator.SqlServerEmulator;
import dev.mssql2mz.sink.CommittedEpoch;
import dev.mssql2mz.sink.TargetModel;
import dev.mssql2mz.sqlserver.SourceTable;
import dev.mssql2mz.testing.LogCapture;
import dev.mssql2mz.testing.PostgresExtension;
import dev.mssql2mz.testing.StoppedJobs;
import dev.mssql2mz.testing.TargetCommits;
import dev.mssql2mz.testing.TestJobConfigs;
import dev.mssql2mz.udfs.Lsn;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.util.MiniClusterWithClientResource;
import org.apache.logging.log4j.Level;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replication job as a Flink cluster runs it ({@link MiniClusterWithClientResource}): stopped
 * with a savepoint while the workload runs, more workload while it is down, then resumed from the
 * savepoint through the config's {@code flink.savepoint}. The target must end equal to the source,
 * row by row, with nothing missing and nothing twice.
 */
@Timeout(240)
class SavepointResumeITCase {

  @RegisterExtension final PostgresExtension pg = new PostgresExtension();

  private static final String TARGET_SCHEMA = "mz_savepoint";
  private static final String SOURCE_NAME = "sp";

  @TempDir Path savepoints;

  private MiniClusterWithClientResource cluster;
  private SqlServerEmulator emulator;
  private EmulatorWorkload workload;

  @BeforeEach
  void start() throws Exception {
    cluster =
        new MiniClusterWithClientResource(
            new MiniClusterResourceConfiguration.Builder()
                .setConfiguration(new Configuration())
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(2)
                .build());
    cluster.before();
  }

  @AfterEach
  void stop() throws Exception {
    if (workload != null) {
      workload.close();
    }
    cluster.after();
    if (emulator != null) {
      emulator.close();
    }
  }

  @Test
  void resumedFromASavepointTheTargetEqualsTheSourceWithNothingLostOrRepeated() throws Exception {
    emulator =
        SqlServerEmulator.builder()
            .database("savepoint")
            .captureInterval(Duration.ofMillis(100))
            .build();
    workload =
        EmulatorWorkload.builder(emulator)
            .seed(23)
            .initialRows(100)
            .pauseBetweenTransactions(Duration.ofMillis(5))
            .build();
    workload.setUp();
    ClusterClient<?> client = cluster.getClusterClient();

    try (Connection source = emulator.connect();
        Connection target = pg.connect()) {
      ReplicationJob first = new ReplicationJob(config(null), true).withoutViewIndexes();
      Submitted run1 = submit(client, first);
      workload.start();
      awaitTransactions(30);
      Lsn streamed = workload.report().lastCommitLsn;
      CommittedEpoch beforeStop = awaitCommitted(client, run1, target, streamed);

      String savepoint =
          client
              .stopWithSavepoint(
                  run1.id, false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
              .get();
      assertThat(client.getJobStatus(run1.id).get()).isEqualTo(JobStatus.FINISHED);
      long stoppedAt = workload.report().transactions;
      awaitTransactions(stoppedAt + 30); // changes the stopped job must pick up on resume

      ReplicationJob second = new ReplicationJob(config(savepoint), false).withoutViewIndexes();
      Submitted run2 = submit(client, second);
      assertThat(run2.graph.getSavepointRestoreSettings().getRestorePath()).isEqualTo(savepoint);
      awaitTransactions(workload.report().transactions + 20);
      EmulatorWorkload.Report report = workload.stop();
      Lsn last = report.lastCommitLsn;
      emulator.awaitCaptured(last, Duration.ofSeconds(60));

      CommittedEpoch caughtUp = awaitCommitted(client, run2, target, last);
      assertThat(caughtUp.epoch())
          .as("epochs continue after the restore")
          .isGreaterThan(beforeStop.epoch());

      TargetVerifier verifier = new TargetVerifier(source, target, TARGET_SCHEMA);
      long rows = 0;
      for (SourceTable t : run2.tables) {
        TargetVerifier.TableResult r = verifier.verify(t);
        assertThat(r.missing()).as("missing in %s: %s", t.qualifiedName(), r.examples()).isZero();
        assertThat(r.extra()).as("extra in %s: %s", t.qualifiedName(), r.examples()).isZero();
        rows += r.sourceRows();
      }
      assertThat(rows).isPositive();
      StoppedJobs.cancel(client, run2.id);
    }
  }

  @Test
  void aTableEnabledWhileTheJobRunsIsReportedThenAddedByARestartFromASavepoint() throws Exception {
    emulator =
        SqlServerEmulator.builder()
            .database("latetable")
            .captureInterval(Duration.ofMillis(100))
            .build();
    emulator.execute("CREATE TABLE dbo.first (id INT NOT NULL PRIMARY KEY, note NVARCHAR(MAX))");
    emulator.enableTable("dbo", "first");
    insertRows("first", 1, 50);
    ClusterClient<?> client = cluster.getClusterClient();

    try (LogCapture log = LogCapture.start(Level.WARN);
        Connection source = emulator.connect();
        Connection target = pg.connect()) {
      Submitted run1 = submit(client, new ReplicationJob(config(null), true).withoutViewIndexes());
      awaitCommitted(client, run1, target, emulator.lastCommitLsn());

      emulator.execute("CREATE TABLE dbo.late (id INT NOT NULL PRIMARY KEY, note NVARCHAR(MAX))");
      emulator.enableTable("dbo", "late");
      insertRows("late", 1, 30);
      Awaitility.await("the new table reported")
          .atMost(Duration.ofSeconds(30))
          .until(() -> log.text().contains("Table dbo.late is enabled for CDC"));
      insertRows("first", 51, 10);
      // The job keeps replicating what it was built for; it neither fails nor restarts.
      awaitCommitted(client, run1, target, emulator.lastCommitLsn());
      assertThat(run1.tables).extracting(SourceTable::qualifiedName).containsExactly("dbo.first");
      assertThat(log.text()).doesNotContain("not among the sink's tables");

      String savepoint =
          client
              .stopWithSavepoint(
                  run1.id, false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
              .get();
      insertRows("late", 31, 20);
      emulator.execute("UPDATE dbo.late SET note = N'changed' WHERE id % 4 = 0");

      Submitted run2 =
          submit(client, new ReplicationJob(config(savepoint), false).withoutViewIndexes());
      assertThat(run2.tables)
          .extracting(SourceTable::qualifiedName)
          .containsExactlyInAnyOrder("dbo.first", "dbo.late");
      insertRows("late", 51, 5);
      Lsn last = emulator.lastCommitLsn();
      emulator.awaitCaptured(last, Duration.ofSeconds(60));
      awaitCommitted(client, run2, target, last);

      // The restored job reads dbo.late at an LSN of its own, after the ones committed above.
      TargetVerifier verifier = new TargetVerifier(source, target, TARGET_SCHEMA);
      Awaitility.await("both tables equal to the source")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(300))
          .untilAsserted(
              () -> {
                assertThat(client.getJobStatus(run2.id).get().isGloballyTerminalState())
                    .as("job ended")
                    .isFalse();
                for (SourceTable t : run2.tables) {
                  TargetVerifier.TableResult r = verifier.verify(t);
                  assertThat(r.sourceRows()).isEqualTo(t.name().equals("late") ? 55 : 60);
                  assertThat(r.missing())
                      .as("missing in %s: %s", t.qualifiedName(), r.examples())
                      .isZero();
                  assertThat(r.extra())
                      .as("extra in %s: %s", t.qualifiedName(), r.examples())
                      .isZero();
                }
              });
      StoppedJobs.cancel(client, run2.id);
    }
  }

  @Test
  void aTableRemovedFromTheSourceTablesIsLeftAsItWasWhenTheJobResumes() throws Exception {
    emulator =
        SqlServerEmulator.builder()
            .database("droptable")
            .captureInterval(Duration.ofMillis(100))
            .build();
    for (String t : new String[] {"first", "late"}) {
      emulator.execute(
          "CREATE TABLE dbo." + t + " (id INT NOT NULL PRIMARY KEY, note NVARCHAR(MAX))");
      emulator.enableTable("dbo", t);
      insertRows(t, 1, 20);
    }
    ClusterClient<?> client = cluster.getClusterClient();

    try (LogCapture log = LogCapture.start(Level.WARN);
        Connection source = emulator.connect();
        Connection target = pg.connect()) {
      Submitted run1 = submit(client, new ReplicationJob(config(null), true).withoutViewIndexes());
      awaitCommitted(client, run1, target, emulator.lastCommitLsn());
      String savepoint =
          client
              .stopWithSavepoint(
                  run1.id, false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
              .get();

      // Resumed with dbo.late no longer among the tables; its stream state is in the savepoint,
      // and its change table is gone: the resumed job must not read it.
      emulator.disableTable("dbo", "late", "all");
      JobConfig onlyFirst =
          TestJobConfigs.emulatorToTarget(
                  emulator, pg.jdbcUrl(), pg.user(), pg.password(), TARGET_SCHEMA, SOURCE_NAME)
              .set("source", "tables", java.util.List.of("dbo.first"))
              .set("flink", "parallelism", 1)
              .set("flink", "checkpoint-interval", "300 ms")
              .set("flink", "poll-interval", "100 ms")
              .set("flink", "checkpoint-dir", savepoints.resolve("checkpoints").toUri().toString())
              .set("flink", "savepoint", savepoint)
              .parse("savepoint test, one table fewer");
      Submitted run2 = submit(client, new ReplicationJob(onlyFirst, false).withoutViewIndexes());
      insertRows("late", 21, 10);
      insertRows("first", 21, 10);
      assertThat(log.text()).doesNotContain("capture instance dbo_late is gone");
      Lsn last = emulator.lastCommitLsn();
      emulator.awaitCaptured(last, Duration.ofSeconds(60));
      awaitCommitted(client, run2, target, last);

      TargetVerifier verifier = new TargetVerifier(source, target, TARGET_SCHEMA);
      SourceTable first = run2.tables.get(0);
      assertThat(run2.tables).extracting(SourceTable::qualifiedName).containsExactly("dbo.first");
      TargetVerifier.TableResult r = verifier.verify(first);
      assertThat(r.sourceRows()).isEqualTo(30);
      assertThat(r.missing()).as("missing: %s", r.examples()).isZero();
      assertThat(r.extra()).as("extra: %s", r.examples()).isZero();
      assertThat(log.text()).doesNotContain("not among the sink's tables");
      assertThat(client.getJobStatus(run2.id).get()).isEqualTo(JobStatus.RUNNING);
      StoppedJobs.cancel(client, run2.id);
    }
  }

  private void insertRows(String table, int firstId, int rows) throws SQLException {
    emulator.inTransaction(
        c -> {
          try (java.sql.PreparedStatement ps =
              c.prepareStatement("INSERT INTO dbo." + table + " (id, note) VALUES (?, ?)")) {
            for (int i = firstId; i < firstId + rows; i++) {
              ps.setInt(1, i);
              ps.setString(2, "note " + i + " " + "x".repeat(i * 37));
              ps.executeUpdate();
            }
          }
        });
  }

  private record Submitted(
      JobID id, JobGraph graph, TargetModel model, java.util.List<SourceTable> tables) {}

  private static Submitted submit(ClusterClient<?> client, ReplicationJob job) throws Exception {
    StreamExecutionEnvironment env = new StreamExecutionEnvironment(job.flinkConfiguration());
    ReplicationJob.Assembly assembly = job.addTo(env);
    JobGraph graph = env.getStreamGraph().getJobGraph();
    JobID id = client.submitJob(graph).get();
    Awaitility.await("job " + id + " running")
        .atMost(Duration.ofSeconds(30))
        .until(() -> client.getJobStatus(id).get() == JobStatus.RUNNING);
    return new Submitted(id, graph, assembly.sink().model(), assembly.tables());
  }

  /** Waits until the target has committed {@code lsn}, failing early if the job ends. */
  private static CommittedEpoch awaitCommitted(
      ClusterClient<?> client, Submitted run, Connection target, Lsn lsn) {
    return TargetCommits.await(
        () -> client.getJobStatus(run.id).get().isGloballyTerminalState(),
        target,
        run.model,
        lsn,
        Duration.ofSeconds(90));
  }

  private void awaitTransactions(long n) {
    Awaitility.await(n + " workload transactions")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> workload.report().transactions >= n);
  }

  private JobConfig config(String savepoint) throws Exception {
    return TestJobConfigs.emulatorToTarget(
            emulator, pg.jdbcUrl(), pg.user(), pg.password(), TARGET_SCHEMA, SOURCE_NAME)
        .set("flink", "parallelism", 1)
        .set("flink", "checkpoint-interval", "300 ms")
        .set("flink", "chunk-size", 100)
        .set("flink", "poll-interval", "100 ms")
        .set("flink", "discovery-interval", "300 ms")
        .set("flink", "checkpoint-dir", savepoints.resolve("checkpoints").toUri().toString())
        .set("flink", "savepoint", savepoint)
        .parse("savepoint test");
  }
}
