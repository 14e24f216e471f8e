package dev.mssql2mz.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mssql2mz.demo.emulator.SqlServerEmulator;
import dev.mssql2mz.source.SqlServerCdcSource;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every set-up problem the checker finds against the emulator, each with its fix-it T-SQL. */
class SetupCheckerITCase {

  private SqlServerEmulator emulator;

  private void start(boolean cdc, boolean snapshot) throws Exception {
    emulator =
        SqlServerEmulator.builder()
            .database("shop")
            .captureInterval(Duration.ofMillis(100))
            .cdcEnabled(cdc)
            .snapshotIsolation(snapshot)
            .build();
    emulator.execute("CREATE TABLE dbo.orders (id INT NOT NULL PRIMARY KEY, total DECIMAL(10,2))");
    if (cdc) {
      emulator.enableTable("dbo", "orders");
    }
  }

  @AfterEach
  void stop() throws Exception {
    if (emulator != null) {
      emulator.close();
    }
  }

  private List<String> problems(TableSelection selection) throws Exception {
    try (Connection c = emulator.connect()) {
      return new SetupChecker(c, selection).problems();
    }
  }

  @Test
  void aCorrectSetupHasNoProblems() throws Exception {
    start(true, true);
    assertThat(problems(TableSelection.allTables())).isEmpty();
  }

  @Test
  void largeColumnsUnderTheDefaultMaxTextReplSizeAndHeapsWithThemAreWarnedAbout() throws Exception {
    start(true, true);
    try (Connection c = emulator.connect()) {
      assertThat(new SetupChecker(c, TableSelection.allTables()).warnings())
          .as("no large columns, nothing to warn about")
          .isEmpty();
    }
    emulator.execute("CREATE TABLE dbo.notes (kind NVARCHAR(20), body NVARCHAR(MAX))");
    emulator.enableTable("dbo", "notes");
    try (Connection c = emulator.connect()) {
      SetupChecker checker = new SetupChecker(c, TableSelection.allTables());
      assertThat(checker.problems()).isEmpty();
      assertThat(checker.warnings())
          .containsExactlyInAnyOrder(
              "Table dbo.notes has no primary key and large columns (body): CDC leaves unchanged"
                  + " large values out of updates (and text/ntext/image out of deletes), and when"
                  + " rows equal in every other column differ in such a value the job cannot tell"
                  + " which one changed and stops. Fix: add a primary key, or exclude those"
                  + " columns (EXCLUDE COLUMNS).",
              "SQL Server's 'max text repl size' is 65536 bytes: writing a larger value into a"
                  + " large column of a CDC-enabled table fails (Msg 7139), here in dbo.notes"
                  + " (body). Fix, if values can be larger: EXEC sp_configure 'max text repl"
                  + " size', -1; RECONFIGURE;");
    }
    emulator.configure("max text repl size (B)", -1);
    try (Connection c = emulator.connect()) {
      assertThat(new SetupChecker(c, TableSelection.allTables()).warnings())
          .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
          .startsWith("Table dbo.notes has no primary key");
    }
  }

