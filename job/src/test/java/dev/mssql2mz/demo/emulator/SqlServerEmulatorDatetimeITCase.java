package dev.mssql2mz.demo.emulator;

import static dev.mssql2mz.demo.emulator.EmulatorFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** datetime and smalldatetime values written through the emulator are stored as SQL Server does. */
class SqlServerEmulatorDatetimeITCase {

  private SqlServerEmulator db;

  @BeforeEach
  void start() throws SQLException {
    db =
        SqlServerEmulator.builder()
            .database("datetimes")
            .captureInterval(null)
            .idleAdvanceEvery(0)
            .build();
    db.execute(
        "CREATE TABLE dbo.times (id INT NOT NULL PRIMARY KEY, d DATETIME, s SMALLDATETIME,"
            + " d2 DATETIME2(7))");
    db.enableTable("dbo", "times");
  }

  @AfterEach
  void stop() throws SQLException {
    db.close();
  }

  @Test
  void literalsAndParametersAreRoundedInTheTableAndTheChangeTable() throws Exception {
    db.inTransaction(
        c -> {
          exec(
              c,
              "INSERT INTO dbo.times VALUES (1, '2024-01-01 23:59:59.999', '2007-05-08 12:35:29.998',"
                  + " '2024-01-01 23:59:59.9999999')",
              "INSERT INTO dbo.times VALUES (2, '2024-01-01 10:00:00.998', '2007-05-08 12:35:29.999',"
                  + " NULL)",
              "INSERT INTO dbo.times VALUES (3, '2024-01-01 10:00:00.002', '2007-05-08 12:35:30',"
                  + " NULL)");
          try (PreparedStatement ps =
              c.prepareStatement("INSERT INTO dbo.times (id, d, s) VALUES (?, ?, ?)")) {
            ps.setInt(1, 4);
            ps.setObject(2, LocalDateTime.parse("2024-01-01T23:59:59.9995"));
            ps.setObject(3, LocalDateTime.parse("2024-01-01T08:00:29.4"));
            ps.executeUpdate();
            ps.setInt(1, 5);
            ps.setObject(2, LocalDateTime.parse("2024-01-01T10:00:00.9949"));
            ps.setObject(3, LocalDateTime.parse("2024-01-01T23:59:59"));
            ps.executeUpdate();
          }
        });
    db.captureNow();
    List<String> expected =
        List.of(
            "1 2024-01-02T00:00 2007-05-08T12:35 2024-01-01T23:59:59.999999900",
            "2 2024-01-01T10:00:00.997 2007-05-08T12:36 null",
            "3 2024-01-01T10:00:00.003 2007-05-08T12:36 null",
            "4 2024-01-02T00:00 2024-01-01T08:00 null",
            "5 2024-01-01T10:00:00.993 2024-01-02T00:00 null");
    try (Connection c = db.connect()) {
      assertThat(read(c, "SELECT id, d, s, d2 FROM dbo.times ORDER BY id"))
          .containsExactlyElementsOf(expected);
      assertThat(read(c, "SELECT id, d, s, d2 FROM cdc.dbo_times_CT ORDER BY id"))
          .containsExactlyElementsOf(expected);
    }
  }

  @Test
  void updatesAreRoundedAndTheirBeforeImagesHoldTheStoredValue() throws Exception {
    db.execute("INSERT INTO dbo.times (id, d, s) VALUES (1, '2024-03-01 00:00:00.994', NULL)");
    db.execute(
        "UPDATE dbo.times SET d = '2024-03-01 00:00:00.995', s = '2024-03-01 00:00:59' WHERE id = 1");
    db.captureNow();
    try (Connection c = db.connect()) {
      assertThat(
              read(
                  c,
                  "SELECT __$operation, d, s FROM cdc.dbo_times_CT ORDER BY __$start_lsn, __$seqval,"
                      + " __$operation"))
          .containsExactly(
              "2 2024-03-01T00:00:00.993 null",
              "3 2024-03-01T00:00:00.993 null",
              "4 2024-03-01T00:00:00.997 2024-03-01T00:01");
    }
  }

  @Test
  void aValueThatRoundsOutOfRangeFailsLikeMsg242AndWritesNothing() throws Exception {
    assertThatThrownBy(
            () -> db.execute("INSERT INTO dbo.times (id, s) VALUES (1, '2079-06-06 23:59:30')"))
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(242));
    db.captureNow();
    try (Connection c = db.connect()) {
      assertThat(read(c, "SELECT id FROM dbo.times")).isEmpty();
      assertThat(read(c, "SELECT id FROM cdc.dbo_times_CT")).isEmpty();
    }
  }

  @Test
  void aDatetimeColumnAddedByAlterTableIsRoundedToo() throws Exception {
    db.execute("CREATE TABLE dbo.later (id INT PRIMARY KEY, a INT)");
    db.execute("ALTER TABLE dbo.later ADD seen DATETIME");
    db.execute("INSERT INTO dbo.later VALUES (1, 1, '2024-01-01 00:00:00.001')");
    db.execute("ALTER TABLE dbo.later DROP COLUMN a");
    db.execute("INSERT INTO dbo.later VALUES (2, '2024-01-01 00:00:00.005')");
    try (Connection c = db.connect()) {
      assertThat(read(c, "SELECT id, seen FROM dbo.later ORDER BY id"))
          .containsExactly("1 2024-01-01T00:00", "2 2024-01-01T00:00:00.007");
    }
  }

  /** Rows as text, date-times read as LocalDateTime (all digits). */
  private static List<String> read(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          Object v =
              rs.getMetaData().getColumnType(i) == java.sql.Types.TIMESTAMP
                  ? rs.getObject(i, LocalDateTime.class)
                  : rs.getObject(i);
          row.append(i == 1 ? "" : " ").append(v);
        }
        out.add(row.toString());
      }
    }
    return out;
  }
}
