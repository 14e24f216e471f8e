package dev.mssql2mz.demo.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The seeded workload, and the change tables it leaves behind replayed against the tables. */
class EmulatorWorkloadITCase {

  @Test
  void theSameSeedWritesTheSameTablesAndADifferentSeedDoesNot() throws Exception {
    Map<String, Map<List<Object>, Long>> first = runWorkload(7);
    Map<String, Map<List<Object>, Long>> second = runWorkload(7);
    Map<String, Map<List<Object>, Long>> other = runWorkload(8);
    assertThat(first.keySet()).containsExactlyElementsOf(EmulatorWorkload.tables());
    for (String table : first.keySet()) {
      assertThat(second.get(table)).as(table).isEqualTo(first.get(table));
    }
    assertThat(other).isNotEqualTo(first);
  }

  private static Map<String, Map<List<Object>, Long>> runWorkload(long seed) throws Exception {
    try (SqlServerEmulator db =
        SqlServerEmulator.builder()
            .database("determinism")
            .captureInterval(null)
            .idleAdvanceEvery(0)
            .build()) {
      EmulatorWorkload w = EmulatorWorkload.builder(db).seed(seed).initialRows(50).build();
      w.setUp();
      w.run(40);
      w.close();
      Map<String, Map<List<Object>, Long>> out = new java.util.LinkedHashMap<>();
      try (Connection c = db.connect()) {
        for (String t : EmulatorWorkload.tables()) {
          String[] p = t.split("\\.", 2);
          out.put(t, TableContents.read(c, p[0], p[1]));
        }
      }
      return out;
    }
  }

