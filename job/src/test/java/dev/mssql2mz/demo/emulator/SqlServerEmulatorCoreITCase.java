package dev.mssql2mz.demo.emulator;

import static dev.mssql2mz.demo.emulator.EmulatorFixture.exec;
import static dev.mssql2mz.demo.emulator.EmulatorFixture.lsn;
import static dev.mssql2mz.demo.emulator.EmulatorFixture.rows;
import static dev.mssql2mz.demo.emulator.EmulatorFixture.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mssql2mz.udfs.Lsn;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The emulator's connection, catalog, capture and CDC functions, with manual capture. */
class SqlServerEmulatorCoreITCase {

  private SqlServerEmulator db;

  @BeforeEach
  void start() throws SQLException {
    db =
        SqlServerEmulator.builder()
            .database("core")
            .captureInterval(null)
            .idleAdvanceEvery(0)
            .build();
    db.execute(
        "CREATE TABLE dbo.orders (id INT NOT NULL PRIMARY KEY CLUSTERED, customer NVARCHAR(40),"
            + " total DECIMAL(12,2), note NVARCHAR(MAX), legacy NTEXT, flag TINYINT)");
  }

  @AfterEach
  void stop() throws SQLException {
    db.close();
  }

  @Test
  void connectsThroughDriverManagerAndRejectsAWrongPassword() throws SQLException {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
      assertThat(value(c, "SELECT DB_NAME()")).isEqualTo("core");
      assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("Microsoft SQL Server");
    }
    assertThatThrownBy(() -> DriverManager.getConnection(db.jdbcUrl(), db.user(), "wrong"))
        .isInstanceOfSatisfying(
            SQLException.class,
            e -> {
              assertThat(e.getErrorCode()).isEqualTo(18456);
              assertThat(e.getMessage()).isEqualTo("Login failed for user 'mssql2mz'.");
            });
  }

  @Test
  void insertUpdateDeleteBecomeChangeRowsAfterCapture() throws Exception {
    db.enableTable("dbo", "orders");
    Lsn commit =
        db.inTransaction(
            c ->
                exec(
                    c,
                    "INSERT INTO dbo.orders (id, customer, total) VALUES (1, N'ann', 10.50)",
                    "UPDATE dbo.orders SET total = 11 WHERE id = 1",
                    "DELETE FROM dbo.orders WHERE id = 1"));
    try (Connection c = db.connect()) {
      Lsn before = lsn(c, "SELECT sys.fn_cdc_get_max_lsn()");
      assertThat(before).isLessThan(commit);
      db.captureNow();
      assertThat(lsn(c, "SELECT sys.fn_cdc_get_max_lsn()")).isEqualTo(commit);
      List<Object[]> changes =
          rows(
              c,
              "SELECT __$operation, __$command_id, id, total FROM cdc.dbo_orders_CT"
                  + " ORDER BY __$start_lsn, __$command_id, __$seqval, __$operation");
      assertThat(changes).extracting(r -> r[0]).containsExactly(2, 3, 4, 1);
      assertThat(changes).extracting(r -> r[1]).containsExactly(1, 2, 2, 3);
      List<Object[]> all =
          rows(
              c,
              "SELECT __$operation FROM cdc.fn_cdc_get_all_changes_dbo_orders(?, ?, N'all')",
              db.minLsn("dbo_orders"),
              commit);
      assertThat(all).extracting(r -> r[0]).containsExactlyInAnyOrder(2, 4, 1);
    }
  }
}
