package dev.mssql2mz.demo.emulator;

import static dev.mssql2mz.demo.emulator.EmulatorFixture.exec;
import static dev.mssql2mz.demo.emulator.EmulatorFixture.lsn;
import static dev.mssql2mz.demo.emulator.EmulatorFixture.rows;
import static dev.mssql2mz.demo.emulator.EmulatorFixture.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mssql2mz.udfs.Lsn;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The two ways to pick a snapshot's LSN: the unsafe one (max LSN at read time,
 * apache/flink-cdc#2853) and Materialize's (table lock, snapshot transaction, savepoint LSN).
 */
class SqlServerEmulatorSnapshotITCase {

  private static final String SAVEPOINT_LSN =
      "SELECT dt.database_transaction_most_recent_savepoint_lsn"
          + " FROM sys.dm_tran_database_transactions dt"
          + " JOIN sys.dm_tran_current_transaction ct ON ct.transaction_id = dt.transaction_id"
          + " WHERE dt.database_transaction_most_recent_savepoint_lsn IS NOT NULL";

  private SqlServerEmulator db;

  @BeforeEach
  void start() throws SQLException {
    db =
        SqlServerEmulator.builder()
            .database("snap")
            .captureInterval(null)
            .idleAdvanceEvery(0)
            .build();
    db.execute("CREATE TABLE dbo.t (id INT PRIMARY KEY, v NVARCHAR(10))");
    db.enableTable("dbo", "t");
  }

  @AfterEach
  void stop() throws SQLException {
    db.close();
  }

  @Test
  void aWriteCommittedBeforeAReadIsCapturedLaterAboveTheMaxLsnSeenAtTheRead() throws Exception {
    Lsn write = db.inTransaction(c -> exec(c, "INSERT INTO dbo.t VALUES (1, N'a')"));
    Lsn maxAtRead;
    try (Connection reader = db.connect()) {
      maxAtRead = lsn(reader, "SELECT sys.fn_cdc_get_max_lsn()");
      assertThat(rows(reader, "SELECT id FROM dbo.t")).extracting(r -> r[0]).containsExactly(1);
      assertThat(value(reader, "SELECT COUNT(*) FROM cdc.dbo_t_CT")).isEqualTo(0L);
    }
    db.captureNow();
    try (Connection reader = db.connect()) {
      Lsn changeLsn = lsn(reader, "SELECT __$start_lsn FROM cdc.dbo_t_CT WHERE id = 1");
      assertThat(changeLsn).isEqualTo(write);
      // a snapshot watermarked with maxAtRead would apply this change a second time
      assertThat(changeLsn).isGreaterThan(maxAtRead);
    }
  }

  @Test
  void theSavepointLsnSeparatesWritesTheSnapshotSeesFromThoseItDoesNot() throws Exception {
    Lsn before = db.inTransaction(c -> exec(c, "INSERT INTO dbo.t VALUES (1, N'before')"));
    try (Connection lock = db.connect();
        Connection snap = db.connect()) {
      lock.setAutoCommit(false);
      exec(lock, "SELECT * FROM dbo.t WITH (TABLOCK, HOLDLOCK) WHERE 1 = 0");
      AtomicReference<Thread> writerThread = new AtomicReference<>();
      CompletableFuture<Lsn> during =
          CompletableFuture.supplyAsync(
              () -> {
                writerThread.set(Thread.currentThread());
                try {
                  return db.inTransaction(c -> exec(c, "INSERT INTO dbo.t VALUES (2, N'during')"));
                } catch (SQLException e) {
                  throw new IllegalStateException(e);
                }
              });
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  writerThread.get() != null
                      && writerThread.get().getState() == Thread.State.TIMED_WAITING);

      snap.setAutoCommit(false);
      exec(snap, "SET TRANSACTION ISOLATION LEVEL SNAPSHOT");
      assertThat(value(snap, "SELECT TOP 1 capture_instance FROM cdc.change_tables"))
          .isEqualTo("dbo_t");
      exec(snap, "SAVE TRANSACTION mssql2mz_snapshot");
      lock.rollback();

      Lsn savepoint =
          Lsn.fromNumeric(((BigDecimal) value(snap, SAVEPOINT_LSN)).toBigIntegerExact());
      Lsn duringLsn = during.get(10, TimeUnit.SECONDS);
      Lsn after = db.inTransaction(c -> exec(c, "INSERT INTO dbo.t VALUES (3, N'after')"));

      assertThat(rows(snap, "SELECT id FROM dbo.t ORDER BY id"))
          .extracting(r -> r[0])
          .containsExactly(1);
      assertThat(before).isLessThanOrEqualTo(savepoint);
      assertThat(duringLsn).isGreaterThan(savepoint);
      assertThat(after).isGreaterThan(savepoint);
      snap.rollback();
    }
  }

  @Test
  void aTableLockHoldsBackAWritersCommitUntilItsTransactionEnds() throws Exception {
    try (Connection lock = db.connect()) {
      lock.setAutoCommit(false);
      exec(lock, "SELECT COUNT(*) FROM [dbo].[t] WITH (TABLOCK, HOLDLOCK)");
      AtomicReference<Thread> writerThread = new AtomicReference<>();
      CompletableFuture<Lsn> writer =
          CompletableFuture.supplyAsync(
              () -> {
                writerThread.set(Thread.currentThread());
                try {
                  return db.inTransaction(c -> exec(c, "INSERT INTO dbo.t VALUES (7, N'w')"));
                } catch (SQLException e) {
                  throw new IllegalStateException(e);
                }
              });
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  writerThread.get() != null
                      && writerThread.get().getState() == Thread.State.TIMED_WAITING);
      assertThat(writer).isNotDone();
      assertThat(db.lastCommitLsn()).isLessThan(db.minLsn("dbo_t").increment());
      try (Connection other = db.connect()) {
        assertThat(value(other, "SELECT COUNT(*) FROM dbo.t")).isEqualTo(0L);
      }
      lock.rollback();
      Lsn committed = writer.get(10, TimeUnit.SECONDS);
      assertThat(committed).isEqualTo(db.lastCommitLsn());
    }
  }
}