  @Test
  void cdcOffOnTheDatabasePrintsEnableDb() throws Exception {
    start(false, true);
    assertThat(problems(TableSelection.allTables()))
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("CDC is not enabled on database shop")
                    .contains("EXEC sys.sp_cdc_enable_db;"));
  }

  @Test
  void snapshotIsolationOffPrintsAlterDatabase() throws Exception {
    start(true, false);
    assertThat(problems(TableSelection.allTables()))
        .containsExactly(
            "Snapshot isolation is off on database shop. Fix: ALTER DATABASE [shop] SET"
                + " ALLOW_SNAPSHOT_ISOLATION ON;");
  }

  static Stream<Arguments> grants() {
    return Stream.of(
        Arguments.of(
            "EXECUTE",
            "OBJECT",
            "sys.fn_cdc_get_min_lsn",
            "GRANT EXECUTE ON sys.fn_cdc_get_min_lsn TO "),
        Arguments.of(
            "EXECUTE",
            "OBJECT",
            "sys.fn_cdc_get_max_lsn",
            "GRANT EXECUTE ON sys.fn_cdc_get_max_lsn TO "),
        Arguments.of(
            "EXECUTE",
            "OBJECT",
            "sys.fn_cdc_increment_lsn",
            "GRANT EXECUTE ON sys.fn_cdc_increment_lsn TO "),
        Arguments.of("VIEW DATABASE STATE", "DATABASE", "shop", "GRANT VIEW DATABASE STATE TO "),
        Arguments.of("SELECT", "SCHEMA", "cdc", "GRANT SELECT ON SCHEMA::cdc TO "),
        Arguments.of("SELECT", "OBJECT", "dbo.orders", "GRANT SELECT ON [dbo].[orders] TO "),
        Arguments.of(
            "VIEW DEFINITION", "SCHEMA", "dbo", "GRANT VIEW DEFINITION ON SCHEMA::[dbo] TO "));
  }

  @ParameterizedTest(name = "missing {0} on {2}")
  @MethodSource("grants")
  void eachMissingGrantIsReportedWithItsGrantStatement(
      String permission, String kind, String securable, String fix) throws Exception {
    start(true, true);
    emulator.revoke(permission, kind, securable);
    List<String> problems = problems(TableSelection.allTables());
    assertThat(problems)
        .anySatisfy(p -> assertThat(p).contains("Missing permission " + permission).contains(fix));
  }

  @Test
  void aListedTableWithoutCdcPrintsEnableTable() throws Exception {
    start(true, true);
    emulator.execute("CREATE TABLE dbo.plain (id INT NOT NULL PRIMARY KEY)");
    assertThat(problems(TableSelection.tables("dbo.orders", "dbo.plain")))
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("dbo.plain is not enabled for CDC")
                    .contains(
                        "EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'plain'"));
  }

  @Test
  void anUnsupportedTypeNamesTheColumnUnlessExcludedOrText() throws Exception {
    start(true, true);
    emulator.execute(
        "CREATE TABLE dbo.docs (id INT NOT NULL PRIMARY KEY, body XML, v SQL_VARIANT)");
    emulator.enableTable("dbo", "docs");
    assertThat(problems(TableSelection.tables("dbo.docs")))
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("Column dbo.docs.body has type xml")
                    .contains("EXCLUDE COLUMNS"))
        .anySatisfy(p -> assertThat(p).contains("Column dbo.docs.v has type sql_variant"));
    assertThat(
            problems(
                TableSelection.tables("dbo.docs")
                    .excludingColumns(Set.of("dbo.docs.v"))
                    .withTextColumns(Set.of("dbo.docs.body"))))
        .isEmpty();
  }

  @Test
  void aStoppedCaptureJobPrintsHowToStartIt() throws Exception {
    start(true, true);
    emulator.execute("INSERT INTO dbo.orders VALUES (1, 2.50)");
    emulator.awaitCaptured(emulator.lastCommitLsn(), Duration.ofSeconds(30));
    emulator.stopCaptureJob();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              try (Connection c = emulator.connect()) {
                return new SetupChecker(c, TableSelection.allTables(), Duration.ofSeconds(1))
                    .problems().stream()
                        .anyMatch(
                            p ->
                                p.contains("capture job of database shop looks stopped")
                                    && p.contains("sp_start_job @job_name = N'cdc.shop_capture'"));
              }
            });
  }

  @Test
  void everyProblemIsReportedAtOnce() throws Exception {
    start(true, false);
    emulator.revoke("VIEW DEFINITION", "SCHEMA", "dbo");
    emulator.revoke("EXECUTE", "OBJECT", "sys.fn_cdc_get_max_lsn");
    List<String> problems = problems(TableSelection.tables("dbo.orders", "dbo.missing"));
    assertThat(problems).hasSize(4);
    assertThat(String.join("\n", problems))
        .contains("ALLOW_SNAPSHOT_ISOLATION ON")
        .contains("GRANT EXECUTE ON sys.fn_cdc_get_max_lsn")
        .contains("GRANT VIEW DEFINITION ON SCHEMA::[dbo]")
        .contains("dbo.missing does not exist");
  }

  @Test
  void theSourceBuilderFailsWithTheCheckersProblems() throws Exception {
    start(true, false);
    assertThatThrownBy(
            () ->
                SqlServerCdcSource.builder()
                    .jdbcUrl(emulator.jdbcUrl())
                    .user(emulator.user())
                    .password(emulator.password())
                    .build())
        .isInstanceOf(SourceConfigException.class)
        .hasMessageContaining("ALLOW_SNAPSHOT_ISOLATION ON");
  }
}
