package dev.mssql2mz.bench;

import dev.mssql2mz.ReplicationJob;
import dev.mssql2mz.demo.EmbeddedPostgresServer;
import dev.mssql2mz.demo.emulator.SqlServerEmulator;
import dev.mssql2mz.sink.TargetModel;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The whole job, exactly once, from the SQL Server emulator into PostgreSQL (Materialize dialect):
 *
 * <ul>
 *   <li>{@code e2e.rows_per_s}: rows inserted while the job streams, divided by the time from the
 *       first insert until the target's committed LSN reaches the last insert's commit. The
 *       emulator's own write rate is recorded beside it ({@code e2e.source_write_rows_per_s}): the
 *       job cannot be faster than the rows arrive, so when the two are close the job kept up;
 *       {@code e2e.catch_up_after_last_write_ms} says how long the target trailed the last write.
 *   <li>{@code e2e.freshness_p50_ms}, {@code e2e.freshness_p99_ms}: single-row transactions
 *       committed at a steady pace; for each, the time from its commit until it is visible in the
 *       target's view, found by polling the view every 5 ms.
 * </ul>
 *
 * The checkpoint interval and the emulator's capture interval and delay are recorded with them: the
 * freshness target is capture interval + capture delay + checkpoint interval + 1 s. {@code
 * -Dbench.e2e.rows} (default 200,000), {@code -Dbench.e2e.probes} (200), {@code
 * -Dbench.e2e.checkpointMs} (1000). Writes {@code <dir>/e2e.json}.
 */
public final class EndToEndBenchmark {

  private static final int ROWS = Integer.getInteger("bench.e2e.rows", 200_000);
  private static final int PROBES = Integer.getInteger("bench.e2e.probes", 200);
  private static final long CHECKPOINT_MS = Long.getLong("bench.e2e.checkpointMs", 1000);
  private static final long CAPTURE_INTERVAL_MS = 200;
  private static final long CAPTURE_DELAY_MS = 0;
  private static final String SCHEMA = "e2e";

