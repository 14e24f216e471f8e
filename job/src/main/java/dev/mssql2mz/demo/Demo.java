package dev.mssql2mz.demo;

import dev.mssql2mz.ReplicationJob;
import dev.mssql2mz.config.JobConfig;
import dev.mssql2mz.config.JobConfigYaml;
import dev.mssql2mz.demo.emulator.EmulatorWorkload;
import dev.mssql2mz.demo.emulator.SqlServerEmulator;
import dev.mssql2mz.metrics.InMemoryMetricReporter;
import dev.mssql2mz.sink.CommittedEpoch;
import dev.mssql2mz.sink.MaterializeDialect;
import dev.mssql2mz.sink.TargetModel;
import dev.mssql2mz.sqlserver.SourceTable;
import dev.mssql2mz.sqlserver.SqlServerQueries;
import dev.mssql2mz.udfs.Lsn;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The embedded demo: an emulated SQL Server with CDC and a live workload, a real PostgreSQL server
 * standing in for Materialize, and the replication job between them in a local MiniCluster.
 *
 * <p>It shows snapshot progress, then live lag; after the configured time it stops the workload,
 * waits until the target has committed the last source transaction, and compares every table row by
 * row. The last line says whether the target equals the source.
 */
public final class Demo {

  /** Where the demo writes its run's statistics, for the notebooks. */
  public static final Path METRICS_FILE = Path.of("job", "target", "demo", "metrics.csv");

  private static final String SOURCE_NAME = "demo";
  private static final String TARGET_SCHEMA = "mz_demo";
  private static final Duration CATCH_UP_TIMEOUT = Duration.ofMinutes(3);

  private final DemoOptions options;
  private final PrintStream out;

