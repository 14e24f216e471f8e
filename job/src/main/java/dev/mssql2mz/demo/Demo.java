package dev.mssql2mz.demo;

import dev.mssql2mz.demo.emulator.EmulatorWorkload;
import dev.mssql2mz.demo.emulator.SqlServerEmulator;
import dev.mssql2mz.demo.emulator.TableContents;
import dev.mssql2mz.udfs.Lsn;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * The embedded demo: an emulated SQL Server with a live workload, and (in a later issue) the job
 * reading it. For now it runs the workload for a few seconds and prints what the emulated database
 * holds.
 */
public final class Demo {

  private static final Duration WORKLOAD_TIME = Duration.ofSeconds(4);

  private final long seed;
  private final PrintStream out;

  public Demo(long seed, PrintStream out) {
    this.seed = seed;
    this.out = out;
  }

  /** Runs the demo and returns the process exit code. */
  public int run() throws Exception {
    long started = System.nanoTime();
    try (SqlServerEmulator db =
        SqlServerEmulator.builder()
            .database("demo")
            .captureInterval(Duration.ofMillis(200))
            .captureDelay(Duration.ofMillis(300))
            .build()) {
      out.println(
          "demo: emulated SQL Server '"
              + db.database()
              + "' at "
              + db.jdbcUrl()
              + " (seed "
              + seed
              + ")");
      EmulatorWorkload workload =
          EmulatorWorkload.builder(db)
              .seed(seed)
              .initialRows(1_000)
              .largeTransactionEvery(60)
              .largeTransactionSize(10_000)
              .build();
      workload.setUp();
      workload.start();
      Thread.sleep(WORKLOAD_TIME.toMillis()); // the demo's live phase, not a test wait
      EmulatorWorkload.Report report = workload.stop();
      workload.close();
      Lsn lag = db.maxLsn();
      out.println("demo: workload wrote " + report);
      out.println(
          "demo: capture max LSN "
              + lag
              + " while the last commit was "
              + db.lastCommitLsn()
              + " ("
              + db.pendingTransactions()
              + " transactions not captured yet)");
      if (report.lastCommitLsn != null) {
        db.awaitCaptured(report.lastCommitLsn, Duration.ofSeconds(20));
      }
      printSummary(db);
    }
    out.printf("demo: done in %.1f s%n", (System.nanoTime() - started) / 1e9);
    return 0;
  }

  private void printSummary(SqlServerEmulator db) throws SQLException {
    try (Connection c = db.connect()) {
      out.println("demo: source tables");
      for (String table : EmulatorWorkload.tables()) {
        String[] parts = table.split("\\.", 2);
        Map<?, Long> rows = TableContents.read(c, parts[0], parts[1]);
        out.printf(
            "  %-24s %8d rows (%d distinct)%n",
            table, TableContents.size(castRows(rows)), rows.size());
      }
      out.println("demo: capture instances");
      Map<String, String> lines = new TreeMap<>();
      try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT ct.capture_instance, s.name, t.name, sys.fn_cdc_get_min_lsn(ct.capture_instance)"
                      + " FROM cdc.change_tables ct JOIN sys.tables t ON t.object_id = ct.source_object_id"
                      + " JOIN sys.schemas s ON s.schema_id = t.schema_id");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String instance = rs.getString(1);
          long changes =
              count(c, "SELECT COUNT_BIG(*) FROM cdc.[" + instance.replace("]", "]]") + "_CT]");
          lines.put(
              instance,
              String.format(
                  "  %-24s on %-22s %8d change rows, min LSN %s",
                  instance,
                  rs.getString(2) + "." + rs.getString(3),
                  changes,
                  Lsn.fromBytes(rs.getBytes(4))));
        }
      }
      lines.values().forEach(out::println);
      try (PreparedStatement ps = c.prepareStatement("SELECT sys.fn_cdc_get_max_lsn()");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        out.println("demo: sys.fn_cdc_get_max_lsn() = " + Lsn.fromBytes(rs.getBytes(1)));
      }
      out.println(
          "demo: cdc.lsn_time_mapping holds "
              + count(c, "SELECT COUNT_BIG(*) FROM cdc.lsn_time_mapping")
              + " transactions");
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<java.util.List<Object>, Long> castRows(Map<?, Long> rows) {
    return (Map<java.util.List<Object>, Long>) rows;
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
