package dev.mssql2mz.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mssql2mz.ReplicationJob;
import dev.mssql2mz.cli.Main;
import dev.mssql2mz.config.JobConfig;
import dev.mssql2mz.config.JobConfigLoader;
import dev.mssql2mz.demo.TargetVerifier;
import dev.mssql2mz.demo.emulator.SqlServerEmulator;
import dev.mssql2mz.sink.CommittedEpoch;
import dev.mssql2mz.sink.MaterializeDialect;
import dev.mssql2mz.sink.PostgresDialect;
import dev.mssql2mz.sink.TargetDialect;
import dev.mssql2mz.sink.TargetModel;
import dev.mssql2mz.sqlserver.SourceTable;
import dev.mssql2mz.testing.PostgresExtension;
import dev.mssql2mz.testing.SharedMiniCluster;
import dev.mssql2mz.testing.StoppedJobs;
import dev.mssql2mz.udfs.Lsn;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.awaitility.Awaitility;

/** Shared pieces of the bad-input suite: emulators, configs, job runs and CLI runs. */
final class BadInputFixture {

  private BadInputFixture() {}

  /** The source table every case starts from. */
  static final String ORDERS_DDL =
      "CREATE TABLE dbo.orders (id INT NOT NULL PRIMARY KEY, note NVARCHAR(50),"
          + " total DECIMAL(10,2))";

  /** An emulator named {@code shop} with CDC, snapshot isolation and dbo.orders of {@code rows}. */
  static SqlServerEmulator shop(int rows) throws SQLException {
    SqlServerEmulator db =
        SqlServerEmulator.builder()
            .database("shop")
            .captureInterval(Duration.ofMillis(50))
            .cdcEnabled(true)
            .snapshotIsolation(true)
            .build();
    db.execute(ORDERS_DDL);
    db.enableTable("dbo", "orders");
    insertOrders(db, 1, rows);
    return db;
  }

  static Lsn insertOrders(SqlServerEmulator db, int firstId, int rows) throws SQLException {
    return db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("INSERT INTO dbo.orders (id, note, total) VALUES (?, ?, ?)")) {
            for (int i = firstId; i < firstId + rows; i++) {
              ps.setInt(1, i);
              ps.setString(2, "order " + i);
              ps.setBigDecimal(3, new java.math.BigDecimal(i + ".25"));
              ps.addBatch();
            }
            ps.executeBatch();
          }
        });
  }

  /** The target section for {@code url} on the test server. */
  static String target(String url, String dialect, String schema) {
    PostgresExtension.server();
    String user = PostgresExtension.server().user();
    String password = PostgresExtension.server().password();
    return "target:\n"
        + "  url: \""
        + url
        + "\"\n"
        + (user != null ? "  user: " + user + "\n" : "")
        + (password != null && !password.isEmpty() ? "  password: \"" + password + "\"\n" : "")
        + "  dialect: "
        + dialect
        + "\n"
        + "  schema: "
        + schema
        + "\n"
        + "  source-name: shop\n";
  }

  /** A source section reading the emulator as its product user. */
  static String emulatorSource(SqlServerEmulator db, String passwordFile, String tables) {
    return "source:\n"
        + "  jdbc-url: "
        + db.jdbcUrl()
        + "\n"
        + "  user: "
        + db.user()
        + "\n"
        + "  password: {file: \""
        + passwordFile
        + "\"}\n"
        + "  tables: "
        + tables
        + "\n";
  }

  static String flink(String extra) {
    return "flink:\n"
        + "  parallelism: 1\n"
        + "  checkpoint-interval: 200 ms\n"
        + "  poll-interval: 50 ms\n"
        + "  chunk-size: 100\n"
        + extra;
  }

  static JobConfig parse(String yaml) throws Exception {
    return new JobConfigLoader().parse(yaml, "bad-input test");
  }

  static TargetDialect dialect(String name) {
    return name.equals("postgres") ? new PostgresDialect() : new MaterializeDialect(false);
  }

  /** A running replication job in a local MiniCluster and what it writes. */
  record RunningJob(
      JobClient client, TargetModel model, TargetDialect dialect, List<SourceTable> tables)
      implements AutoCloseable {

    /** The newest committed epoch, empty before the first commit. */
    Optional<CommittedEpoch> committed(Connection target) {
      try {
        return dialect.latestCommitted(target, model);
      } catch (SQLException e) {
        return Optional.empty(); // relations not created yet
      }
    }

    /** Waits until the target has committed {@code lsn}, failing early if the job ends. */
    void awaitCommitted(Connection target, Lsn lsn, Duration timeout) {
      Awaitility.await("target committing LSN " + lsn)
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(100))
          .untilAsserted(
              () -> {
                assertThat(client.getJobStatus().get().isGloballyTerminalState())
                    .as("job ended early")
                    .isFalse();
                assertThat(committed(target).map(CommittedEpoch::lsn).orElse(null))
                    .isNotNull()
                    .isGreaterThanOrEqualTo(lsn);
              });
    }

    @Override
    public void close() throws Exception {
      StoppedJobs.cancel(client);
    }
  }

  /** Starts the job of {@code config} on the shared MiniCluster (views without indexes). */
  static RunningJob start(JobConfig config, boolean startOver) throws Exception {
    ReplicationJob job = new ReplicationJob(config, startOver).withoutViewIndexes();
    StreamExecutionEnvironment env =
        SharedMiniCluster.environment(job.flinkConfiguration(), config.flink().parallelism());
    ReplicationJob.Assembly assembly = job.addTo(env);
    JobClient client = env.executeAsync("bad-input " + config.target().schema());
    return new RunningJob(
        client,
        assembly.sink().model(),
        dialect(config.target().dialect().name().toLowerCase(java.util.Locale.ROOT)),
        assembly.tables());
  }

  /** Asserts that every table in the target equals the source, row by row (multisets). */
  static void assertTargetEqualsSource(
      SqlServerEmulator db, Connection target, String schema, List<SourceTable> tables)
      throws SQLException {
    try (Connection source = db.connect()) {
      TargetVerifier verifier = new TargetVerifier(source, target, schema);
      for (SourceTable t : tables) {
        TargetVerifier.TableResult r = verifier.verify(t);
        assertThat(r.missing()).as("%s missing rows %s", t.qualifiedName(), r.examples()).isZero();
        assertThat(r.extra()).as("%s extra rows %s", t.qualifiedName(), r.examples()).isZero();
      }
    }
  }

  /** One CLI run with its exit code and output. */
  record CliResult(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  /** Runs the CLI; a job it starts ({@code run}) runs on the shared MiniCluster. */
  static CliResult cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        args[0].equals("run")
            ? SharedMiniCluster.asContext(
                () -> Main.execute(new PrintWriter(out), new PrintWriter(err), args))
            : Main.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new CliResult(code, out.toString(), err.toString());
  }
}
