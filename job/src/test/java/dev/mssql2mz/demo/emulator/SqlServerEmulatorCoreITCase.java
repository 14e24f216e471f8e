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
      assertThat(rows(c, "SELECT CURRENT_USER, SYSTEM_USER, SUSER_NAME()"))
          .containsExactly(new Object[] {"mssql2mz", "mssql2mz", "mssql2mz"});
    }
    try (Connection admin = db.adminConnection()) {
      assertThat(rows(admin, "SELECT CURRENT_USER, SYSTEM_USER"))
          .containsExactly(new Object[] {"dbo", "sa"});
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

  @Test
  void catalogViewsDescribeTablesColumnsAndTypesAsSqlServerDoes() throws Exception {
    db.enableTable("dbo", "orders");
    try (Connection c = db.connect()) {
      assertThat(
              rows(
                  c,
                  "SELECT name, is_cdc_enabled, snapshot_isolation_state_desc FROM sys.databases WHERE name = DB_NAME()"))
          .containsExactly(new Object[] {"core", true, "ON"});
      assertThat(
              value(
                  c,
                  "SELECT t.is_tracked_by_cdc FROM sys.tables t JOIN sys.schemas s ON s.schema_id = t.schema_id WHERE s.name = N'dbo' AND t.name = N'orders'"))
          .isEqualTo(true);
      List<Object[]> cols =
          rows(
              c,
              "SELECT c.name, ty.name, c.max_length, c.precision, c.scale, c.is_nullable FROM sys.columns c"
                  + " JOIN sys.types ty ON ty.user_type_id = c.user_type_id"
                  + " WHERE c.object_id = OBJECT_ID(N'dbo.orders') ORDER BY c.column_id");
      assertThat(cols)
          .extracting(r -> r[0] + " " + r[1] + " " + r[2] + " " + r[3] + " " + r[4] + " " + r[5])
          .containsExactly(
              "id int 4 10 0 false",
              "customer nvarchar 80 0 0 true",
              "total decimal 9 12 2 true",
              "note nvarchar -1 0 0 true",
              "legacy ntext 16 0 0 true",
              "flag tinyint 1 3 0 true");
      assertThat(
              rows(
                  c,
                  "SELECT kcu.COLUMN_NAME FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS tc"
                      + " JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE kcu ON kcu.CONSTRAINT_NAME = tc.CONSTRAINT_NAME"
                      + " AND kcu.TABLE_SCHEMA = tc.TABLE_SCHEMA WHERE tc.TABLE_SCHEMA = 'dbo' AND tc.TABLE_NAME = 'orders'"
                      + " AND tc.CONSTRAINT_TYPE = 'PRIMARY KEY'"))
          .extracting(r -> r[0])
          .containsExactly("id");
      assertThat(
              rows(
                  c,
                  "SELECT capture_instance, supports_net_changes, role_name FROM cdc.change_tables"))
          .containsExactly(new Object[] {"dbo_orders", false, null});
      assertThat(
              rows(
                  c,
                  "SELECT column_name, column_ordinal, column_type FROM cdc.captured_columns ORDER BY column_ordinal"))
          .extracting(r -> r[0] + ":" + r[1] + ":" + r[2])
          .containsExactly(
              "id:1:int",
              "customer:2:nvarchar",
              "total:3:decimal",
              "note:4:nvarchar",
              "legacy:5:ntext",
              "flag:6:tinyint");
      assertThat(rows(c, "SELECT column_name, index_ordinal FROM cdc.index_columns"))
          .extracting(r -> r[0])
          .containsExactly("id");
      assertThat(
              value(
                  c,
                  "SELECT COUNT_BIG(*) FROM sys.indexes i WHERE i.object_id = OBJECT_ID(N'dbo.orders') AND i.is_primary_key = 1"))
          .isEqualTo(1L);
    }
  }

  @Test
  void tinyintIsUnsignedAndTimeKeepsSevenDigits() throws Exception {
    db.execute(
        "CREATE TABLE dbo.times (id INT PRIMARY KEY, t TIME(7), d2 DATETIME2, b TINYINT, o DATETIMEOFFSET)");
    db.execute(
        "INSERT INTO dbo.times VALUES (1, '23:59:59.9999999', '2024-01-02 03:04:05.1234567', 255, '2024-01-02 12:00:00.1234567 -05:00')");
    try (Connection c = db.connect();
        java.sql.Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("SELECT t, d2, b, o FROM dbo.times")) {
      rs.next();
      assertThat(rs.getObject(1, java.time.LocalTime.class))
          .isEqualTo(java.time.LocalTime.parse("23:59:59.9999999"));
      assertThat(rs.getObject(2, java.time.LocalDateTime.class))
          .isEqualTo(java.time.LocalDateTime.parse("2024-01-02T03:04:05.1234567"));
      assertThat(rs.getInt(3)).isEqualTo(255);
      assertThat(rs.getObject(4, java.time.OffsetDateTime.class).toInstant())
          .isEqualTo(java.time.Instant.parse("2024-01-02T17:00:00.1234567Z"));
    }
    assertThatThrownBy(() -> db.execute("INSERT INTO dbo.times (id, b) VALUES (2, 256)"))
        .isInstanceOf(SQLException.class);
    assertThatThrownBy(() -> db.execute("INSERT INTO dbo.times (id, b) VALUES (3, -1)"))
        .isInstanceOf(SQLException.class);
  }

  @Test
  void minLsnIsZeroForAnUnknownInstanceAndTheStartLsnForAKnownOne() throws Exception {
    db.enableTable("dbo", "orders");
    try (Connection c = db.connect()) {
      assertThat(lsn(c, "SELECT sys.fn_cdc_get_min_lsn(N'nope')")).isEqualTo(Lsn.MIN);
      Lsn start =
          lsn(c, "SELECT start_lsn FROM cdc.change_tables WHERE capture_instance = N'dbo_orders'");
      assertThat(lsn(c, "SELECT sys.fn_cdc_get_min_lsn(N'dbo_orders')"))
          .isEqualTo(start)
          .isEqualTo(db.minLsn("dbo_orders"));
      assertThat(start).isGreaterThan(Lsn.MIN);
    }
  }

  @Test
  void incrementDecrementAndLsnToTimeMapping() throws Exception {
    db.enableTable("dbo", "orders");
    Lsn commit = db.inTransaction(c -> exec(c, "INSERT INTO dbo.orders (id) VALUES (1)"));
    db.captureNow();
    try (Connection c = db.connect()) {
      assertThat(lsn(c, "SELECT sys.fn_cdc_increment_lsn(?)", commit))
          .isEqualTo(commit.increment());
      assertThat(lsn(c, "SELECT sys.fn_cdc_decrement_lsn(?)", commit.increment()))
          .isEqualTo(commit);
      Object time = value(c, "SELECT sys.fn_cdc_map_lsn_to_time(?)", commit);
      assertThat(time)
          .isEqualTo(
              value(
                  c, "SELECT tran_end_time FROM cdc.lsn_time_mapping WHERE start_lsn = ?", commit));
      assertThat(
              lsn(c, "SELECT sys.fn_cdc_map_time_to_lsn(N'largest less than or equal', ?)", time))
          .isEqualTo(commit);
      assertThat(lsn(c, "SELECT sys.fn_cdc_get_max_lsn()")).isEqualTo(commit);
    }
  }

  @Test
  void allChangesFailsWithMsg313OutsideTheCaptureInstanceRange() throws Exception {
    db.enableTable("dbo", "orders");
    Lsn commit = db.inTransaction(c -> exec(c, "INSERT INTO dbo.orders (id) VALUES (1)"));
    db.captureNow();
    Lsn min = db.minLsn("dbo_orders");
    String sql = "SELECT * FROM cdc.fn_cdc_get_all_changes_dbo_orders(?, ?, N'all update old')";
    try (Connection c = db.connect()) {
      assertThat(rows(c, sql, min, commit)).hasSize(1);
      for (Lsn[] range :
          new Lsn[][] {{Lsn.MIN, commit}, {min, commit.increment()}, {commit, min}}) {
        assertThatThrownBy(() -> rows(c, sql, range[0], range[1]))
            .isInstanceOfSatisfying(
                SQLException.class,
                e -> {
                  assertThat(e.getErrorCode()).isEqualTo(313);
                  assertThat(e.getSQLState()).isEqualTo("S0001");
                  assertThat(e.getMessage())
                      .startsWith(
                          "An insufficient number of arguments were supplied for the procedure or function cdc.fn_cdc_get_all_changes_");
                });
      }
      assertThatThrownBy(
              () ->
                  rows(
                      c,
                      "SELECT * FROM cdc.fn_cdc_get_all_changes_nope(?, ?, N'all')",
                      min,
                      commit))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(208));
    }
  }

  @Test
  void allChangesWithAllOmitsUpdateBeforeRowsAndHasNoCommandId() throws Exception {
    db.enableTable("dbo", "orders");
    db.inTransaction(c -> exec(c, "INSERT INTO dbo.orders (id, total) VALUES (1, 1)"));
    Lsn last = db.inTransaction(c -> exec(c, "UPDATE dbo.orders SET total = 2"));
    db.captureNow();
    try (Connection c = db.connect()) {
      Lsn min = db.minLsn("dbo_orders");
      List<Object[]> old =
          rows(
              c,
              "SELECT __$operation, total FROM cdc.fn_cdc_get_all_changes_dbo_orders(?, ?, N'all update old')",
              min,
              last);
      assertThat(old)
          .extracting(r -> r[0] + "=" + r[1])
          .containsExactlyInAnyOrder("2=1.00", "3=1.00", "4=2.00");
      List<Object[]> all =
          rows(
              c,
              "SELECT __$operation FROM [cdc].[fn_cdc_get_all_changes_dbo_orders](?, ?, N'all')",
              min,
              last);
      assertThat(all).extracting(r -> r[0]).containsExactlyInAnyOrder(2, 4);
      try (java.sql.PreparedStatement ps =
          c.prepareStatement("SELECT * FROM cdc.fn_cdc_get_all_changes_dbo_orders(?, ?, N'all')")) {
        ps.setBytes(1, min.toBytes());
        ps.setBytes(2, last.toBytes());
        java.sql.ResultSetMetaData md = ps.executeQuery().getMetaData();
        List<String> names = new java.util.ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          names.add(md.getColumnName(i));
        }
        assertThat(names)
            .containsExactly(
                "__$start_lsn",
                "__$seqval",
                "__$operation",
                "__$update_mask",
                "id",
                "customer",
                "total",
                "note",
                "legacy",
                "flag");
      }
    }
  }

  @Test
  void updateMaskHasTheLowestOrdinalsInTheLastByte() throws Exception {
    db.execute(
        "CREATE TABLE dbo.wide (c1 INT PRIMARY KEY, c2 INT, c3 INT, c4 INT, c5 INT, c6 INT, c7 INT, c8 INT, c9 INT, c10 INT)");
    db.enableTable("dbo", "wide");
    db.inTransaction(c -> exec(c, "INSERT INTO dbo.wide VALUES (1,2,3,4,5,6,7,8,9,10)"));
    Lsn update = db.inTransaction(c -> exec(c, "UPDATE dbo.wide SET c2 = 20, c9 = 90"));
    db.captureNow();
    try (Connection c = db.connect()) {
      List<Object[]> masks =
          rows(
              c,
              "SELECT __$operation, __$update_mask FROM cdc.dbo_wide_CT ORDER BY __$start_lsn, __$seqval, __$operation");
      assertThat((byte[]) masks.get(0)[1]).containsExactly(0x03, 0xFF);
      assertThat((byte[]) masks.get(1)[1]).containsExactly(0x01, 0x02);
      assertThat((byte[]) masks.get(2)[1]).containsExactly(0x01, 0x02);
      assertThat(
              value(
                  c,
                  "SELECT sys.fn_cdc_is_bit_set(sys.fn_cdc_get_column_ordinal(N'dbo_wide', N'c9'), __$update_mask) FROM cdc.dbo_wide_CT WHERE __$operation = 4"))
          .isEqualTo(true);
      assertThat(
              value(
                  c,
                  "SELECT sys.fn_cdc_is_bit_set(3, __$update_mask) FROM cdc.dbo_wide_CT WHERE __$operation = 4"))
          .isEqualTo(false);
    }
  }

  @Test
  void anUpdateOfTheKeyIsADeleteAndAnInsertSharingTheSeqval() throws Exception {
    db.enableTable("dbo", "orders");
    db.inTransaction(c -> exec(c, "INSERT INTO dbo.orders (id, customer) VALUES (1, N'ann')"));
    db.inTransaction(c -> exec(c, "UPDATE dbo.orders SET id = 2 WHERE id = 1"));
    db.captureNow();
    try (Connection c = db.connect()) {
      List<Object[]> rows =
          rows(
              c,
              "SELECT __$operation, __$seqval, id, customer FROM cdc.dbo_orders_CT WHERE __$operation <> 2 OR id = 2 ORDER BY __$start_lsn, __$seqval, __$operation");
      assertThat(rows)
          .extracting(r -> r[0] + ":" + r[2] + ":" + r[3])
          .containsExactly("1:1:ann", "2:2:ann");
      assertThat((byte[]) rows.get(0)[1]).isEqualTo((byte[]) rows.get(1)[1]);
    }
  }

  @Test
  void commandIdsAndSeqvalsFollowTheStatementsOfATransaction() throws Exception {
    db.enableTable("dbo", "orders");
    Lsn commit =
        db.inTransaction(
            c ->
                exec(
                    c,
                    "INSERT INTO dbo.orders (id) VALUES (1), (2), (3)",
                    "SELECT COUNT(*) FROM dbo.orders",
                    "UPDATE dbo.orders SET total = 5 WHERE id = 2",
                    "DELETE FROM dbo.orders WHERE id IN (1, 3)"));
    db.captureNow();
    try (Connection c = db.connect()) {
      List<Object[]> rows =
          rows(
              c,
              "SELECT __$start_lsn, __$seqval, __$command_id, __$operation, id FROM cdc.dbo_orders_CT ORDER BY __$start_lsn, __$command_id, __$seqval, __$operation");
      assertThat(rows)
          .extracting(r -> r[2] + ":" + r[3] + ":" + r[4])
          .containsExactly("1:2:1", "1:2:2", "1:2:3", "2:3:2", "2:4:2", "3:1:1", "3:1:3");
      Lsn previous = Lsn.MIN;
      for (Object[] r : rows) {
        assertThat(Lsn.fromBytes((byte[]) r[0])).isEqualTo(commit);
        Lsn seqval = Lsn.fromBytes((byte[]) r[1]);
        assertThat(seqval).isLessThan(commit).isGreaterThanOrEqualTo(previous);
        previous = seqval;
      }
    }
  }

  @Test
  void largeValuesAreOmittedExactlyAsSqlServerOmitsThem() throws Exception {
    db.enableTable("dbo", "orders");
    db.inTransaction(
        c -> exec(c, "INSERT INTO dbo.orders (id, note, legacy) VALUES (1, N'n1', N'l1')"));
    db.inTransaction(c -> exec(c, "UPDATE dbo.orders SET customer = N'x' WHERE id = 1"));
    db.inTransaction(
        c -> exec(c, "UPDATE dbo.orders SET note = N'n2', legacy = N'l2' WHERE id = 1"));
    db.inTransaction(c -> exec(c, "DELETE FROM dbo.orders WHERE id = 1"));
    db.captureNow();
    try (Connection c = db.connect()) {
      List<Object[]> rows =
          rows(
              c,
              "SELECT __$operation, note, legacy FROM cdc.dbo_orders_CT ORDER BY __$start_lsn, __$seqval, __$operation");
      assertThat(rows)
          .extracting(r -> r[0] + ":" + r[1] + ":" + r[2])
          .containsExactly(
              "2:n1:l1", "3:null:null", "4:null:l1", "3:n1:null", "4:n2:l2", "1:n2:null");
    }
  }

  @Test
  void commitLsnOrderIsCommitOrderNotStartOrder() throws Exception {
    db.enableTable("dbo", "orders");
    try (Connection first = db.adminConnection();
        Connection second = db.adminConnection()) {
      first.setAutoCommit(false);
      second.setAutoCommit(false);
      exec(first, "INSERT INTO dbo.orders (id) VALUES (1)");
      exec(second, "INSERT INTO dbo.orders (id) VALUES (2)");
      second.commit();
      first.commit();
      assertThat(SqlServerEmulator.lastCommitLsn(second))
          .isLessThan(SqlServerEmulator.lastCommitLsn(first));
    }
  }

  @Test
  void rollbackToASavepointDropsOnlyTheChangesAfterIt() throws Exception {
    db.enableTable("dbo", "orders");
    db.inTransaction(
        c ->
            exec(
                c,
                "INSERT INTO dbo.orders (id) VALUES (1)",
                "SAVE TRANSACTION sp1",
                "INSERT INTO dbo.orders (id) VALUES (2)",
                "ROLLBACK TRANSACTION sp1",
                "INSERT INTO dbo.orders (id) VALUES (3)"));
    db.captureNow();
    try (Connection c = db.connect()) {
      assertThat(rows(c, "SELECT id FROM dbo.orders ORDER BY id"))
          .extracting(r -> r[0])
          .containsExactly(1, 3);
      assertThat(rows(c, "SELECT id, __$command_id FROM cdc.dbo_orders_CT ORDER BY __$command_id"))
          .extracting(r -> r[0] + ":" + r[1])
          .containsExactly("1:1", "3:2");
    }
  }

  @Test
  void materializesDiscoveryQueriesRunUnchanged() throws Exception {
    db.enableTable("dbo", "orders");
    try (Connection c = db.connect()) {
      assertThat(value(c, "SELECT is_cdc_enabled FROM sys.databases WHERE database_id = DB_ID();"))
          .isEqualTo(true);
      assertThat(
              ((Number)
                      value(
                          c,
                          "SELECT snapshot_isolation_state FROM sys.databases WHERE database_id = DB_ID();"))
                  .intValue())
          .isEqualTo(1);
      assertThat(
              rows(
                  c,
                  "SELECT c.capture_instance, SCHEMA_NAME(o.schema_id) as schema_name, o.name as obj_name"
                      + " FROM sys.objects o JOIN cdc.change_tables c ON o.object_id = c.source_object_id"
                      + " WHERE c.capture_instance IN (?);",
                  "dbo_orders"))
          .extracting(r -> r[0] + " " + r[1] + " " + r[2])
          .containsExactly("dbo_orders dbo orders");
      assertThat(
              rows(
                  c,
                  "SELECT s.name as schema_name, t.name as table_name, ch.capture_instance as capture_instance,"
                      + " c.name as col_name, ty.name as col_type, c.is_nullable as col_nullable,"
                      + " c.max_length as col_max_length, c.precision as col_precision, c.scale as col_scale"
                      + " FROM sys.tables t JOIN sys.schemas s ON t.schema_id = s.schema_id"
                      + " JOIN sys.columns c ON t.object_id = c.object_id"
                      + " JOIN sys.types ty ON c.user_type_id = ty.user_type_id"
                      + " JOIN cdc.change_tables ch ON t.object_id = ch.source_object_id"))
          .extracting(r -> r[3] + ":" + r[4])
          .containsExactlyInAnyOrder(
              "id:int",
              "customer:nvarchar",
              "total:decimal",
              "note:nvarchar",
              "legacy:ntext",
              "flag:tinyint");
    }
  }

  @Test
  void fileModeKeepsTheDatabaseOnDisk(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    try (SqlServerEmulator files =
        SqlServerEmulator.builder()
            .database("files")
            .fileDirectory(dir)
            .captureInterval(null)
            .build()) {
      files.execute("CREATE TABLE dbo.t (id INT PRIMARY KEY)");
      files.enableTable("dbo", "t");
      Lsn commit = files.inTransaction(c -> exec(c, "INSERT INTO dbo.t VALUES (1)"));
      assertThat(files.captureNow()).isEqualTo(commit);
      try (Connection c = files.connect()) {
        assertThat(value(c, "SELECT COUNT(*) FROM cdc.dbo_t_CT")).isEqualTo(1L);
      }
      assertThat(java.nio.file.Files.list(dir)).isNotEmpty();
    }
  }

  @Test
  void aBatchOfStatementsRunsStatementByStatement() throws Exception {
    try (Connection c = db.connect()) {
      assertThat(value(c, "SET NOCOUNT ON; SELECT COUNT(*) FROM dbo.orders;")).isEqualTo(0L);
      exec(c, "SET TRANSACTION ISOLATION LEVEL SNAPSHOT; BEGIN TRANSACTION; SELECT 1");
      assertThat(value(c, "SELECT @@TRANCOUNT")).isEqualTo(1);
      assertThat(c.getTransactionIsolation()).isEqualTo(4096);
      exec(c, "COMMIT");
      assertThat(value(c, "SELECT @@TRANCOUNT")).isEqualTo(0);
    }
  }

  @Test
  void oneTransactionOverTwoTablesHasOneCommitLsnAndOneCommandSequence() throws Exception {
    db.execute(
        "CREATE TABLE dbo.lines (order_id INT NOT NULL, n INT NOT NULL, PRIMARY KEY (order_id, n))");
    db.enableTable("dbo", "orders");
    db.enableTable("dbo", "lines");
    Lsn commit =
        db.inTransaction(
            c ->
                exec(
                    c,
                    "INSERT INTO dbo.orders (id) VALUES (1)",
                    "INSERT INTO dbo.lines VALUES (1, 1), (1, 2)",
                    "UPDATE dbo.orders SET total = 2 WHERE id = 1",
                    "DELETE FROM dbo.lines WHERE n = 1"));
    assertThatThrownBy(
            () ->
                db.inTransaction(
                    c -> {
                      exec(c, "INSERT INTO dbo.orders (id) VALUES (9)");
                      exec(c, "INSERT INTO dbo.lines VALUES (9, 9)");
                      throw new SQLException("abandoned");
                    }))
        .hasMessage("abandoned");
    Lsn next = db.inTransaction(c -> exec(c, "INSERT INTO dbo.lines VALUES (2, 1)"));
    db.captureNow();
    try (Connection c = db.connect()) {
      String sql =
          "SELECT __$start_lsn, __$command_id, __$seqval, __$operation, %s FROM cdc.%s"
              + " ORDER BY __$start_lsn, __$command_id, __$seqval, __$operation";
      List<Object[]> orders = rows(c, String.format(sql, "id", "dbo_orders_CT"));
      List<Object[]> lines = rows(c, String.format(sql, "n", "dbo_lines_CT"));
      assertThat(orders).extracting(r -> r[1] + ":" + r[3]).containsExactly("1:2", "3:3", "3:4");
      assertThat(lines)
          .extracting(r -> r[1] + ":" + r[3] + ":" + r[4])
          .containsExactly("2:2:1", "2:2:2", "4:1:1", "1:2:1");
      assertThat(orders)
          .allSatisfy(r -> assertThat(Lsn.fromBytes((byte[]) r[0])).isEqualTo(commit));
      assertThat(lines.subList(0, 3))
          .allSatisfy(r -> assertThat(Lsn.fromBytes((byte[]) r[0])).isEqualTo(commit));
      assertThat(Lsn.fromBytes((byte[]) lines.get(3)[0])).isEqualTo(next).isGreaterThan(commit);
      // seqvals grow with the statements across both tables of the transaction
      List<Object[]> both = new java.util.ArrayList<>(orders);
      both.addAll(lines.subList(0, 3));
      both.sort(java.util.Comparator.comparing(r -> Lsn.fromBytes((byte[]) r[2])));
      assertThat(both).extracting(r -> (Integer) r[1]).isSorted();
      assertThat(rows(c, "SELECT id FROM dbo.orders")).extracting(r -> r[0]).containsExactly(1);
    }
  }

  @Test
  void eachStatementOfAJdbcBatchIsItsOwnCommandInTheTransaction() throws Exception {
    db.enableTable("dbo", "orders");
    Lsn commit =
        db.inTransaction(
            c -> {
              try (java.sql.PreparedStatement ps =
                  c.prepareStatement("INSERT INTO dbo.orders (id, customer) VALUES (?, ?)")) {
                for (int i = 1; i <= 3; i++) {
                  ps.setInt(1, i);
                  ps.setString(2, "c" + i);
                  ps.addBatch();
                }
                assertThat(ps.executeBatch()).containsExactly(1, 1, 1);
              }
              try (java.sql.Statement s = c.createStatement()) {
                s.addBatch("UPDATE dbo.orders SET total = 1 WHERE id = 1");
                s.addBatch("DELETE FROM dbo.orders WHERE id = 2");
                assertThat(s.executeBatch()).containsExactly(1, 1);
              }
            });
    db.captureNow();
    try (Connection c = db.connect()) {
      List<Object[]> rows =
          rows(
              c,
              "SELECT __$start_lsn, __$command_id, __$operation, id, customer FROM cdc.dbo_orders_CT"
                  + " ORDER BY __$command_id, __$seqval, __$operation");
      assertThat(rows)
          .extracting(r -> r[1] + ":" + r[2] + ":" + r[3] + ":" + r[4])
          .containsExactly("1:2:1:c1", "2:2:2:c2", "3:2:3:c3", "4:3:1:c1", "4:4:1:c1", "5:1:2:c2");
      assertThat(rows).allSatisfy(r -> assertThat(Lsn.fromBytes((byte[]) r[0])).isEqualTo(commit));
    }
  }

  @Test
  void aPreparedBatchInAutoCommitModeCommitsEachRowOnItsOwn() throws Exception {
    db.enableTable("dbo", "orders");
    try (Connection c = db.adminConnection();
        java.sql.PreparedStatement ps =
            c.prepareStatement("INSERT INTO dbo.orders (id, note) VALUES (?, ?)")) {
      for (int i = 1; i <= 3; i++) {
        ps.setInt(1, i);
        ps.setCharacterStream(2, new java.io.StringReader("note " + i));
        ps.addBatch();
      }
      assertThat(ps.executeLargeBatch()).containsExactly(1L, 1L, 1L);
    }
    db.captureNow();
    try (Connection c = db.connect()) {
      List<Object[]> rows =
          rows(
              c,
              "SELECT __$start_lsn, __$command_id, note FROM cdc.dbo_orders_CT ORDER BY __$start_lsn");
      assertThat(rows)
          .extracting(r -> r[1] + ":" + r[2])
          .containsExactly("1:note 1", "1:note 2", "1:note 3");
      assertThat(rows).extracting(r -> Lsn.fromBytes((byte[]) r[0])).doesNotHaveDuplicates();
    }
  }

  @Test
  void statementsWithStringLiteralsRunAsWritten() throws Exception {
    db.enableTable("dbo", "orders");
    db.execute(
        "INSERT INTO dbo.orders (id, customer) VALUES (1, N'it''s [x] -- y; 50%')",
        "INSERT INTO dbo.orders (id, customer) VALUES (2, 'c1]')",
        "INSERT INTO dbo.orders (id, customer) VALUES (3, N'C:\\dir')",
        "INSERT INTO dbo.orders (id, customer) VALUES (4, '/* not a comment */')");
    db.execute("UPDATE dbo.orders SET total = 7 WHERE customer LIKE N'it''s%'");
    db.execute("UPDATE dbo.orders SET total = 8 WHERE customer LIKE 'c1%'");
    // no escape character without ESCAPE, as on SQL Server
    db.execute("DELETE FROM dbo.orders WHERE customer LIKE 'C:\\d%'");
    db.execute("UPDATE dbo.orders SET total = 9 WHERE customer LIKE '%!%%' ESCAPE '!'");
    try (Connection c = db.connect()) {
      assertThat(rows(c, "SELECT id, customer, total FROM dbo.orders ORDER BY id"))
          .extracting(r -> r[0] + "|" + r[1] + "|" + r[2])
          .containsExactly("1|it's [x] -- y; 50%|9.00", "2|c1]|8.00", "4|/* not a comment */|null");
      assertThat(
              value(
                  c,
                  "SELECT COUNT(*) FROM dbo.orders WHERE customer = N'it''s [x] -- y; 50%'"
                      + " OR customer = 'c1]'"))
          .isEqualTo(2L);
      // LIKE character classes, as SQL Server matches them
      assertThat(rows(c, "SELECT id FROM dbo.orders WHERE customer LIKE '[a-c][0-9]%'"))
          .extracting(r -> r[0])
          .containsExactly(2);
      assertThat(rows(c, "SELECT id FROM dbo.orders WHERE customer LIKE N'%[[]x]%[%]'"))
          .extracting(r -> r[0])
          .containsExactly(1);
      assertThat(rows(c, "SELECT id FROM dbo.orders WHERE customer NOT LIKE '[^/]%' ORDER BY id"))
          .extracting(r -> r[0])
          .containsExactly(4);
    }
  }
}
