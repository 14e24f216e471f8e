package dev.mssql2mz.demo.emulator;

import static dev.mssql2mz.demo.emulator.EmulatorFixture.exec;
import static dev.mssql2mz.demo.emulator.EmulatorFixture.rows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mssql2mz.udfs.Lsn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Concurrent writers: commit LSNs follow H2's commit order, so the change table replays exactly.
 */
class SqlServerEmulatorConcurrencyITCase {

  @Test
  void concurrentWritersLeaveAChangeTableThatReplaysToTheFinalTable() throws Exception {
    try (SqlServerEmulator db =
        SqlServerEmulator.builder()
            .database("concurrent")
            .captureInterval(Duration.ofMillis(20))
            .maxTrans(5)
            .maxScans(3)
            .build()) {
      db.execute("CREATE TABLE dbo.counters (id INT PRIMARY KEY, v BIGINT NOT NULL)");
      db.enableTable("dbo", "counters");
      db.inTransaction(
          c -> {
            for (int i = 0; i < 20; i++) {
              exec(c, "INSERT INTO dbo.counters VALUES (" + i + ", 0)");
            }
          });
      AtomicLong increments = new AtomicLong();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<List<Lsn>>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        long seed = t;
        futures.add(pool.submit(() -> write(db, new Random(seed), 150, increments)));
      }
      List<Lsn> all = new ArrayList<>();
      for (Future<List<Lsn>> f : futures) {
        all.addAll(f.get(120, TimeUnit.SECONDS));
      }
      pool.shutdown();
      assertThat(all).doesNotHaveDuplicates();
      Lsn last = all.stream().max(Lsn::compareTo).orElseThrow();
      db.awaitCaptured(last, Duration.ofSeconds(60));
      try (Connection c = db.connect()) {
        Map<Integer, Long> table = new TreeMap<>();
        for (Object[] r : rows(c, "SELECT id, v FROM dbo.counters")) {
          table.put((Integer) r[0], (Long) r[1]);
        }
        Map<Integer, Long> replayed = new TreeMap<>();
        for (Object[] r :
            rows(
                c,
                "SELECT __$operation, id, v FROM cdc.dbo_counters_CT"
                    + " ORDER BY __$start_lsn, __$command_id, __$seqval, __$operation")) {
          int op = (Integer) r[0];
          if (op == 1) {
            replayed.remove((Integer) r[1]);
          } else if (op == 2 || op == 4) {
            replayed.put((Integer) r[1], (Long) r[2]);
          }
        }
        assertThat(replayed).isEqualTo(table);
        assertThat(table.values().stream().mapToLong(Long::longValue).sum())
            .isEqualTo(increments.get());
      }
    }
  }

  /** Transactions incrementing 1-3 counters in key order (no deadlocks); returns commit LSNs. */
  private static List<Lsn> write(
      SqlServerEmulator db, Random r, int transactions, AtomicLong increments) throws SQLException {
    List<Lsn> lsns = new ArrayList<>();
    try (Connection c = db.adminConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement("UPDATE dbo.counters SET v = v + 1 WHERE id = ?")) {
        for (int i = 0; i < transactions; i++) {
          int first = r.nextInt(18);
          int n = 1 + r.nextInt(3);
          for (int k = 0; k < n; k++) {
            ps.setInt(1, first + k);
            ps.executeUpdate();
          }
          c.commit();
          increments.addAndGet(n);
          lsns.add(SqlServerEmulator.lastCommitLsn(c));
        }
      }
    }
    return lsns;
  }
}
