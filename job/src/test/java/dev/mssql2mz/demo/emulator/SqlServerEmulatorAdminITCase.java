package dev.mssql2mz.demo.emulator;

import static dev.mssql2mz.demo.emulator.EmulatorFixture.exec;
import static dev.mssql2mz.demo.emulator.EmulatorFixture.lsn;
import static dev.mssql2mz.demo.emulator.EmulatorFixture.rows;
import static dev.mssql2mz.demo.emulator.EmulatorFixture.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mssql2mz.udfs.Lsn;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a DBA can do to the emulated database, and what the product user then sees. */
class SqlServerEmulatorAdminITCase {

  private SqlServerEmulator db;

  @BeforeEach
  void start() throws SQLException {
    db =
        SqlServerEmulator.builder()
            .database("admin")
            .captureInterval(null)
            .idleAdvanceEvery(0)
            .cdcEnabled(false)
            .build();
    db.execute(
        "CREATE TABLE [dbo].[items] ([id] INT NOT NULL, [name] NVARCHAR(20), [price] MONEY,"
            + " CONSTRAINT [PK_items_id] PRIMARY KEY CLUSTERED ([id]))");
  }

  @AfterEach
  void stop() throws SQLException {
    db.close();
  }

  @Test
  void enablesCdcThroughExecWithNamedArgumentsAndDisablesIt() throws Exception {
    try (Connection admin = db.adminConnection();
        Connection c = db.connect()) {
      assertThatThrownBy(
              () ->
                  exec(
                      admin,
                      "EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'items', @role_name = NULL"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(22901));
      exec(admin, "EXEC sys.sp_cdc_enable_db");
      assertThat(value(c, "SELECT is_cdc_enabled FROM sys.databases WHERE name = DB_NAME()"))
          .isEqualTo(true);
      assertThatThrownBy(
              () ->
                  exec(
                      admin,
                      "EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'items'"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(201));
      exec(
          admin,
          "EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'items',"
              + " @role_name = NULL, @capture_instance = N'items_v1', @supports_net_changes = 0");
      assertThat(rows(c, "SELECT capture_instance, index_name FROM cdc.change_tables"))
          .extracting(r -> r[0] + ":" + r[1])
          .containsExactly("items_v1:PK_items_id");
      assertThat(value(c, "SELECT is_tracked_by_cdc FROM sys.tables WHERE name = N'items'"))
          .isEqualTo(true);
      assertThat(value(c, "SELECT COUNT(*) FROM cdc.items_v1_CT")).isEqualTo(0L);
      exec(
          admin,
          "EXEC sys.sp_cdc_disable_table @source_schema = N'dbo', @source_name = N'items', @capture_instance = N'all'");
      assertThat(value(c, "SELECT COUNT(*) FROM cdc.change_tables")).isEqualTo(0L);
      assertThat(value(c, "SELECT is_tracked_by_cdc FROM sys.tables WHERE name = N'items'"))
          .isEqualTo(false);
      assertThatThrownBy(() -> value(c, "SELECT COUNT(*) FROM cdc.items_v1_CT"))
          .isInstanceOf(SQLException.class);
      exec(admin, "EXEC sys.sp_cdc_disable_db");
      assertThat(value(c, "SELECT is_cdc_enabled FROM sys.databases WHERE name = DB_NAME()"))
          .isEqualTo(false);
    }
  }

  @Test
  void capturedColumnListLeavesTheOtherColumnsOut() throws Exception {
    db.enableCdc();
    db.execute(
        "EXEC sys.sp_cdc_enable_table N'dbo', N'items', NULL, N'items_narrow', 0, NULL, N'id, [price]'");
    db.inTransaction(c -> exec(c, "INSERT INTO dbo.items VALUES (1, N'a', 2.5)"));
    db.captureNow();
    try (Connection c = db.connect()) {
      assertThat(
              rows(
                  c,
                  "SELECT column_name, column_ordinal FROM cdc.captured_columns ORDER BY column_ordinal"))
          .extracting(r -> r[0] + ":" + r[1])
          .containsExactly("id:1", "price:2");
      assertThat(
              rows(
                  c,
                  "SELECT c.name FROM sys.columns c WHERE c.object_id = OBJECT_ID(N'cdc.items_narrow_CT') ORDER BY c.column_id"))
          .extracting(r -> r[0])
          .containsExactly(
              "__$start_lsn",
              "__$end_lsn",
              "__$seqval",
              "__$operation",
              "__$update_mask",
              "id",
              "price",
              "__$command_id");
      assertThat(rows(c, "SELECT id, price FROM cdc.items_narrow_CT"))
          .extracting(r -> r[0] + ":" + r[1])
          .containsExactly("1:2.5000");
    }
  }

  @Test
  void updatesAfterAnAddedColumnReachBothCaptureInstances() throws Exception {
    db.enableCdc();
    db.enableTable("dbo", "items");
    db.inTransaction(c -> exec(c, "INSERT INTO dbo.items VALUES (1, N'a', 1)"));
    db.execute("ALTER TABLE dbo.items ADD color VARCHAR(10)");
    db.enableTable(CdcTableOptions.of("dbo", "items").captureInstance("dbo_items_v2"));
    db.inTransaction(c -> exec(c, "UPDATE dbo.items SET price = 7, color = 'red' WHERE id = 1"));
    db.captureNow();
    try (Connection c = db.connect()) {
      assertThat(rows(c, "SELECT __$operation, price FROM cdc.dbo_items_CT ORDER BY __$operation"))
          .extracting(r -> r[0] + ":" + r[1])
          .containsExactly("2:1.0000", "3:1.0000", "4:7.0000");
      assertThat(rows(c, "SELECT __$operation, color FROM cdc.dbo_items_v2_CT ORDER BY 1"))
          .extracting(r -> r[0] + ":" + r[1])
          .containsExactly("3:null", "4:red");
    }
  }

  @Test
  void aSecondCaptureInstanceGetsOnlyChangesCommittedAfterItsCreation() throws Exception {
    db.enableCdc();
    db.enableTable("dbo", "items");
    Lsn early = db.inTransaction(c -> exec(c, "INSERT INTO dbo.items VALUES (1, N'a', 1)"));
    db.execute("ALTER TABLE dbo.items ADD color VARCHAR(10)");
    db.enableTable(CdcTableOptions.of("dbo", "items").captureInstance("dbo_items_v2"));
    Lsn late = db.inTransaction(c -> exec(c, "INSERT INTO dbo.items VALUES (2, N'b', 2, 'red')"));
    db.captureNow();
    assertThat(db.minLsn("dbo_items_v2")).isGreaterThan(early).isLessThan(late);
    try (Connection c = db.connect()) {
      assertThat(rows(c, "SELECT id FROM cdc.dbo_items_CT ORDER BY id"))
          .extracting(r -> r[0])
          .containsExactly(1, 2);
      assertThat(rows(c, "SELECT id, color FROM cdc.dbo_items_v2_CT"))
          .extracting(r -> r[0] + ":" + r[1])
          .containsExactly("2:red");
      assertThat(
              rows(
                  c,
                  "SELECT column_name FROM cdc.captured_columns cc JOIN cdc.change_tables ct ON ct.object_id = cc.object_id WHERE ct.capture_instance = N'dbo_items' ORDER BY column_ordinal"))
          .extracting(r -> r[0])
          .containsExactly("id", "name", "price");
    }
    assertThatThrownBy(
            () -> db.enableTable(CdcTableOptions.of("dbo", "items").captureInstance("third")))
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(22962));
    assertThatThrownBy(
            () -> db.enableTable(CdcTableOptions.of("dbo", "items").captureInstance("dbo_items")))
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(22926));
  }

