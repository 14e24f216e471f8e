package dev.mssql2mz.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mssql2mz.demo.emulator.SqlServerEmulator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad options and declarations of the {@code mssql2mz-sqlserver} and {@code materialize} tables:
 * each fails when the query is planned, with a message naming the option, table or column and what
 * to do, and never echoing a password.
 */
class FlinkSqlOptionsITCase {

  private static final String SECRET = "Sup3r-Secret-Pa55";

  private static SqlServerEmulator emulator;
  private TableEnvironment tEnv;

  @BeforeAll
  static void startEmulator() throws Exception {
    emulator =
        SqlServerEmulator.builder()
            .database("flinksqloptions")
            .captureInterval(Duration.ofMillis(100))
            .cdcEnabled(true)
            .snapshotIsolation(true)
            .build();
    emulator.execute(
        "CREATE TABLE dbo.items (id INT NOT NULL PRIMARY KEY, name NVARCHAR(50), qty INT)");
    emulator.enableTable("dbo", "items");
    emulator.execute("CREATE TABLE dbo.plain (id INT NOT NULL PRIMARY KEY)");
  }

  @AfterAll
  static void stopEmulator() throws Exception {
    emulator.close();
  }

  @BeforeEach
  void tableEnvironment() {
    tEnv = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
    tEnv.executeSql(
        "CREATE TABLE sink_ok (id INT, name STRING, qty INT) WITH ('connector' = 'blackhole')");
    tEnv.executeSql(
        "CREATE TABLE source_ok (id INT, name STRING, qty INT) WITH ('connector' = 'datagen',"
            + " 'number-of-rows' = '1')");
  }

  @Test
  void unknownSourceOptionIsNamedWithTheSupportedOnes() {
    String message =
        planSource("id INT, name STRING, qty INT", emulatorOptions() + ", 'hostnme' = 'x'");
    assertThat(message)
        .contains("Unsupported options")
        .contains("hostnme")
        .contains("hostname")
        .contains("scan.incremental.snapshot.chunk.size");
  }

  @Test
  void missingTableNameIsNamed() {
    String message =
        planSource(
            "id INT",
            "'connector' = 'mssql2mz-sqlserver', 'jdbc-url' = '"
                + emulator.jdbcUrl()
                + "', 'username' = 'u', 'password' = '"
                + SECRET
                + "'");
    assertThat(message).contains("Missing required options").contains("table-name");
  }

  @Test
  void missingHostnameWithoutJdbcUrlSaysWhichOptionsConnect() {
    String message =
        planSource(
            "id INT",
            "'connector' = 'mssql2mz-sqlserver', 'database-name' = 'shop', 'username' = 'u',"
                + " 'password' = '"
                + SECRET
                + "', 'table-name' = 'dbo.items'");
    assertThat(message).contains("needs option 'hostname'").contains("'jdbc-url'");
  }

  @Test
  void startupModesOtherThanInitialAreRefused() {
    String message =
        planSource("id INT", emulatorOptions() + ", 'scan.startup.mode' = 'latest-offset'");
    assertThat(message)
        .contains("scan.startup.mode")
        .contains("latest-offset")
        .contains("'initial'");
  }

  @Test
  void badSslModeListsTheAllowedValues() {
    String message = planSource("id INT", emulatorOptions() + ", 'ssl-mode' = 'verify'");
    assertThat(message)
        .contains("'ssl-mode'")
        .contains("'verify'")
        .contains("disabled, required, verify-ca, verify-full");
  }

  @Test
  void tableThatDoesNotExistIsNamed() {
    String message = planSource("id INT", emulatorOptions("dbo.missing_table"));
    assertThat(message).containsIgnoringCase("missing_table");
  }

  @Test
  void tableWithoutCdcGetsTheEnablingStatement() {
    String message = planSource("id INT", emulatorOptions("dbo.plain"));
    assertThat(message).contains("plain").contains("sp_cdc_enable_table");
  }

  @Test
  void declaredColumnTheTableDoesNotCaptureIsNamedWithTheCapturedOnes() {
    String message = planSource("id INT, price DECIMAL(10, 2)", emulatorOptions());
    assertThat(message)
        .contains("Column 'price'")
        .contains("dbo.items")
        .contains("Captured columns: id, name, qty");
  }

