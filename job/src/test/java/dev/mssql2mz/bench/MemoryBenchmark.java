package dev.mssql2mz.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.mssql2mz.ReplicationJob;
import dev.mssql2mz.demo.EmbeddedPostgresServer;
import dev.mssql2mz.demo.emulator.SqlServerEmulator;
import dev.mssql2mz.sink.TargetModel;
import dev.mssql2mz.udfs.Lsn;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Peak heap of the job replicating a table of N rows and of 10 N rows (snapshot, then caught up),
 * in this JVM: {@code memory.peak_heap_mb_1x} and {@code memory.peak_heap_mb_10x}. The target: 10x
 * at most 1.5x the 1x figure, i.e. the job streams the snapshot instead of holding it.
 *
 * <p>What is measured is the live heap, not garbage: the highest heap use after any garbage
 * collection while the job runs, minus the heap in use (after a full collection) before it started.
 * The emulator holds its tables in this heap too, which the baseline takes out. The table has no
 * large columns: large values are kept in keyed state by design, which grows with the table on the
 * heap state backend (use RocksDB for big large-value tables). {@code -Dbench.memory.rows} (default
 * 50,000). Writes {@code <dir>/memory.json}.
 */
public final class MemoryBenchmark {

  private static final int ROWS = Integer.getInteger("bench.memory.rows", 50_000);

  private MemoryBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "target/bench");
    BenchResults results = new BenchResults();
    results.put("memory.rows_1x", ROWS);
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.startOrConnect()) {
      double one = peakHeapMb(pg, ROWS, "mem1x");
      double ten = peakHeapMb(pg, ROWS * 10, "mem10x");
      results.put("memory.peak_heap_mb_1x", Math.round(one * 10) / 10.0);
      results.put("memory.peak_heap_mb_10x", Math.round(ten * 10) / 10.0);
      results.put("memory.ratio_10x_to_1x", Math.round(ten / one * 100) / 100.0);
    }
    results.writeTo(dir, "memory");
  }

  private static double peakHeapMb(EmbeddedPostgresServer pg, int rows, String name)
      throws Exception {
    try (SqlServerEmulator db =
        SqlServerEmulator.builder()
            .database(name)
            .captureInterval(Duration.ofMillis(200))
            .build()) {
      db.execute(
          "CREATE TABLE dbo.orders (id BIGINT NOT NULL PRIMARY KEY, customer NVARCHAR(40),"
              + " amount DECIMAL(12,2), note NVARCHAR(100))");
      db.enableTable("dbo", "orders");
      db.bulkLoad(
          "dbo",
          "orders",
          List.of("id", "customer", "amount", "note"),
          BenchJobs.rows(
              rows,
              id ->
                  new Object[] {
                    id,
                    "customer " + (id % 1000),
                    BigDecimal.valueOf(id % 100_000, 2),
                    "note for order "
                        + id
                        + " with some padding text to give rows a realistic width"
                  }),
          20_000);
      Lsn loaded = db.lastCommitLsn();
      db.awaitCaptured(loaded, Duration.ofMinutes(5));
      String url = pg.createDatabase(name);
      ReplicationJob job =
          new ReplicationJob(BenchJobs.config(db, pg, url, "mem", 1000), true).withoutViewIndexes();

      long baseline = usedAfterFullGc();
      AtomicLong peak = new AtomicLong(baseline);
      NotificationListener listener =
          (n, h) -> {
            if (n.getType()
                .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
              GarbageCollectionNotificationInfo info =
                  GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
              long used = 0;
              for (MemoryUsage u : info.getGcInfo().getMemoryUsageAfterGc().values()) {
                used += u.getUsed();
              }
              peak.accumulateAndGet(used, Math::max);
            }
          };
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        ((NotificationEmitter) gc).addNotificationListener(listener, null, null);
      }
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.createLocalEnvironment(2, job.flinkConfiguration());
      TargetModel model = job.addTo(env).sink().model();
      JobClient client = env.executeAsync("memory benchmark " + name);
      try (Connection target = pg.connect(url)) {
        BenchJobs.awaitCommitted(target, model, loaded, Duration.ofMinutes(10));
        // One more collection while the job still runs, so its live state is seen at least once.
        peak.accumulateAndGet(usedAfterFullGc(), Math::max);
        long visible = count(target);
        if (visible != rows) {
          throw new IllegalStateException(visible + " rows visible, expected " + rows);
        }
      } finally {
        client.cancel().get();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
          ((NotificationEmitter) gc).removeNotificationListener(listener);
        }
      }
      return (peak.get() - baseline) / (1024.0 * 1024.0);
    }
  }

  private static long usedAfterFullGc() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long count(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM mem.orders")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