  @Test
  void cleanupDeletesOldChangesAndRaisesTheMinimumLsn() throws Exception {
    db.enableCdc();
    db.enableTable("dbo", "items");
    Lsn first = db.inTransaction(c -> exec(c, "INSERT INTO dbo.items VALUES (1, N'a', 1)"));
    Lsn second = db.inTransaction(c -> exec(c, "INSERT INTO dbo.items VALUES (2, N'b', 2)"));
    db.captureNow();
    db.execute(
        "EXEC sys.sp_cdc_cleanup_change_table @capture_instance = N'dbo_items', @low_water_mark = N'"
            + second
            + "', @threshold = 5000");
    try (Connection c = db.connect()) {
      assertThat(lsn(c, "SELECT sys.fn_cdc_get_min_lsn(N'dbo_items')")).isEqualTo(second);
      assertThat(rows(c, "SELECT id FROM cdc.dbo_items_CT"))
          .extracting(r -> r[0])
          .containsExactly(2);
      assertThat(
              rows(
                  c,
                  "SELECT id FROM cdc.fn_cdc_get_all_changes_dbo_items(?, ?, N'all')",
                  second,
                  second))
          .extracting(r -> r[0])
          .containsExactly(2);
      assertThatThrownBy(
              () ->
                  rows(
                      c,
                      "SELECT id FROM cdc.fn_cdc_get_all_changes_dbo_items(?, ?, N'all')",
                      first,
                      second))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(313));
    }
  }

  @Test
  void snapshotIsolationOffFailsTheSetLikeMsg3952() throws Exception {
    db.setSnapshotIsolation(false);
    try (Connection c = db.connect()) {
      assertThat(
              value(
                  c,
                  "SELECT snapshot_isolation_state_desc FROM sys.databases WHERE name = N'admin'"))
          .isEqualTo("OFF");
      assertThatThrownBy(() -> exec(c, "SET TRANSACTION ISOLATION LEVEL SNAPSHOT"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(3952));
      assertThatThrownBy(() -> c.setTransactionIsolation(4096))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(3952));
    }
    db.execute("ALTER DATABASE [admin] SET ALLOW_SNAPSHOT_ISOLATION ON");
    try (Connection c = db.connect()) {
      c.setTransactionIsolation(4096);
      assertThat(c.getTransactionIsolation()).isEqualTo(4096);
      assertThat(value(c, "SELECT transaction_is_snapshot FROM sys.dm_tran_current_transaction"))
          .isEqualTo(true);
    }
  }

  @Test
  void revokedPermissionsShowInHasPermsByNameAndFailSelectsWithMsg229() throws Exception {
    try (Connection c = db.connect()) {
      assertThat(value(c, "SELECT HAS_PERMS_BY_NAME(N'dbo.items', N'OBJECT', N'SELECT')"))
          .isEqualTo(1);
      db.execute("REVOKE SELECT ON OBJECT::dbo.items FROM mssql2mz");
      assertThat(value(c, "SELECT HAS_PERMS_BY_NAME(N'[dbo].[items]', 'OBJECT', 'SELECT')"))
          .isEqualTo(0);
      assertThatThrownBy(() -> rows(c, "SELECT * FROM [dbo].[items]"))
          .isInstanceOfSatisfying(
              SQLException.class,
              e -> {
                assertThat(e.getErrorCode()).isEqualTo(229);
                assertThat(e.getMessage())
                    .isEqualTo(
                        "The SELECT permission was denied on the object 'items', database 'admin', schema 'dbo'.");
              });
      assertThatThrownBy(() -> rows(c, "SELECT * FROM items"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(229));
      db.revoke("EXECUTE", "OBJECT", "sys.fn_cdc_get_max_lsn");
      assertThat(
              value(
                  c, "SELECT HAS_PERMS_BY_NAME(N'sys.fn_cdc_get_max_lsn', N'OBJECT', N'EXECUTE')"))
          .isEqualTo(0);
      assertThatThrownBy(() -> value(c, "SELECT sys.fn_cdc_get_max_lsn()"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(229));
      db.revoke("VIEW DATABASE STATE", "DATABASE", null);
      assertThat(value(c, "SELECT HAS_PERMS_BY_NAME(NULL, N'DATABASE', N'VIEW DATABASE STATE')"))
          .isEqualTo(0);
      db.execute("GRANT SELECT ON OBJECT::dbo.items TO mssql2mz");
      assertThat(rows(c, "SELECT * FROM dbo.items")).isEmpty();
      try (Connection admin = db.adminConnection()) {
        assertThat(
                value(
                    admin,
                    "SELECT HAS_PERMS_BY_NAME(N'sys.fn_cdc_get_max_lsn', N'OBJECT', N'EXECUTE')"))
            .isEqualTo(1);
      }
    }
  }

  @Test
  void truncatingACdcEnabledTableFailsLikeSqlServer() throws Exception {
    db.enableCdc();
    db.enableTable("dbo", "items");
    assertThatThrownBy(() -> db.execute("TRUNCATE TABLE dbo.items"))
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(4711));
  }

  @Test
  void writesOutsideTheEmulatorToTrackedTablesAreRejected() throws Exception {
    db.enableCdc();
    db.enableTable("dbo", "items");
    try (Connection raw = db.h2Connection()) {
      assertThatThrownBy(() -> exec(raw, "INSERT INTO dbo.items VALUES (1, 'a', 1)"))
          .hasMessageContaining("outside the emulator");
    }
  }

  @Test
  void aUniqueIndexCanIdentifyRowsInsteadOfThePrimaryKey() throws Exception {
    db.enableCdc();
    db.execute("ALTER TABLE dbo.items ADD sku VARCHAR(10)");
    db.execute("CREATE UNIQUE INDEX ix_items_sku ON dbo.items (sku)");
    db.enableTable(CdcTableOptions.of("dbo", "items").indexName("ix_items_sku"));
    db.inTransaction(c -> exec(c, "INSERT INTO dbo.items VALUES (1, N'a', 1, 'A')"));
    db.inTransaction(c -> exec(c, "UPDATE dbo.items SET id = 2"));
    db.inTransaction(c -> exec(c, "UPDATE dbo.items SET sku = 'B'"));
    db.captureNow();
    try (Connection c = db.connect()) {
      assertThat(rows(c, "SELECT column_name FROM cdc.index_columns"))
          .extracting(r -> r[0])
          .containsExactly("sku");
      assertThat(
              rows(
                  c,
                  "SELECT __$operation FROM cdc.dbo_items_CT ORDER BY __$start_lsn, __$seqval, __$operation"))
          .extracting(r -> r[0])
          .containsExactly(2, 3, 4, 1, 2);
    }
  }

  @Test
  void identityColumnsNonclusteredIndexesAndDroppedCapturedColumnsWork() throws Exception {
    db.enableCdc();
    db.execute(
        "CREATE TABLE dbo.seq ([id] INT IDENTITY(1,1) NOT NULL PRIMARY KEY, [a] NVARCHAR(10) NOT NULL DEFAULT N'x', [b] INT)");
    db.execute("CREATE NONCLUSTERED INDEX [ix_seq_b] ON [dbo].[seq] ([b])");
    db.enableTable("dbo", "seq");
    db.inTransaction(c -> exec(c, "INSERT INTO dbo.seq (b) VALUES (1)"));
    db.execute("ALTER TABLE dbo.seq DROP COLUMN a");
    db.inTransaction(c -> exec(c, "INSERT INTO dbo.seq (b) VALUES (2)"));
    db.captureNow();
    try (Connection c = db.connect()) {
      assertThat(rows(c, "SELECT id, a, b FROM cdc.dbo_seq_CT ORDER BY __$start_lsn"))
          .extracting(r -> r[0] + ":" + r[1] + ":" + r[2])
          .containsExactly("1:x:1", "2:null:2");
      assertThat(
              value(
                  c,
                  "SELECT is_identity FROM sys.columns WHERE object_id = OBJECT_ID(N'dbo.seq') AND name = N'id'"))
          .isEqualTo(true);
      assertThat(
              value(
                  c,
                  "SELECT COUNT(*) FROM sys.indexes WHERE object_id = OBJECT_ID(N'dbo.seq') AND name = N'ix_seq_b'"))
          .isEqualTo(1L);
    }
  }
}
