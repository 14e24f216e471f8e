package dev.mssql2mz.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mssql2mz.ReplicationJob;
import dev.mssql2mz.config.JobConfig;
import dev.mssql2mz.config.JobConfigLoader;
import dev.mssql2mz.config.JobConfigYaml;
import dev.mssql2mz.demo.emulator.SqlServerEmulator;
import dev.mssql2mz.testing.CheckpointDirs;
import dev.mssql2mz.testing.PostgresExtension;
import dev.mssql2mz.testing.StoppedJobs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code run} as a user starts it locally, with a config that names no checkpoint directory. */
class RunCommandITCase {

  @RegisterExtension final PostgresExtension pg = new PostgresExtension();

  @TempDir Path dir;

  /**
   * 6.4 MB of large values in keyed state: more than the 5 MB a MiniCluster's JobManager checkpoint
   * storage takes, so without the local default every checkpoint failed and nothing committed.
   */
  @Test
  void commitsLargeValueStateWithoutAConfiguredCheckpointDirectory() throws Exception {
    try (SqlServerEmulator db =
        SqlServerEmulator.builder()
            .database("runcmd")
            .captureInterval(Duration.ofMillis(100))
            .build()) {
      db.execute("CREATE TABLE dbo.docs (id int PRIMARY KEY, body varchar(max))");
      db.enableTable("dbo", "docs");
      String body = "x".repeat(100_000);
      db.bulkLoad(
          "dbo",
          "docs",
          List.of("id", "body"),
          IntStream.range(0, 64).mapToObj(i -> new Object[] {i, i + body}).iterator(),
          20);
      Path secret = dir.resolve("source-password");
      Files.writeString(secret, db.password());
      Path file =
          new JobConfigYaml()
              .set("source", "jdbc-url", db.jdbcUrl())
              .set("source", "user", db.user())
              .secretFile("source", "password", secret)
              .set("source", "tables", "all")
              .set("target", "url", pg.jdbcUrl())
              .set("target", "user", pg.user())
              .set("target", "dialect", "postgres")
              .set("target", "schema", "erp")
              .set("target", "source-name", "erp")
              .set("flink", "parallelism", 1)
              .set("flink", "checkpoint-interval", "500 ms")
              .writeTo(dir.resolve("job.yaml"));
      JobConfig job = new JobConfigLoader().load(file);
      ReplicationJob replication = new ReplicationJob(job, false);
      Path checkpoints = dir.resolve("checkpoints");
      StringWriter out = new StringWriter();
      StreamExecutionEnvironment env =
          RunCommand.environment(replication, job, new PrintWriter(out, true), checkpoints);
      assertThat(out.toString()).contains("checkpoints go to " + checkpoints.toUri());
      replication.addTo(env);
      JobClient client = env.executeAsync("run-command-it");
      try {
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> committedRows() == 64);
        StringWriter status = new StringWriter();
        int code =
            Main.execute(
                new PrintWriter(status),
                new PrintWriter(new StringWriter()),
                "status",
                "-c",
                "" + file);
        assertThat(code).as(status.toString()).isEqualTo(ExitCodes.OK);
        assertThat(status.toString())
            .containsPattern("status: source 'erp': epoch \\d+ committed LSN")
            .containsPattern("status:   docs +64 rows")
            .doesNotContain("not replicated");
        // A table enabled since the job was built is named, with how to add it.
        db.execute("CREATE TABLE dbo.later (id int PRIMARY KEY)");
        db.enableTable("dbo", "later");
        StringWriter again = new StringWriter();
        Main.execute(
            new PrintWriter(again), new PrintWriter(new StringWriter()), "status", "-c", "" + file);
        assertThat(again.toString())
            .contains("status: enabled for CDC but not replicated: dbo.later (stop the job with a");
        CheckpointDirs.awaitLatest(checkpoints);
      } finally {
        StoppedJobs.cancel(client);
      }
    }
  }

  private long committedRows() throws Exception {
    try (Connection c = pg.connect();
        Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery(
              "SELECT count(*) FROM information_schema.tables"
                  + " WHERE table_schema = 'erp' AND table_name = 'docs'")) {
        rs.next();
        if (rs.getLong(1) == 0) {
          return -1;
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM erp.docs")) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
