package dev.mssql2mz.demo.emulator;

import static dev.mssql2mz.demo.emulator.EmulatorFixture.exec;
import static dev.mssql2mz.demo.emulator.EmulatorFixture.lsn;
import static dev.mssql2mz.demo.emulator.EmulatorFixture.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mssql2mz.udfs.Lsn;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The capture job's timing: poll interval, delay, batch limits, idle advance, stop and start. */
class SqlServerEmulatorCaptureITCase {

  private SqlServerEmulator db;

  private void start(SqlServerEmulator.Builder builder) throws SQLException {
    db = builder.database("capture").build();
    db.execute("CREATE TABLE dbo.t (id INT PRIMARY KEY, v INT)");
    db.enableTable("dbo", "t");
  }

  @AfterEach
  void stop() throws SQLException {
    if (db != null) {
      db.close();
    }
  }

  @Test
  void theMaxLsnLagsACommitUntilTheCaptureJobHasProcessedIt() throws Exception {
    start(
        SqlServerEmulator.builder()
            .captureInterval(Duration.ofMillis(50))
            .captureDelay(Duration.ofSeconds(2))
            .idleAdvanceEvery(0));
    try (Connection c = db.connect()) {
      long beforeCommit = System.nanoTime();
      Lsn commit = db.inTransaction(w -> exec(w, "INSERT INTO dbo.t VALUES (1, 1)"));
      assertThat(lsn(c, "SELECT sys.fn_cdc_get_max_lsn()")).isLessThan(commit);
      assertThat(rows(c, "SELECT id FROM cdc.dbo_t_CT")).isEmpty();
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> lsn(c, "SELECT sys.fn_cdc_get_max_lsn()").compareTo(commit) >= 0);
      // captured only once the commit was older than the capture delay, though polled every 50 ms
      assertThat(Duration.ofNanos(System.nanoTime() - beforeCommit))
          .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
      assertThat(rows(c, "SELECT id FROM cdc.dbo_t_CT")).extracting(r -> r[0]).containsExactly(1);
      assertThat(
              rows(
                  c,
                  "SELECT tran_count, end_lsn FROM sys.dm_cdc_log_scan_sessions WHERE tran_count > 0"))
          .extracting(r -> r[1])
          .contains(commit.toString());
    }
  }

  @Test
  void anIdleDatabaseStillAdvancesTheMaxLsn() throws Exception {
    start(SqlServerEmulator.builder().captureInterval(Duration.ofMillis(30)).idleAdvanceEvery(2));
    Lsn first = db.awaitCaptured(db.minLsn("dbo_t"), Duration.ofSeconds(10));
    await().atMost(Duration.ofSeconds(10)).until(() -> db.maxLsn().isAfter(first));
    try (Connection c = db.connect()) {
      assertThat(lsn(c, "SELECT sys.fn_cdc_get_max_lsn()")).isGreaterThan(first);
      assertThat(
              rows(
                  c,
                  "SELECT tran_id FROM cdc.lsn_time_mapping WHERE start_lsn = sys.fn_cdc_get_max_lsn()"))
          .extracting(r -> (byte[]) r[0])
          .allSatisfy(id -> assertThat(id).containsOnly(0));
    }
  }

  @Test
  void aStoppedCaptureJobLeavesChangesUncapturedUntilItStartsAgain() throws Exception {
    start(SqlServerEmulator.builder().captureInterval(Duration.ofMillis(30)).idleAdvanceEvery(0));
    db.execute("EXEC sys.sp_cdc_stop_job @job_type = N'capture'");
    Lsn commit = db.inTransaction(w -> exec(w, "INSERT INTO dbo.t VALUES (1, 1)"));
    assertThatThrownBy(() -> db.awaitCaptured(commit, Duration.ofMillis(300)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("capture job stopped");
    db.execute("EXEC sys.sp_cdc_start_job");
    assertThat(db.awaitCaptured(commit, Duration.ofSeconds(10))).isGreaterThanOrEqualTo(commit);
  }

  @Test
  void oneCaptureCycleTakesAtMostMaxTransTimesMaxScansTransactions() throws Exception {
    start(
        SqlServerEmulator.builder()
            .captureInterval(null)
            .maxTrans(2)
            .maxScans(2)
            .idleAdvanceEvery(0));
    db.captureNow();
    List<Lsn> commits = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int id = i;
      commits.add(db.inTransaction(w -> exec(w, "INSERT INTO dbo.t VALUES (" + id + ", 0)")));
    }
    db.runCaptureCycle();
    assertThat(db.maxLsn()).isEqualTo(commits.get(3));
    assertThat(db.pendingTransactions()).isEqualTo(1);
    db.runCaptureCycle();
    assertThat(db.maxLsn()).isEqualTo(commits.get(4));
    for (int i = 1; i < commits.size(); i++) {
      assertThat(commits.get(i)).isGreaterThan(commits.get(i - 1));
    }
  }
}