  private EndToEndBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "target/bench");
    BenchResults results = new BenchResults();
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.startOrConnect();
        SqlServerEmulator db =
            SqlServerEmulator.builder()
                .database("e2ebench")
                .captureInterval(Duration.ofMillis(CAPTURE_INTERVAL_MS))
                .captureDelay(Duration.ofMillis(CAPTURE_DELAY_MS))
                .build()) {
      db.execute(
          "CREATE TABLE dbo.events (id BIGINT NOT NULL PRIMARY KEY, kind NVARCHAR(40),"
              + " amount DECIMAL(12,2), at DATETIME2(7))");
      db.execute("CREATE TABLE dbo.probes (id INT NOT NULL PRIMARY KEY, note NVARCHAR(20))");
      db.enableTable("dbo", "events");
      db.enableTable("dbo", "probes");
      String url = pg.createDatabase("e2e_bench");
      ReplicationJob job =
          new ReplicationJob(BenchJobs.config(db, pg, url, SCHEMA, CHECKPOINT_MS), true)
              .withoutViewIndexes();
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.createLocalEnvironment(2, job.flinkConfiguration());
      TargetModel model = job.addTo(env).sink().model();
      JobClient client = env.executeAsync("e2e benchmark");
      try (Connection target = pg.connect(url)) {
        db.execute("INSERT INTO dbo.probes (id, note) VALUES (0, 'start')");
        BenchJobs.awaitCommitted(target, model, db.lastCommitLsn(), Duration.ofMinutes(3));

        long start = System.nanoTime();
        db.bulkLoad(
            "dbo",
            "events",
            List.of("id", "kind", "amount", "at"),
            BenchJobs.rows(
                ROWS,
                id ->
                    new Object[] {
                      id,
                      "kind " + (id % 17),
                      BigDecimal.valueOf(id % 100_000, 2),
                      LocalDateTime.of(2024, 1, 1, 0, 0).plusSeconds(id)
                    }),
            1000);
        double writeSeconds = (System.nanoTime() - start) / 1e9;
        BenchJobs.awaitCommitted(target, model, db.lastCommitLsn(), Duration.ofMinutes(10));
        double seconds = (System.nanoTime() - start) / 1e9;
        long visible = count(target, "SELECT count(*) FROM " + SCHEMA + ".events");
        if (visible != ROWS) {
          throw new IllegalStateException(visible + " rows visible, expected " + ROWS);
        }
        results.put("e2e.rows", ROWS);
        results.put("e2e.rows_per_s", Math.round(ROWS / seconds));
        results.put("e2e.source_write_rows_per_s", Math.round(ROWS / writeSeconds));
        // Commit of the last row to its visibility: when small against the whole run, the job kept
        // up with the writer, and rows_per_s is the writer's pace, not the job's limit.
        results.put(
            "e2e.catch_up_after_last_write_ms", Math.round((seconds - writeSeconds) * 1000));

        backlog(db, target, model, results);

        List<Long> freshness = freshness(db, target);
        Collections.sort(freshness);
        results.put("e2e.freshness_probes", freshness.size());
        results.put("e2e.freshness_p50_ms", percentile(freshness, 0.50));
        results.put("e2e.freshness_p99_ms", percentile(freshness, 0.99));
        results.put("e2e.checkpoint_interval_ms", CHECKPOINT_MS);
        results.put("e2e.capture_interval_ms", CAPTURE_INTERVAL_MS);
        results.put("e2e.capture_delay_ms", CAPTURE_DELAY_MS);
        results.put(
            "e2e.freshness_target_ms",
            CAPTURE_INTERVAL_MS + CAPTURE_DELAY_MS + CHECKPOINT_MS + 1000);
      } finally {
        client.cancel().get();
      }
    }
    results.writeTo(dir, "e2e");
  }

  /**
   * The streaming path's own rate, free of the writer's pace: with the capture job stopped, loads
   * {@code ROWS} more rows, then captures them all at once and times until the target shows them.
   */
  private static void backlog(
      SqlServerEmulator db, Connection target, TargetModel model, BenchResults results)
      throws Exception {
    db.stopCaptureJob();
    db.bulkLoad(
        "dbo",
        "events",
        List.of("id", "kind", "amount", "at"),
        BenchJobs.rows(
            ROWS,
            i ->
                new Object[] {
                  (long) ROWS + i, "backlog", BigDecimal.ONE, LocalDateTime.of(2025, 1, 1, 0, 0)
                }),
        1000);
    long start = System.nanoTime();
    db.captureNow();
    double captureSeconds = (System.nanoTime() - start) / 1e9;
    db.startCaptureJob();
    BenchJobs.awaitCommitted(target, model, db.lastCommitLsn(), Duration.ofMinutes(10));
    double seconds = (System.nanoTime() - start) / 1e9;
    long visible = count(target, "SELECT count(*) FROM " + SCHEMA + ".events");
    if (visible != 2L * ROWS) {
      throw new IllegalStateException(visible + " rows visible, expected " + 2L * ROWS);
    }
    results.put("e2e.backlog_rows_per_s", Math.round(ROWS / seconds));
    results.put("e2e.backlog_capture_rows_per_s", Math.round(ROWS / captureSeconds));
  }

  /**
   * Commits one probe row at a time, spaced so several land in each checkpoint interval, while this
   * thread polls the view for them; returns commit-to-visible times in milliseconds.
   */
  private static List<Long> freshness(SqlServerEmulator db, Connection target) throws Exception {
    long[] committedAt = new long[PROBES + 1];
    long[] visibleAt = new long[PROBES + 1];
    Thread writer =
        new Thread(
            () -> {
              try {
                for (int i = 1; i <= PROBES; i++) {
                  int id = i;
                  db.inTransaction(
                      c -> {
                        try (PreparedStatement ps =
                            c.prepareStatement(
                                "INSERT INTO dbo.probes (id, note) VALUES (?, 'probe')")) {
                          ps.setInt(1, id);
                          ps.executeUpdate();
                        }
                      });
                  committedAt[id] = System.nanoTime();
                  Thread.sleep(CHECKPOINT_MS / 7);
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            "e2e-probe-writer");
    writer.start();
    int seen = 0;
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    try (PreparedStatement ps =
        target.prepareStatement("SELECT id FROM " + SCHEMA + ".probes WHERE id > ?")) {
      while (seen < PROBES) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("only " + seen + " of " + PROBES + " probes visible");
        }
        ps.setInt(1, 0);
        long now = System.nanoTime();
        int count = 0;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            int id = rs.getInt(1);
            count++;
            if (visibleAt[id] == 0) {
              visibleAt[id] = now;
            }
          }
        }
        seen = count;
        Thread.sleep(5);
      }
    }
    writer.join();
    List<Long> out = new ArrayList<>();
    for (int i = 1; i <= PROBES; i++) {
      out.add(Math.max(0, (visibleAt[i] - committedAt[i]) / 1_000_000));
    }
    return out;
  }

  private static long percentile(List<Long> sorted, double p) {
    int index = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