  @Test
  void declaredTypeThatDoesNotFitNamesColumnAndTypes() {
    String message = planSource("id INT, name STRING, qty DATE", emulatorOptions());
    assertThat(message)
        .contains("Column 'qty'")
        .contains("dbo.items")
        .contains("is int")
        .contains("INT, BIGINT, DECIMAL or STRING");
  }

  @Test
  void declaredPrimaryKeyOtherThanTheTablesKeyIsRefused() {
    String message =
        planSource(
            "id INT, name STRING NOT NULL, qty INT, PRIMARY KEY (name) NOT ENFORCED",
            emulatorOptions());
    assertThat(message).contains("PRIMARY KEY (name)").contains("PRIMARY KEY (id) NOT ENFORCED");
  }

  @Test
  void unknownSinkOptionIsNamed() {
    String message = planSink("id INT, name STRING, qty INT", sinkOptions() + ", 'dialekt' = 'x'");
    assertThat(message).contains("Unsupported options").contains("dialekt").contains("dialect");
  }

  @Test
  void missingSinkUrlIsNamed() {
    String message =
        planSink("id INT, name STRING, qty INT", "'connector' = 'materialize', 'table-name' = 't'");
    assertThat(message).contains("Missing required options").contains("url");
  }

  @Test
  void badDialectListsTheAllowedValues() {
    String message =
        planSink("id INT, name STRING, qty INT", sinkOptions() + ", 'dialect' = 'mysql'");
    assertThat(message).contains("'dialect'").contains("'mysql'").contains("materialize, postgres");
  }

  @Test
  void sinkUrlOfAnotherDatabaseIsRefused() {
    String message =
        planSink(
            "id INT, name STRING, qty INT",
            "'connector' = 'materialize', 'table-name' = 't', 'url' = 'jdbc:mysql://h/db',"
                + " 'password' = '"
                + SECRET
                + "'");
    assertThat(message).contains("jdbc:postgresql://host:port/db").contains("jdbc:mysql://h/db");
  }

  @Test
  void sinkColumnOfATypeTheTargetCannotHoldIsNamed() {
    tEnv.executeSql(
        "CREATE TABLE source_array (id INT, name STRING, qty ARRAY<INT>) WITH ("
            + "'connector' = 'datagen', 'number-of-rows' = '1')");
    tEnv.executeSql(
        "CREATE TABLE bad_sink (id INT, name STRING, qty ARRAY<INT>) WITH (" + sinkOptions() + ")");
    String message = failure("INSERT INTO bad_sink SELECT * FROM source_array");
    assertThat(message).contains("Column 'qty'").contains("ARRAY<INT>").contains("cast the column");
  }

  /** Plans {@code INSERT INTO sink_ok SELECT * FROM bad_source} and returns the failure's text. */
  private String planSource(String columns, String options) {
    tEnv.executeSql("CREATE TABLE bad_source (" + columns + ") WITH (" + options + ")");
    // Every declared schema starts with id INT; the source binds all of its columns regardless.
    return failure(
        "INSERT INTO sink_ok SELECT id, CAST(NULL AS STRING), CAST(NULL AS INT) FROM bad_source");
  }

  private String planSink(String columns, String options) {
    tEnv.executeSql("CREATE TABLE bad_sink (" + columns + ") WITH (" + options + ")");
    return failure("INSERT INTO bad_sink SELECT * FROM source_ok");
  }

  /** Planning fails; every message of the failure, which must not contain the password. */
  private String failure(String insert) {
    Throwable t = catchThrowable(() -> tEnv.explainSql(insert));
    assertThat(t).as("planning %s", insert).isNotNull();
    StringWriter all = new StringWriter();
    t.printStackTrace(new PrintWriter(all));
    assertThat(all.toString()).as("the failure echoes the password").doesNotContain(SECRET);
    return all.toString();
  }

  private static String emulatorOptions() {
    return emulatorOptions("dbo.items");
  }

  private static String emulatorOptions(String table) {
    return "'connector' = 'mssql2mz-sqlserver', 'jdbc-url' = '"
        + emulator.jdbcUrl()
        + "', 'username' = '"
        + emulator.user()
        + "', 'password' = '"
        + emulator.password()
        + "', 'table-name' = '"
        + table
        + "'";
  }

  private static String sinkOptions() {
    return "'connector' = 'materialize', 'url' = 'jdbc:postgresql://localhost:1/db',"
        + " 'username' = 'u', 'password' = '"
        + SECRET
        + "', 'table-name' = 't'";
  }
}