  public Demo(DemoOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** Runs the demo and returns the process exit code: 0 when the target equals the source. */
  public int run() throws Exception {
    long started = System.nanoTime();
    InMemoryMetricReporter.clear();
    try (SqlServerEmulator db =
            SqlServerEmulator.builder()
                .database("demo")
                .captureInterval(Duration.ofMillis(200))
                .captureDelay(Duration.ofMillis(300))
                .build();
        EmbeddedPostgresServer pg = EmbeddedPostgresServer.startOrConnect();
        DemoMetricsFile metrics = new DemoMetricsFile(options.metricsFile())) {
      out.printf("demo: emulated SQL Server '%s' (seed %d)%n", db.database(), options.seed());
      EmulatorWorkload workload =
          EmulatorWorkload.builder(db)
              .seed(options.seed())
              .initialRows(options.initialRows())
              .largeTransactionEvery(200)
              .largeTransactionSize(5_000)
              .build();
      workload.setUp();
      // Set up as a DBA would for documents of any size (validate warns at the default 64 KB).
      db.configure("max text repl size (B)", -1);
      String targetUrl = pg.createDatabase("mssql2mz_demo");
      out.printf(
          "demo: target PostgreSQL %s (%s)%n",
          targetUrl,
          pg.isEmbedded() ? "embedded server" : "from " + EmbeddedPostgresServer.URL_ENV);

      ReplicationJob job = new ReplicationJob(config(db, targetUrl, pg), true).withoutViewIndexes();
      Configuration flink = job.flinkConfiguration();
      InMemoryMetricReporter.register(flink);
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.createLocalEnvironment(options.parallelism(), flink);
      ReplicationJob.Assembly assembly = job.addTo(env);
      List<SourceTable> tables = assembly.tables();
      TargetModel model = assembly.sink().model();
      MaterializeDialect dialect = new MaterializeDialect(false);
      out.printf(
          "demo: replicating %d tables with parallelism %d, checkpoints every %d ms%n",
          tables.size(), options.parallelism(), options.checkpointInterval().toMillis());

      JobClient client = env.executeAsync("mssql2mz demo");
      try (Connection source = db.connect();
          Connection target = pg.connect(targetUrl)) {
        workload.start();
        Progress progress = new Progress(source, target, dialect, model, metrics, started);
        long liveUntil = System.nanoTime() + options.duration().toNanos();
        while (System.nanoTime() < liveUntil) {
          progress.show("live");
          failIfJobEnded(client);
          pause(Duration.ofMillis(500));
        }
        EmulatorWorkload.Report report = workload.stop();
        workload.close();
        out.println();
        out.println("demo: workload stopped after " + report);
        Lsn last = report.lastCommitLsn != null ? report.lastCommitLsn : db.maxLsn();
        db.awaitCaptured(last, CATCH_UP_TIMEOUT);
        Lsn committed = awaitCommitted(progress, client, last);
        out.println();
        out.println(
            "demo: target committed LSN " + committed + " (last source commit " + last + ")");
        return verify(source, target, tables, committed);
      } finally {
        client.cancel().get();
        out.printf("demo: done in %.1f s%n", (System.nanoTime() - started) / 1e9);
      }
    }
  }

  private JobConfig config(SqlServerEmulator db, String targetUrl, EmbeddedPostgresServer pg)
      throws Exception {
    // The same YAML a user writes, so the demo exercises the config path too, with the password
    // in a file readable only by this user, as a real config would keep it.
    Path secret = Files.createTempFile("mssql2mz-demo-", ".secret");
    secret.toFile().deleteOnExit();
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(secret, db.password());
    Path checkpoints = Files.createTempDirectory("mssql2mz-demo-checkpoints-");
    return new JobConfigYaml()
        .set("source", "jdbc-url", db.jdbcUrl())
        .set("source", "user", db.user())
        .secretFile("source", "password", secret)
        .set("source", "tables", "all")
        .set("target", "url", targetUrl)
        .set("target", "user", pg.user())
        .set("target", "dialect", "materialize")
        .set("target", "schema", TARGET_SCHEMA)
        .set("target", "source-name", SOURCE_NAME)
        .set("flink", "parallelism", options.parallelism())
        .set("flink", "checkpoint-interval", options.checkpointInterval().toMillis() + " ms")
        .set("flink", "chunk-size", options.chunkSize())
        .set("flink", "poll-interval", "200 ms")
        // Keyed large-value state outgrows the 5 MB JobManager checkpoint storage quickly.
        .set("flink", "checkpoint-dir", checkpoints.toUri().toString())
        .parse("demo");
  }

  private Lsn awaitCommitted(Progress progress, JobClient client, Lsn last) throws Exception {
    long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
    while (true) {
      Optional<CommittedEpoch> committed = progress.show("catch-up");
      if (committed.isPresent() && committed.get().lsn().compareTo(last) >= 0) {
        return committed.get().lsn();
      }
      failIfJobEnded(client);
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "The target did not commit LSN "
                + last
                + " within "
                + CATCH_UP_TIMEOUT
                + "; it stands at "
                + committed.map(e -> e.lsn().toString()).orElse("nothing"));
      }
      pause(Duration.ofMillis(200));
    }
  }

  private int verify(Connection source, Connection target, List<SourceTable> tables, Lsn lsn)
      throws SQLException {
    TargetVerifier verifier = new TargetVerifier(source, target, TARGET_SCHEMA);
    long rows = 0;
    long missing = 0;
    long extra = 0;
    List<TargetVerifier.TableResult> results = new ArrayList<>();
    for (SourceTable t : tables) {
      TargetVerifier.TableResult r = verifier.verify(t);
      results.add(r);
      rows += r.sourceRows();
      missing += r.missing();
      extra += r.extra();
    }
    for (TargetVerifier.TableResult r : results) {
      out.printf(
          "  %-24s %8d rows  missing=%d extra=%d%n",
          r.table(), r.sourceRows(), r.missing(), r.extra());
      r.examples().forEach(e -> out.println("      " + e));
    }
    DemoTargetExport export = new DemoTargetExport(options.metricsFile());
    try {
      export.write(target, TARGET_SCHEMA, results);
      out.println("demo: table samples for the notebooks in " + export.directory());
    } catch (java.io.IOException | SQLException e) {
      out.println("demo: could not write table samples for the notebooks: " + e.getMessage());
    }
    out.printf(
        "demo: verified %d tables, %d rows at LSN %s, missing=%d extra=%d%n",
        tables.size(), rows, lsn, missing, extra);
    return missing == 0 && extra == 0 ? 0 : 1;
  }

  private static void failIfJobEnded(JobClient client) throws Exception {
    if (client.getJobStatus().get().isGloballyTerminalState()) {
      client.getJobExecutionResult().get();
      throw new IllegalStateException("The replication job ended early");
    }
  }

  private static void pause(Duration d) throws InterruptedException {
    // The demo's own pacing of its progress display, not a synchronisation.
    Thread.sleep(d.toMillis());
  }

  /** Shows one progress line and appends one row of statistics to the metrics file. */
  private final class Progress {
    private final Connection source;
    private final Connection target;
    private final MaterializeDialect dialect;
    private final TargetModel model;
    private final DemoMetricsFile metrics;
    private final long started;

    Progress(
        Connection source,
        Connection target,
        MaterializeDialect dialect,
        TargetModel model,
        DemoMetricsFile metrics,
        long started) {
      this.source = source;
      this.target = target;
      this.dialect = dialect;
      this.model = model;
      this.metrics = metrics;
      this.started = started;
    }

    Optional<CommittedEpoch> show(String phase) throws Exception {
      Map<String, Double> totals = InMemoryMetricReporter.totals();
      long known = totals.getOrDefault("snapshot_records_known", 0.0).longValue();
      long staged = totals.getOrDefault("snapshot_records_staged", 0.0).longValue();
      long committedUpdates = totals.getOrDefault("updates_committed", 0.0).longValue();
      Lsn max = SqlServerQueries.maxLsn(source);
      Optional<CommittedEpoch> committed = committed();
      Lsn committedLsn = committed.map(CommittedEpoch::lsn).orElse(null);
      long lagMs = lagMillis(max, committedLsn);
      String what;
      if (known == 0 || staged < known) {
        what = "snapshot " + bar(staged, known) + " " + staged + "/" + known + " rows";
      } else {
        what =
            "streaming, committed "
                + (committedLsn == null ? "nothing yet" : committedLsn)
                + ", lag "
                + (lagMs < 0 ? "?" : lagMs + " ms");
      }
      out.print("\rdemo: " + phase + " " + what + "          ");
      out.flush();
      metrics.append(
          (System.nanoTime() - started) / 1_000_000,
          phase,
          known,
          staged,
          committedUpdates,
          max,
          committedLsn,
          lagMs);
      return committed;
    }

    private Optional<CommittedEpoch> committed() {
      try {
        return dialect.latestCommitted(target, model);
      } catch (SQLException e) {
        return Optional.empty(); // the sink has not created its relations yet
      }
    }

    /** Commit-time difference between the newest captured and the newest committed LSN. */
    private long lagMillis(Lsn max, Lsn committed) throws SQLException {
      if (committed == null) {
        return -1;
      }
      if (committed.compareTo(max) >= 0) {
        return 0;
      }
      LocalDateTime newest = SqlServerQueries.lsnToTime(source, max);
      LocalDateTime done = SqlServerQueries.lsnToTime(source, committed);
      if (newest == null || done == null) {
        return -1;
      }
      return Math.max(0, Duration.between(done, newest).toMillis());
    }

    private String bar(long done, long total) {
      int width = 30;
      int filled = total <= 0 ? 0 : (int) Math.min(width, done * width / total);
      return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
    }
  }
}
