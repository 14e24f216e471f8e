package dev.mssql2mz.bench;

import dev.mssql2mz.demo.emulator.SqlServerEmulator;
import dev.mssql2mz.source.ChangeOperation;
import dev.mssql2mz.source.ChangeRecord;
import dev.mssql2mz.source.SqlServerCdcSource;
import dev.mssql2mz.sqlserver.TableSelection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Snapshot throughput of our source (1 and 2 readers) against a plain JDBC {@code SELECT *} of the
 * same emulator table, in one run. Not a test: run its main method (see README of the job module or
 * the command in the report); writes {@code job/target/bench/snapshot.json}.
 *
 * <p>Rows/s of our source count from the first to the last snapshot record seen after the source,
 * so job start-up is excluded; the plain scan is timed around the query and iteration. Each is run
 * once untimed first.
 */
public final class SnapshotBenchmark {

  static final AtomicLong SEEN = new AtomicLong();
  static volatile long firstNanos;
  static volatile long lastNanos;

  private SnapshotBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
    Path out = Path.of(args.length > 1 ? args[1] : "job/target/bench/snapshot.json");
    try (SqlServerEmulator emulator =
        SqlServerEmulator.builder()
            .database("bench")
            .captureInterval(Duration.ofMillis(500))
            .cdcEnabled(true)
            .snapshotIsolation(true)
            .build()) {
      emulator.execute(
          "CREATE TABLE dbo.orders (id INT NOT NULL PRIMARY KEY, customer NVARCHAR(40),"
              + " amount DECIMAL(12,2), created DATETIME2(7))");
      emulator.enableTable("dbo", "orders");
      emulator.bulkLoad(
          "dbo",
          "orders",
          List.of("id", "customer", "amount", "created"),
          BenchJobs.rows(
              rows,
              id ->
                  new Object[] {
                    (int) id,
                    "customer " + (id % 1000),
                    new java.math.BigDecimal(id % 10_000).movePointLeft(2),
                    java.time.LocalDateTime.of(2024, 1, 1, 0, 0).plusSeconds(id)
                  }),
          50_000);
      emulator.awaitCaptured(emulator.lastCommitLsn(), Duration.ofMinutes(5));

      // One untimed round of each first, so neither pays for the JIT (as in SinkBenchmark).
      plainJdbc(emulator, rows);
      ours(emulator, rows, 1);
      double plain = plainJdbc(emulator, rows);
      double ours1 = ours(emulator, rows, 1);
      double ours2 = ours(emulator, rows, 2);
      String json =
          String.format(
              Locale.ROOT,
              "{%n  \"snapshot.rows\": %d,%n  \"snapshot.ours_1_reader_rows_per_s\": %.0f,%n"
                  + "  \"snapshot.ours_2_readers_rows_per_s\": %.0f,%n"
                  + "  \"snapshot.plain_jdbc_rows_per_s\": %.0f%n}%n",
              rows,
              ours1,
              ours2,
              plain);
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, json);
      System.out.print(json);
    }
  }

  private static double plainJdbc(SqlServerEmulator emulator, int rows) throws Exception {
    long start = System.nanoTime();
    long n = 0;
    try (Connection c = emulator.connect();
        Statement s = c.createStatement()) {
      s.setFetchSize(1024);
      try (ResultSet rs = s.executeQuery("SELECT * FROM dbo.orders")) {
        while (rs.next()) {
          rs.getInt(1);
          rs.getString(2);
          rs.getBigDecimal(3);
          rs.getObject(4, java.time.LocalDateTime.class);
          n++;
        }
      }
    }
    long took = System.nanoTime() - start;
    if (n != rows) {
      throw new IllegalStateException("plain scan read " + n + " rows, expected " + rows);
    }
    return n / (took / 1e9);
  }

  /** Counts snapshot records after the source; remembers when the first and last arrived. */
  static final class CountSnapshot implements FilterFunction<ChangeRecord> {
    @Override
    public boolean filter(ChangeRecord r) {
      if (r.operation() == ChangeOperation.SNAPSHOT) {
        long now = System.nanoTime();
        if (SEEN.getAndIncrement() == 0) {
          firstNanos = now;
        }
        lastNanos = now;
      }
      return false;
    }
  }

  private static double ours(SqlServerEmulator emulator, int rows, int readers) throws Exception {
    SEEN.set(0);
    SqlServerCdcSource source =
        SqlServerCdcSource.builder()
            .jdbcUrl(emulator.jdbcUrl())
            .user(emulator.user())
            .password(emulator.password())
            .tables(TableSelection.tables("dbo.orders"))
            .chunkSize(Math.max(1, rows / (8 * readers)))
            .fetchSize(2048)
            .build();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(readers);
    env.fromSource(source, WatermarkStrategy.noWatermarks(), "sqlserver-cdc")
        .filter(new CountSnapshot())
        .sinkTo(new DiscardingSink<>());
    JobClient job = env.executeAsync("snapshot-benchmark-" + readers);
    try {
      while (SEEN.get() < rows) {
        Thread.sleep(20);
      }
    } finally {
      job.cancel().get();
    }
    return rows / ((lastNanos - firstNanos) / 1e9);
  }
}
