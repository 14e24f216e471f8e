package dev.mssql2mz.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mssql2mz.demo.emulator.CdcTableOptions;
import dev.mssql2mz.demo.emulator.SqlServerEmulator;
import dev.mssql2mz.udfs.Lsn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The T-SQL of {@link SqlServerQueries} against the emulator. */
class SqlServerQueriesITCase {

  private SqlServerEmulator emulator;

  @BeforeEach
  void start() throws Exception {
    emulator =
        SqlServerEmulator.builder()
            .database("q")
            .captureInterval(Duration.ofMillis(50))
            .cdcEnabled(true)
            .snapshotIsolation(true)
            .build();
    emulator.execute("CREATE TABLE dbo.t (id INT NOT NULL PRIMARY KEY, v NVARCHAR(10))");
    emulator.enableTable("dbo", "t");
  }

  @AfterEach
  void stop() throws Exception {
    emulator.close();
  }

  private Lsn insert(int id) throws Exception {
    return emulator.inTransaction(
        c -> {
          try (PreparedStatement ps = c.prepareStatement("INSERT INTO dbo.t VALUES (?, ?)")) {
            ps.setInt(1, id);
            ps.setString(2, "v" + id);
            ps.executeUpdate();
          }
        });
  }

  @Test
  void theSavepointLsnLiesBetweenEarlierAndLaterCommits() throws Exception {
    Lsn before = insert(1);
    SourceTable t = new SourceTable("dbo", "t", "t", List.of(), List.of());
    Lsn snapshot;
    try (Connection lock = emulator.connect();
        Connection snap = emulator.connect()) {
      lock.setAutoCommit(false);
      SqlServerQueries.useSnapshotIsolation(snap);
      snap.setAutoCommit(false);
      SqlServerQueries.lockTableShared(lock, t);
      SqlServerQueries.fixSnapshotReadPoint(snap);
      SqlServerQueries.saveTransaction(snap, "sp");
      lock.rollback();
      snapshot = SqlServerQueries.savepointLsn(snap);
      Lsn after = insert(2);
      int visible = 0;
      try (ResultSet rs = snap.createStatement().executeQuery("SELECT id FROM dbo.t")) {
        while (rs.next()) {
          visible++;
        }
      }
      snap.commit();
      assertThat(before).isLessThan(snapshot);
      assertThat(after).isGreaterThan(snapshot);
      assertThat(visible).isEqualTo(1);
    }
  }

  @Test
  void discoveryTakesTheCaptureInstancesUniqueIndexWhenThereIsNoPrimaryKey() throws Exception {
    emulator.execute(
        "CREATE TABLE dbo.u (code VARCHAR(10) NOT NULL, n INT, note NVARCHAR(20))",
        "CREATE UNIQUE INDEX ux_u_code ON dbo.u (code)");
    emulator.enableTable(
        CdcTableOptions.of("dbo", "u").indexName("ux_u_code").capturedColumns("code", "n"));
    try (Connection c = emulator.connect()) {
      List<CapturedTable> tables =
          TableSelection.tables("dbo.u")
              .resolve(CatalogDiscovery.discover(c), SqlServerQueries.tables(c));
      SourceTable u = tables.get(0).table();
      assertThat(u.keyColumns()).containsExactly("code");
      assertThat(u.columns()).extracting(SourceColumn::name).containsExactly("code", "n");
      assertThat(u.columns().get(0).typeName()).isEqualTo("varchar");
      assertThat(tables.get(0).newestInstance().startLsn()).isGreaterThan(Lsn.MIN);
    }
  }

  @Test
  void changePagesFollowTheFullPositionAndResumeExactlyInsideATransaction() throws Exception {
    Lsn big =
        emulator.inTransaction(
            c -> {
              try (PreparedStatement ps = c.prepareStatement("INSERT INTO dbo.t VALUES (?, ?)")) {
                for (int i = 0; i < 250; i++) {
                  ps.setInt(1, i);
                  ps.setString(2, "x");
                  ps.addBatch();
                }
                ps.executeBatch();
              }
            });
    emulator.execute("UPDATE dbo.t SET v = N'y' WHERE id < 10");
    Lsn max = emulator.awaitCaptured(emulator.lastCommitLsn(), Duration.ofSeconds(30));
    CaptureInstance inst = new CaptureInstance("dbo_t", "dbo", "t", Lsn.MIN, List.of("id", "v"));
    List<ChangePosition> all = new ArrayList<>();
    ChangePosition after = ChangePosition.afterAllOf(Lsn.MIN);
    while (true) {
      List<ChangePosition> page = new ArrayList<>();
      try (Connection c = emulator.connect();
          PreparedStatement ps =
              SqlServerQueries.changePage(
                  c, inst, List.of("id"), after, max, RowPredicate.alwaysTrue(), 37);
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          page.add(
              new ChangePosition(
                  JdbcValues.readLsn(rs, 1),
                  rs.getLong(2),
                  JdbcValues.readLsn(rs, 3),
                  rs.getInt(4)));
        }
      }
      all.addAll(page);
      if (page.size() < 37) {
        break;
      }
      after = page.get(page.size() - 1);
    }
    assertThat(all).hasSize(250 + 20).isSorted().doesNotHaveDuplicates();
    assertThat(all.get(0).commitLsn()).isEqualTo(big);
  }

  @Test
  void sampledBoundariesAreEveryNthKeyInKeyOrder() throws Exception {
    for (int i = 1; i <= 10; i++) {
      insert(i * 10);
    }
    SourceTable t =
        new SourceTable(
            "dbo",
            "t",
            "t",
            List.of(new SourceColumn("id", "int", 4, 10, 0, false, false)),
            List.of("id"));
    try (Connection c = emulator.connect()) {
      List<Object[]> b = SqlServerQueries.sampledKeyBoundaries(c, t, 3);
      assertThat(b).extracting(x -> x[0]).containsExactly(30, 60, 90);
    }
  }

  @Test
  void identifiersWithBracketsAndSpacesAreQuoted() throws Exception {
    emulator.execute("CREATE TABLE dbo.[odd]]name] ([a b] INT NOT NULL PRIMARY KEY, [c]]d] INT)");
    emulator.execute("INSERT INTO dbo.[odd]]name] VALUES (1, 2)");
    SourceTable t =
        new SourceTable(
            "dbo",
            "odd]name",
            "odd",
            List.of(
                new SourceColumn("a b", "int", 4, 10, 0, false, false),
                new SourceColumn("c]d", "int", 4, 10, 0, true, false)),
            List.of("a b"));
    try (Connection c = emulator.connect();
        PreparedStatement ps =
            SqlServerQueries.chunkScan(
                c,
                t,
                RowPredicate.greaterThan(List.of("a b"), new Object[] {0}, false),
                List.of("a b"),
                10);
        ResultSet rs = ps.executeQuery()) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(2)).isEqualTo(2);
    }
  }
}