  @Test
  void replayingTheChangeTablesFromTheStartReproducesEverySourceTable() throws Exception {
    try (SqlServerEmulator db =
        SqlServerEmulator.builder()
            .database("replay")
            .captureInterval(Duration.ofMillis(50))
            .maxTrans(7)
            .maxScans(2)
            .build()) {
      EmulatorWorkload w =
          EmulatorWorkload.builder(db)
              .seed(11)
              .initialRows(120)
              .largeTransactionEvery(30)
              .largeTransactionSize(3_000)
              .mix(40, 30, 10, 20)
              .build();
      w.setUp();
      w.run(90);
      EmulatorWorkload.Report report = w.stop();
      w.close();
      assertThat(report.keyUpdates).isPositive();
      assertThat(report.largeTransactions).isEqualTo(3);
      db.awaitCaptured(report.lastCommitLsn, Duration.ofSeconds(60));
      try (Connection c = db.connect()) {
        for (WorkloadTables.Table t : WorkloadTables.ALL) {
          Map<List<Object>, Long> expected = TableContents.read(c, t.schema, t.name);
          assertThat(replay(c, t)).as(t.objectName().toString()).isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void aBackgroundWorkloadRunsUntilStoppedAndReportsWhatItWrote() throws Exception {
    try (SqlServerEmulator db =
        SqlServerEmulator.builder()
            .database("background")
            .captureInterval(Duration.ofMillis(50))
            .build()) {
      EmulatorWorkload w = EmulatorWorkload.builder(db).seed(3).initialRows(10).build();
      w.setUp();
      w.start();
      await().atMost(Duration.ofSeconds(30)).until(() -> w.report().transactions >= 20);
      EmulatorWorkload.Report report = w.stop();
      w.close();
      assertThat(report.transactions).isGreaterThanOrEqualTo(20);
      assertThat(report.inserts + report.updates + report.deletes)
          .isGreaterThan(report.transactions - 1);
      assertThat(db.awaitCaptured(report.lastCommitLsn, Duration.ofSeconds(30)))
          .isGreaterThanOrEqualTo(report.lastCommitLsn);
    }
  }

  @Test
  void theWorkloadWritesMaxTypesAKeylessTableKeyUpdatesDeletesAndLargeTransactions()
      throws Exception {
    try (SqlServerEmulator db =
        SqlServerEmulator.builder()
            .database("variety")
            .captureInterval(null)
            .idleAdvanceEvery(0)
            .build()) {
      EmulatorWorkload w =
          EmulatorWorkload.builder(db)
              .seed(5)
              .initialRows(20)
              .largeTransactionEvery(15)
              .largeTransactionSize(1_500)
              .mix(30, 30, 20, 20)
              .build();
      w.setUp();
      w.run(30);
      EmulatorWorkload.Report report = w.stop();
      w.close();
      assertThat(report.keyUpdates).isPositive();
      assertThat(report.updates).isGreaterThan(report.keyUpdates);
      assertThat(report.deletes).isPositive();
      assertThat(report.largeTransactions).isEqualTo(2);
      db.captureNow();
      try (Connection c = db.connect()) {
        List<Object[]> types =
            EmulatorFixture.rows(
                c,
                "SELECT DISTINCT ty.name FROM cdc.captured_columns cc"
                    + " JOIN sys.types ty ON ty.name = cc.column_type"
                    + " JOIN sys.columns col ON col.object_id = cc.object_id"
                    + " AND col.name = cc.column_name");
        assertThat(types)
            .extracting(r -> (String) r[0])
            .contains(
                "nvarchar",
                "varchar",
                "varbinary",
                "text",
                "ntext",
                "image",
                "datetime",
                "smalldatetime",
                "datetime2",
                "datetimeoffset",
                "time",
                "decimal",
                "money",
                "uniqueidentifier",
                "tinyint",
                "bit");
        assertThat(
                EmulatorFixture.rows(
                    c,
                    "SELECT name FROM sys.columns WHERE object_id = OBJECT_ID(N'dbo.documents')"
                        + " AND max_length = -1"))
            .extracting(r -> r[0])
            .contains("body", "notes", "payload");
        assertThat(
                EmulatorFixture.rows(
                    c,
                    "SELECT ic.column_name FROM cdc.index_columns ic JOIN cdc.change_tables ct"
                        + " ON ct.object_id = ic.object_id WHERE ct.capture_instance = N'dbo_events'"))
            .isEmpty();
        List<Object[]> biggest =
            EmulatorFixture.rows(
                c,
                "SELECT TOP 1 COUNT(*) FROM cdc.dbo_events_CT GROUP BY __$start_lsn ORDER BY 1 DESC");
        assertThat((Long) biggest.get(0)[0]).isGreaterThanOrEqualTo(1_500L);
      }
    }
  }

  /**
   * Applies every change row in change-table order: deletes and before images retract, inserts and
   * after images add; a (max) column whose update-mask bit is clear keeps its last value.
   */
  private static Map<List<Object>, Long> replay(Connection c, WorkloadTables.Table t)
      throws SQLException {
    Map<List<Object>, Long> multiset = new HashMap<>();
    Map<List<Object>, Object[]> byKey = new HashMap<>();
    String ct = new ObjectName("cdc", t.schema + "_" + t.name + "_CT").quoted();
    StringBuilder cols = new StringBuilder();
    for (String col : t.columns) {
      cols.append(", ").append(ObjectName.quote(col));
    }
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT __$operation, __$update_mask"
                    + cols
                    + " FROM "
                    + ct
                    + " ORDER BY __$start_lsn, __$command_id, __$seqval, __$operation")) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        int op = rs.getInt(1);
        byte[] mask = rs.getBytes(2);
        Object[] row = new Object[t.columns.size()];
        for (int i = 0; i < row.length; i++) {
          row[i] = TableContents.value(rs, i + 3, md.getColumnType(i + 3));
        }
        if (t.keyless()) {
          List<Object> r = Arrays.asList(row);
          multiset.merge(r, op == 1 || op == 3 ? -1L : 1L, Long::sum);
          multiset.remove(r, 0L);
          continue;
        }
        List<Object> key = new ArrayList<>();
        for (int k : t.key) {
          key.add(row[k]);
        }
        if (op == 1) {
          byKey.remove(key);
        } else if (op == 2) {
          byKey.put(key, row);
        } else if (op == 4) {
          Object[] previous = byKey.get(key);
          for (int i = 0; i < row.length; i++) {
            boolean changed = CdcFunctions.fn_cdc_is_bit_set(i + 1, mask);
            if (!changed && previous != null) {
              row[i] = previous[i];
            }
          }
          byKey.put(key, row);
        }
      }
    }
    if (!t.keyless()) {
      for (Object[] row : byKey.values()) {
        multiset.merge(Arrays.asList(row), 1L, Long::sum);
      }
    }
    return multiset;
  }
}
