package dev.mssql2mz.source;

import static dev.mssql2mz.testing.SourceAssertions.consolidate;
import static dev.mssql2mz.testing.SourceAssertions.differences;
import static dev.mssql2mz.testing.SourceAssertions.tableRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mssql2mz.demo.emulator.CdcTableOptions;
import dev.mssql2mz.demo.emulator.SqlServerEmulator;
import dev.mssql2mz.sqlserver.SourceTable;
import dev.mssql2mz.sqlserver.TableSelection;
import dev.mssql2mz.udfs.Lsn;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The source end to end against the SQL Server emulator, in a MiniCluster. */
@Timeout(180)
class SqlServerCdcSourceITCase {

  @RegisterExtension
  static final MiniClusterExtension MINI_CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(4)
              .build());

  private SqlServerEmulator emulator;
  private final AtomicInteger nextId = new AtomicInteger();

  private SqlServerEmulator emulator(String name) throws Exception {
    emulator =
        SqlServerEmulator.builder()
            .database(name)
            .captureInterval(Duration.ofMillis(100))
            .cdcEnabled(true)
            .snapshotIsolation(true)
            .build();
    return emulator;
  }

  @AfterEach
  void stop() throws Exception {
    if (emulator != null) {
      emulator.close();
    }
  }

  private SqlServerCdcSourceBuilder source(TableSelection selection) {
    return SqlServerCdcSource.builder()
        .jdbcUrl(emulator.jdbcUrl())
        .user(emulator.user())
        .password(emulator.password())
        .tables(selection)
        .pollInterval(Duration.ofMillis(100))
        .discoveryInterval(Duration.ofMillis(300));
  }

  private SourceTable describe(String schema, String table) throws Exception {
    try (Connection c = emulator.connect()) {
      return TableSelection.tables(schema + "." + table)
          .resolve(
              dev.mssql2mz.sqlserver.CatalogDiscovery.discover(c),
              dev.mssql2mz.sqlserver.SqlServerQueries.tables(c))
          .get(0)
          .table();
    }
  }

  private void assertTableMatches(CollectingJob job, String schema, String table) throws Exception {
    SourceTable t = describe(schema, table);
    Map<String, Integer> expected;
    try (Connection c = emulator.connect()) {
      expected = tableRows(c, t);
    }
    Map<String, Integer> actual = consolidate(job.records, t.targetName());
    assertThat(differences(expected, actual)).isEmpty();
  }

  private void createItems(int rows) throws Exception {
    emulator.execute(
        "CREATE TABLE dbo.items (id INT NOT NULL PRIMARY KEY, name NVARCHAR(50), qty INT)");
    emulator.enableTable("dbo", "items");
    emulator.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("INSERT INTO dbo.items (id, name, qty) VALUES (?, ?, ?)")) {
            for (int i = 1; i <= rows; i++) {
              ps.setInt(1, i);
              ps.setString(2, "item " + i);
              ps.setInt(3, i % 7);
              ps.addBatch();
            }
            ps.executeBatch();
          }
        });
  }

  /** Random inserts, updates (including of the key) and deletes on dbo.items. */
  private Lsn randomWrites(Random random, int transactions, int maxId) throws Exception {
    Lsn last = null;
    nextId.accumulateAndGet(maxId + 1, Math::max);
    for (int t = 0; t < transactions; t++) {
      Lsn l =
          emulator.inTransaction(
              c -> {
                for (int k = 0; k < 1 + random.nextInt(4); k++) {
                  int id = 1 + random.nextInt(maxId);
                  switch (random.nextInt(4)) {
                    case 0 ->
                        exec(
                            c,
                            "INSERT INTO dbo.items (id, name, qty) VALUES (?, ?, ?)",
                            nextId.getAndIncrement(),
                            "new",
                            random.nextInt(9));
                    case 1 ->
                        exec(
                            c,
                            "UPDATE dbo.items SET qty = qty + 1, name = ? WHERE id = ?",
                            "upd" + random.nextInt(99),
                            id);
                    case 2 -> exec(c, "DELETE FROM dbo.items WHERE id = ?", id);
                    default ->
                        exec(
                            c,
                            "UPDATE dbo.items SET id = ? WHERE id = ?",
                            nextId.getAndIncrement(),
                            id);
                  }
                }
              });
      last = l == null ? last : l;
    }
    return last;
  }

  private static void exec(Connection c, String sql, Object... args) throws java.sql.SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      ps.executeUpdate();
    }
  }

  private Lsn lastLsn() throws Exception {
    Lsn l = emulator.lastCommitLsn();
    return emulator.awaitCaptured(l, Duration.ofSeconds(30));
  }

  @Test
  void snapshotThenStreamEqualsTheSourceForEveryType() throws Exception {
    emulator("types");
    emulator.execute(
        "CREATE TABLE dbo.every_type (id INT NOT NULL PRIMARY KEY, c_tinyint TINYINT,"
            + " c_smallint SMALLINT, c_bigint BIGINT, c_bit BIT, c_real REAL, c_float FLOAT,"
            + " c_decimal DECIMAL(18,4), c_money MONEY, c_date DATE, c_time TIME(7),"
            + " c_datetime2 DATETIME2(7), c_datetime DATETIME, c_dto DATETIMEOFFSET(7),"
            + " c_char CHAR(5), c_varchar VARCHAR(50), c_nchar NCHAR(5), c_nvarchar NVARCHAR(50),"
            + " c_nvarchar_max NVARCHAR(MAX), c_varbinary VARBINARY(20), c_varbinary_max VARBINARY(MAX),"
            + " c_guid UNIQUEIDENTIFIER)");
    emulator.enableTable("dbo", "every_type");
    for (int i = 0; i < 40; i++) {
      insertEveryType(i);
    }
    SqlServerCdcSource source =
        source(TableSelection.tables("dbo.every_type")).chunkSize(7).build();
    try (CollectingJob job = CollectingJob.start(source, 2)) {
      for (int i = 40; i < 60; i++) {
        insertEveryType(i);
      }
      emulator.execute(
          "UPDATE dbo.every_type SET c_nvarchar = N'changed ü', c_bigint = -1 WHERE id < 5");
      emulator.execute("DELETE FROM dbo.every_type WHERE id BETWEEN 10 AND 12");
      job.awaitProgress(lastLsn());
      assertTableMatches(job, "dbo", "every_type");
      assertThat(consolidate(job.records, "every_type")).hasSize(57);
    }
  }

  private void insertEveryType(int i) throws Exception {
    emulator.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO dbo.every_type VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                      + " ?, ?, ?, ?, ?, ?)")) {
            int k = 1;
            ps.setInt(k++, i);
            ps.setShort(k++, (short) (i % 2 == 0 ? 255 : 0));
            ps.setShort(k++, (short) -i);
            ps.setLong(k++, Long.MAX_VALUE - i);
            ps.setBoolean(k++, i % 2 == 0);
            ps.setFloat(k++, i + 0.5f);
            ps.setDouble(k++, i / 3.0);
            ps.setBigDecimal(k++, new BigDecimal("12345.6789").add(BigDecimal.valueOf(i)));
            ps.setBigDecimal(
                k++, new BigDecimal("-922337203685477.5808").add(BigDecimal.valueOf(i)));
            ps.setObject(k++, LocalDate.of(1, 1, 1).plusDays(i));
            ps.setObject(k++, LocalTime.of(23, 59, 59, 999_999_900));
            ps.setObject(k++, LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_900));
            ps.setObject(k++, LocalDateTime.of(2024, 2, 29, 12, 0, 0, 997_000_000));
            ps.setObject(k++, OffsetDateTime.of(2024, 1, 1, 12, 0, 0, 0, ZoneOffset.ofHours(-5)));
            ps.setString(k++, "ab");
            ps.setString(k++, "row " + i);
            ps.setString(k++, "😀");
            ps.setString(k++, "naïve " + i);
            ps.setString(k++, i % 3 == 0 ? null : "x".repeat(10_000));
            ps.setBytes(k++, new byte[] {0, (byte) 0xFF, (byte) i});
            ps.setBytes(k++, new byte[5000]);
            ps.setString(k++, new UUID(i, -i).toString());
            ps.executeUpdate();
          }
        });
  }

  @Test
  void largeValuesLeftOutOfUpdatesAreFilledInFromTheLastValueOfTheKey() throws Exception {
    emulator("large");
    emulator.execute(
        "CREATE TABLE dbo.docs (id INT NOT NULL PRIMARY KEY, title NVARCHAR(20),"
            + " body NVARCHAR(MAX), blob VARBINARY(MAX), legacy NTEXT)");
    emulator.enableTable("dbo", "docs");
    emulator.inTransaction(
        c -> {
          for (int i = 0; i < 20; i++) {
            exec(
                c,
                "INSERT INTO dbo.docs VALUES (?, ?, ?, ?, ?)",
                i,
                "t" + i,
                "body " + i + "x".repeat(5000),
                new byte[] {(byte) i, 1, 2},
                "legacy " + i);
          }
        });
    SqlServerCdcSource source = source(TableSelection.tables("dbo.docs")).chunkSize(6).build();
    try (CollectingJob job =
        CollectingJob.start(source, 2, 0, s -> source.withLargeValuesFilled(s).setParallelism(1))) {
      job.awaitProgress(lastLsn());
      emulator.inTransaction(
          c -> exec(c, "UPDATE dbo.docs SET title = ? WHERE id < ?", "renamed", 10));
      emulator.inTransaction(c -> exec(c, "UPDATE dbo.docs SET body = NULL WHERE id = ?", 3));
      emulator.inTransaction(
          c ->
              exec(
                  c,
                  "UPDATE dbo.docs SET body = ?, title = ? WHERE id = ?",
                  "new body",
                  "again",
                  4));
      emulator.inTransaction(
          c -> exec(c, "UPDATE dbo.docs SET title = ? WHERE id = ?", "third", 4));
      emulator.inTransaction(c -> exec(c, "DELETE FROM dbo.docs WHERE id = ?", 5));
      emulator.inTransaction(
          c ->
              exec(
                  c,
                  "INSERT INTO dbo.docs VALUES (?, ?, ?, ?, ?)",
                  5,
                  "back",
                  "b",
                  new byte[] {9},
                  "l"));
      job.awaitProgress(lastLsn());
      assertThat(job.records)
          .noneMatch(
              r ->
                  java.util.Arrays.stream(r.values())
                      .anyMatch(v -> v instanceof UnchangedLargeValue));
      assertTableMatches(job, "dbo", "docs");
    }
  }

  @Test
  void parallelChunksHandOffExactlyWithWritesRunningDuringTheSnapshot() throws Exception {
    emulator("parallel");
    createItems(2000);
    Random random = new Random(42);
    SqlServerCdcSource source = source(TableSelection.tables("dbo.items")).chunkSize(100).build();
    try (CollectingJob job = CollectingJob.start(source, 2)) {
      randomWrites(random, 200, 2000);
      job.awaitProgress(lastLsn());
      assertTableMatches(job, "dbo", "items");
    }
  }

  @Test
  void updatesArriveAsRetractionPlusInsertion() throws Exception {
    emulator("updates");
    createItems(3);
    SqlServerCdcSource source = source(TableSelection.tables("dbo.items")).build();
    try (CollectingJob job = CollectingJob.start(source, 1)) {
      job.awaitProgress(lastLsn());
      emulator.execute("UPDATE dbo.items SET qty = 100 WHERE id = 2");
      job.awaitProgress(lastLsn());
      List<ChangeRecord> changes =
          job.records.stream()
              .filter(r -> !r.isProgress() && r.operation() != ChangeOperation.SNAPSHOT)
              .toList();
      assertThat(changes)
          .extracting(ChangeRecord::operation)
          .containsExactly(ChangeOperation.UPDATE_BEFORE, ChangeOperation.UPDATE_AFTER);
      assertThat(changes.get(0).values()[2]).isEqualTo(2 % 7);
      assertThat(changes.get(1).values()[2]).isEqualTo(100);
      assertThat(changes.get(0).diff() + changes.get(1).diff()).isZero();
      assertThat(changes.get(0).position()).isLessThan(changes.get(1).position());
    }
  }

  @Test
  void compositeTextKeysUseSampledBoundaries() throws Exception {
    emulator("composite");
    emulator.execute(
        "CREATE TABLE dbo.pairs (region NVARCHAR(10) NOT NULL, code VARCHAR(10) NOT NULL,"
            + " v INT, PRIMARY KEY (region, code))");
    emulator.enableTable("dbo", "pairs");
    emulator.inTransaction(
        c -> {
          for (int i = 0; i < 300; i++) {
            exec(c, "INSERT INTO dbo.pairs VALUES (?, ?, ?)", "r" + (i % 5), "c" + i, i);
          }
        });
    SqlServerCdcSource source = source(TableSelection.tables("dbo.pairs")).chunkSize(40).build();
    try (CollectingJob job = CollectingJob.start(source, 2)) {
      emulator.inTransaction(c -> exec(c, "UPDATE dbo.pairs SET v = -v WHERE v < ?", 100));
      emulator.inTransaction(c -> exec(c, "DELETE FROM dbo.pairs WHERE region = ?", "r3"));
      emulator.inTransaction(c -> exec(c, "INSERT INTO dbo.pairs VALUES (?, ?, ?)", "r9", "z", 1));
      job.awaitProgress(lastLsn());
      assertTableMatches(job, "dbo", "pairs");
    }
  }

  @Test
  void keylessTablesKeepDuplicateRows() throws Exception {
    emulator("keyless");
    emulator.execute("CREATE TABLE dbo.log (msg NVARCHAR(20), n INT)");
    emulator.enableTable("dbo", "log");
    emulator.inTransaction(
        c -> {
          for (int i = 0; i < 50; i++) {
            exec(c, "INSERT INTO dbo.log VALUES (?, ?)", "dup", 1);
            exec(c, "INSERT INTO dbo.log VALUES (?, ?)", "row" + i, i);
          }
        });
    SqlServerCdcSource source = source(TableSelection.tables("dbo.log")).chunkSize(10).build();
    try (CollectingJob job = CollectingJob.start(source, 1)) {
      emulator.execute("INSERT INTO dbo.log VALUES (N'dup', 1)");
      emulator.execute("DELETE FROM dbo.log WHERE n = 3");
      job.awaitProgress(lastLsn());
      assertTableMatches(job, "dbo", "log");
      assertThat(consolidate(job.records, "log")).containsEntry("dup|1", 51);
    }
  }

  @Test
  void emptyTablesSnapshotAndThenStream() throws Exception {
    emulator("empty");
    createItems(0);
    SqlServerCdcSource source = source(TableSelection.allTables()).build();
    try (CollectingJob job = CollectingJob.start(source, 2)) {
      emulator.execute("INSERT INTO dbo.items VALUES (1, N'a', 1)");
      job.awaitProgress(lastLsn());
      assertTableMatches(job, "dbo", "items");
      assertThat(consolidate(job.records, "items")).hasSize(1);
    }
  }

  @Test
  void progressMarkersAreMonotonicAndNeverPrecedeTheChangesTheyCover() throws Exception {
    emulator("progress");
    createItems(500);
    SqlServerCdcSource source = source(TableSelection.tables("dbo.items")).chunkSize(50).build();
    try (CollectingJob job = CollectingJob.start(source, 2)) {
      Lsn last = randomWrites(new Random(7), 50, 500);
      job.awaitProgress(lastLsn());
      assertThat(job.progress).isSorted();
      // Every change at or below a marker's LSN was collected before that marker.
      Lsn seen = null;
      for (ChangeRecord r : job.records) {
        if (r.isProgress()) {
          seen = r.position().commitLsn();
        } else if (seen != null && r.operation() != ChangeOperation.SNAPSHOT) {
          assertThat(r.position().commitLsn()).isGreaterThan(seen);
        }
      }
      assertThat(seen).isGreaterThanOrEqualTo(last);
    }
  }

  @Test
  void picksUpATableEnabledForCdcWhileRunning() throws Exception {
    emulator("newtable");
    createItems(10);
    SqlServerCdcSource source = source(TableSelection.schemas("dbo")).chunkSize(20).build();
    try (CollectingJob job = CollectingJob.start(source, 2)) {
      job.awaitProgress(lastLsn());
      emulator.execute("CREATE TABLE dbo.late (id INT NOT NULL PRIMARY KEY, v NVARCHAR(10))");
      emulator.inTransaction(
          c -> {
            for (int i = 0; i < 100; i++) {
              exec(c, "INSERT INTO dbo.late VALUES (?, ?)", i, "v" + i);
            }
          });
      emulator.enableTable("dbo", "late");
      emulator.execute("UPDATE dbo.late SET v = N'upd' WHERE id < 10");
      emulator.execute("INSERT INTO dbo.items VALUES (11, N'eleven', 1)");
      Lsn target = lastLsn();
      job.awaitProgress(target);
      // The late table is complete once a marker covers a write made after it was seen.
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .pollInSameThread()
          .pollDelay(Duration.ZERO)
          .until(
              () -> {
                emulator.execute("UPDATE dbo.late SET v = N'again' WHERE id = 50");
                job.awaitProgress(lastLsn());
                return differences(tableRowsOf("dbo", "late"), consolidate(job.records, "late"))
                    .isEmpty();
              });
      assertTableMatches(job, "dbo", "items");
    }
  }

  private Map<String, Integer> tableRowsOf(String schema, String table) throws Exception {
    try (Connection c = emulator.connect()) {
      return tableRows(c, describe(schema, table));
    }
  }

  @Test
  void followsASecondCaptureInstanceWithoutResnapshot() throws Exception {
    emulator("secondinstance");
    createItems(20);
    SqlServerCdcSource source = source(TableSelection.tables("dbo.items")).build();
    try (CollectingJob job = CollectingJob.start(source, 1)) {
      job.awaitProgress(lastLsn());
      // (The emulator loses changes after ALTER TABLE ... ADD; its own issue. A second instance
      // over the same columns exercises the switch.)
      emulator.enableTable(CdcTableOptions.of("dbo", "items").captureInstance("dbo_items_v2"));
      emulator.execute("UPDATE dbo.items SET qty = 42 WHERE id <= 5");
      job.awaitProgress(lastLsn());
      job.awaitMoreProgress(3);
      emulator.disableTable("dbo", "items", "dbo_items");
      emulator.execute("INSERT INTO dbo.items (id, name, qty) VALUES (21, N'after', 1)");
      emulator.execute("DELETE FROM dbo.items WHERE id = 3");
      job.awaitProgress(lastLsn());
      long snapshots =
          job.records.stream().filter(r -> r.operation() == ChangeOperation.SNAPSHOT).count();
      assertThat(snapshots).isEqualTo(20);
      Map<String, Integer> actual = consolidate(job.records, "items");
      assertThat(actual).containsKey("21|after|1").doesNotContainKey("3|item 3|3");
      assertThat(actual).containsKey("5|item 5|42").hasSize(20);
    }
  }

  @Test
  void aDroppedCapturedColumnStopsTheJobNamingItInsteadOfDeliveringNulls() throws Exception {
    emulator("droppedcolumn");
    createItems(5);
    SqlServerCdcSource source = source(TableSelection.tables("dbo.items")).build();
    CollectingJob job = CollectingJob.start(source, 1);
    try {
      job.awaitProgress(lastLsn());
      emulator.execute("ALTER TABLE dbo.items DROP COLUMN qty");
      emulator.execute("INSERT INTO dbo.items (id, name) VALUES (6, N'no qty')");
      assertThatThrownBy(() -> job.awaitProgress(lastLsn().increment()))
          .hasStackTraceContaining("Column dbo.items.qty was dropped upstream")
          .hasStackTraceContaining("re-snapshot");
      assertThat(consolidate(job.records, "items").keySet())
          .as("no row of the table arrived with the dropped column as NULL")
          .noneMatch(k -> k.startsWith("6|"));
    } finally {
      job.close();
    }
  }

  @Test
  void cdcDisabledOnAReadTableStopsTheJobNamingTheTableInsteadOfRestartingForever()
      throws Exception {
    emulator("disabled");
    createItems(5);
    SqlServerCdcSource source = source(TableSelection.tables("dbo.items")).build();
    CollectingJob job = CollectingJob.start(source, 1);
    try {
      job.awaitProgress(lastLsn());
      emulator.disableTable("dbo", "items", "all");
      emulator.execute("INSERT INTO dbo.items (id, name, qty) VALUES (6, N'after', 1)");
      assertThatThrownBy(() -> job.awaitProgress(lastLsn().increment()))
          .hasStackTraceContaining("Table dbo.items: capture instance dbo_items is gone")
          .hasStackTraceContaining("sp_cdc_enable_table");
    } finally {
      job.close();
    }
  }

  @Test
  void failsWithReSnapshotNeededWhenChangesWereCleanedUp() throws Exception {
    emulator("retention");
    createItems(5);
    SqlServerCdcSource source =
        source(TableSelection.tables("dbo.items")).pollInterval(Duration.ofSeconds(3)).build();
    CollectingJob job = CollectingJob.start(source, 1);
    try {
      job.awaitProgress(lastLsn());
      // Captured and cleaned up back to back, so that a poll of the reader (every 3 s) could only
      // read them in the moment between the two calls.
      emulator.stopCaptureJob();
      emulator.execute("INSERT INTO dbo.items VALUES (6, N'lost', 1)");
      emulator.execute("INSERT INTO dbo.items VALUES (7, N'kept', 1)");
      Lsn last = emulator.captureNow();
      emulator.cleanupAll(last);
      assertThatThrownBy(() -> job.awaitProgress(last.increment()))
          .hasStackTraceContaining("changes were cleaned up; re-snapshot needed")
          .hasStackTraceContaining("dbo.items")
          .hasStackTraceContaining(last.toString());
    } finally {
      job.close();
    }
  }

  /** Fails once, after a checkpoint completed while the big transaction was half emitted. */
  static final class FailInsideBigTransaction
      implements MapFunction<ChangeRecord, ChangeRecord>, CheckpointListener {
    static final AtomicBoolean FAILED = new AtomicBoolean();
    static final AtomicInteger SEEN = new AtomicInteger();
    static final AtomicBoolean CHECKPOINTED_INSIDE = new AtomicBoolean();
    static volatile Lsn bigLsn;

    @Override
    public ChangeRecord map(ChangeRecord r) {
      if (!FAILED.get() && bigLsn != null && r.position().commitLsn().equals(bigLsn)) {
        int n = SEEN.incrementAndGet();
        if (CHECKPOINTED_INSIDE.get() && n < 90_000) {
          FAILED.set(true);
          throw new IllegalStateException("injected failure inside the big transaction");
        }
      }
      return r;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      if (SEEN.get() > 0) {
        CHECKPOINTED_INSIDE.set(true);
      }
    }
  }

  @Test
  void resumesInsideALargeTransactionWithoutLosingOrRepeatingChanges() throws Exception {
    emulator("bigtx");
    createItems(0);
    SqlServerCdcSource source = source(TableSelection.tables("dbo.items")).pageSize(500).build();
    FailInsideBigTransaction.FAILED.set(false);
    FailInsideBigTransaction.SEEN.set(0);
    FailInsideBigTransaction.CHECKPOINTED_INSIDE.set(false);
    FailInsideBigTransaction.bigLsn = null;
    try (CollectingJob job =
        CollectingJob.start(
            source,
            1,
            3,
            s -> s.map(new FailInsideBigTransaction()).returns(ChangeRecordTypeInfo.INSTANCE))) {
      job.awaitProgress(lastLsn());
      emulator.stopCaptureJob();
      Lsn big =
          emulator.inTransaction(
              c -> {
                try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO dbo.items (id, name, qty) VALUES (?, ?, ?)")) {
                  for (int i = 1; i <= 100_000; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "n" + i);
                    ps.setInt(3, i % 3);
                    ps.addBatch();
                    if (i % 10_000 == 0) {
                      ps.executeBatch();
                    }
                  }
                }
              });
      FailInsideBigTransaction.bigLsn = big;
      emulator.startCaptureJob();
      job.awaitProgress(emulator.awaitCaptured(big, Duration.ofSeconds(60)));
      assertThat(FailInsideBigTransaction.FAILED).isTrue();
      Map<String, Integer> actual = consolidate(job.records, "items");
      assertThat(actual).hasSize(100_000);
      assertThat(actual.values()).allMatch(n -> n == 1);
    }
  }

  /** Fails once inside the snapshot, after a checkpoint completed while a chunk was half read. */
  static final class FailInsideSnapshot
      implements MapFunction<ChangeRecord, ChangeRecord>,
          CheckpointListener,
          org.apache.flink.streaming.api.checkpoint.CheckpointedFunction {
    static final AtomicBoolean FAILED = new AtomicBoolean();
    static final AtomicInteger SNAPSHOT_ROWS = new AtomicInteger();
    static final AtomicBoolean CHECKPOINTED = new AtomicBoolean();
    static final Map<Long, Integer> ROWS_AT_CHECKPOINT =
        new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public void snapshotState(org.apache.flink.runtime.state.FunctionSnapshotContext ctx) {
      ROWS_AT_CHECKPOINT.put(ctx.getCheckpointId(), SNAPSHOT_ROWS.get());
    }

    @Override
    public void initializeState(org.apache.flink.runtime.state.FunctionInitializationContext ctx) {}

    @Override
    public ChangeRecord map(ChangeRecord r) {
      if (!FAILED.get() && r.operation() == ChangeOperation.SNAPSHOT) {
        SNAPSHOT_ROWS.incrementAndGet();
        if (CHECKPOINTED.get()) {
          FAILED.set(true);
          throw new IllegalStateException("injected failure inside a snapshot chunk");
        }
        // Throttle the snapshot (back-pressure on the reader) until a checkpoint holds part of
        // the chunk, so the failure always lands inside it, however fast the machine.
        java.util.concurrent.locks.LockSupport.parkNanos(200_000);
      }
      return r;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      if (ROWS_AT_CHECKPOINT.getOrDefault(checkpointId, 0) > 0) {
        CHECKPOINTED.set(true);
      }
    }
  }

  private CollectingJob startFailingInSnapshot(SqlServerCdcSource source) throws Exception {
    FailInsideSnapshot.FAILED.set(false);
    FailInsideSnapshot.SNAPSHOT_ROWS.set(0);
    FailInsideSnapshot.CHECKPOINTED.set(false);
    FailInsideSnapshot.ROWS_AT_CHECKPOINT.clear();
    return CollectingJob.start(
        source, 1, 3, s -> s.map(new FailInsideSnapshot()).returns(ChangeRecordTypeInfo.INSTANCE));
  }

  @Test
  void resumesInsideASnapshotChunkWhileItsRowsChange() throws Exception {
    emulator("chunkrestore");
    createItems(150_000);
    SqlServerCdcSource source =
        source(TableSelection.tables("dbo.items")).chunkSize(1_000_000).fetchSize(50).build();
    try (CollectingJob job = startFailingInSnapshot(source)) {
      Random random = new Random(3);
      Lsn last = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (!FailInsideSnapshot.FAILED.get() && System.nanoTime() < deadline) {
        last = randomWrites(random, 5, 150_000);
      }
      assertThat(FailInsideSnapshot.FAILED).isTrue();
      last = randomWrites(random, 20, 30_000);
      job.awaitProgress(lastLsn());
      assertThat(FailInsideSnapshot.FAILED).isTrue();
      assertThat(last).isNotNull();
      assertTableMatches(job, "dbo", "items");
    }
  }

  @Test
  void resumesInsideAKeylessChunkWithoutDuplicatingIdenticalRows() throws Exception {
    emulator("keylessrestore");
    emulator.execute("CREATE TABLE dbo.log (msg NVARCHAR(20), n INT)");
    emulator.enableTable("dbo", "log");
    emulator.inTransaction(
        c -> {
          try (PreparedStatement ps = c.prepareStatement("INSERT INTO dbo.log VALUES (?, ?)")) {
            for (int i = 0; i < 150_000; i++) {
              ps.setString(1, "m" + (i % 50));
              ps.setInt(2, i % 50);
              ps.addBatch();
            }
            ps.executeBatch();
          }
        });
    SqlServerCdcSource source = source(TableSelection.tables("dbo.log")).fetchSize(40).build();
    try (CollectingJob job = startFailingInSnapshot(source)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (!FailInsideSnapshot.FAILED.get() && System.nanoTime() < deadline) {
        emulator.inTransaction(c -> exec(c, "INSERT INTO dbo.log VALUES (?, ?)", "m1", 1));
        emulator.inTransaction(
            c -> exec(c, "DELETE FROM dbo.log WHERE n = ? AND msg = ?", 2, "m2"));
      }
      assertThat(FailInsideSnapshot.FAILED).isTrue();
      emulator.inTransaction(c -> exec(c, "INSERT INTO dbo.log VALUES (?, ?)", "m0", 0));
      job.awaitProgress(lastLsn());
      assertTableMatches(job, "dbo", "log");
    }
  }

  @Test
  void theMaxLsnWatermarkOf2853WouldDuplicateWhereOurChunkLsnDoesNot() throws Exception {
    emulator =
        SqlServerEmulator.builder()
            .database("race")
            .captureInterval(Duration.ofMillis(100))
            .captureDelay(Duration.ofSeconds(2))
            .cdcEnabled(true)
            .snapshotIsolation(true)
            .build();
    createItems(10);
    emulator.awaitCaptured(emulator.lastCommitLsn(), Duration.ofSeconds(30));
    // A write commits before the snapshot read, but its change row appears only later.
    Lsn raced =
        emulator.inTransaction(c -> exec(c, "INSERT INTO dbo.items VALUES (11, N'raced', 1)"));
    Lsn watermark;
    List<String> snapshot = new ArrayList<>();
    try (Connection c = emulator.connect()) {
      watermark = dev.mssql2mz.sqlserver.SqlServerQueries.maxLsn(c);
      try (var rs = c.createStatement().executeQuery("SELECT id FROM dbo.items")) {
        while (rs.next()) {
          snapshot.add(rs.getString(1));
        }
      }
    }
    assertThat(raced).isGreaterThan(watermark);
    assertThat(snapshot).contains("11");
    emulator.awaitCaptured(raced, Duration.ofSeconds(30));
    // Flink CDC's rule: apply changes above the max-LSN watermark to the snapshot -> row 11 twice.
    int naive11 = 1;
    try (Connection c = emulator.connect();
        var rs =
            c.createStatement()
                .executeQuery(
                    "SELECT __$start_lsn, id FROM cdc.dbo_items_CT WHERE __$operation = 2")) {
      while (rs.next()) {
        if (Lsn.fromBytes(rs.getBytes(1)).isAfter(watermark) && rs.getInt(2) == 11) {
          naive11++;
        }
      }
    }
    assertThat(naive11).as("max-LSN watermark result for id 11").isEqualTo(2);

    // Ours, in the same race: the job snapshots while row 12's change row is not captured yet.
    emulator.inTransaction(c -> exec(c, "INSERT INTO dbo.items VALUES (12, N'raced too', 1)"));
    SqlServerCdcSource source = source(TableSelection.tables("dbo.items")).build();
    try (CollectingJob job = CollectingJob.start(source, 1)) {
      job.awaitProgress(lastLsn());
      Map<String, Integer> actual = consolidate(job.records, "items");
      assertThat(actual).containsEntry("11|raced|1", 1).containsEntry("12|raced too|1", 1);
      assertTableMatches(job, "dbo", "items");
    }
  }
}
