package dev.mssql2mz.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mssql2mz.config.JobConfigYaml;
import dev.mssql2mz.demo.emulator.SqlServerEmulator;
import dev.mssql2mz.testing.PostgresExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code validate}, {@code status} and {@code demo} as a user runs them. */
class CliJobCommandsITCase {

  @RegisterExtension final PostgresExtension pg = new PostgresExtension();

  @TempDir Path dir;

  private static final AtomicLong NAMES = new AtomicLong();

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }

  private Path config(SqlServerEmulator db, String targetUrl) throws Exception {
    Path secret = dir.resolve("source-password");
    Files.writeString(secret, db.password());
    return new JobConfigYaml()
        .set("source", "jdbc-url", db.jdbcUrl())
        .set("source", "user", db.user())
        .secretFile("source", "password", secret)
        .set("source", "tables", "all")
        .set("target", "url", targetUrl)
        .set("target", "user", pg.user())
        .set("target", "dialect", "materialize")
        .set("target", "schema", "mz")
        .set("target", "source-name", "erp")
        .writeTo(dir.resolve("job.yaml"));
  }

  private static SqlServerEmulator emulator(boolean cdc) throws Exception {
    return SqlServerEmulator.builder()
        .database("cli" + NAMES.incrementAndGet())
        .captureInterval(Duration.ofMillis(100))
        .cdcEnabled(cdc)
        .build();
  }

  @Test
  void validateListsEveryProblemWithTheFixingTsqlAndExitsThree() throws Exception {
    try (SqlServerEmulator db = emulator(false)) {
      db.execute("CREATE TABLE dbo.orders (id int PRIMARY KEY, note nvarchar(20))");
      Result r = run("validate", "--config", config(db, pg.jdbcUrl()).toString());
      assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.VALIDATION_FAILED);
      assertThat(r.out()).contains("sys.sp_cdc_enable_db");
      assertThat(r.out()).doesNotContain(db.password());
    }
  }

  @Test
  void validateSaysReadyForAPreparedDatabase() throws Exception {
    try (SqlServerEmulator db = emulator(true)) {
      db.execute("CREATE TABLE dbo.orders (id int PRIMARY KEY, note nvarchar(20))");
      db.enableTable("dbo", "orders");
      Result r = run("validate", "--config", config(db, pg.jdbcUrl()).toString());
      assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCodes.OK);
      assertThat(r.out()).contains("ready");
    }
  }

  @Test
  void statusSaysNothingCommittedOnAFreshTarget() throws Exception {
    try (SqlServerEmulator db = emulator(true)) {
      Result r = run("status", "--config", config(db, pg.jdbcUrl()).toString());
      assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCodes.FAILURE);
      assertThat(r.out()).contains("nothing committed yet");
    }
  }

  @Test
  void statusReportsAnUnreachableTargetWithExitFour() throws Exception {
    try (SqlServerEmulator db = emulator(true)) {
      Result r =
          run("status", "--config", config(db, "jdbc:postgresql://127.0.0.1:1/none").toString());
      assertThat(r.code()).isEqualTo(ExitCodes.UNREACHABLE);
      assertThat(r.err()).contains("cannot read the target");
    }
  }

  @Test
  void demoReplicatesALiveWorkloadAndVerifiesTheTargetRowByRow() throws Exception {
    // Under target/ so that the test command's notebook run explores this real demo output
    // (notebooks/run-notebooks.sh looks for job/target/demo-it/).
    Path out = Path.of("target", "demo-it");
    Files.createDirectories(out);
    Path metrics = out.resolve("metrics.csv");
    Files.deleteIfExists(metrics);
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    java.io.PrintStream original = System.out;
    int code;
    try (java.io.PrintStream capture = new java.io.PrintStream(bytes, true, "UTF-8")) {
      System.setOut(capture);
      code =
          Main.execute(
              "demo",
              "--duration",
              "8",
              "--rows",
              "300",
              "--seed",
              "3",
              "--metrics-file",
              metrics.toString());
    } finally {
      System.setOut(original);
    }
    String output = bytes.toString("UTF-8");
    assertThat(output)
        .containsPattern("demo: verified 5 tables, \\d+ rows at LSN \\S+, missing=0 extra=0");
    assertThat(code).isZero();
    assertThat(Files.readAllLines(metrics).get(0))
        .isEqualTo(
            "time_ms,phase,snapshot_records_known,snapshot_records_staged,updates_committed,"
                + "offset_known,offset_committed,lag_ms");
    assertThat(Files.readAllLines(metrics)).hasSizeGreaterThan(5);
    List<String> tables = Files.readAllLines(out.resolve("tables.csv"));
    assertThat(tables).hasSize(6).first().isEqualTo("table,source_rows,missing,extra");
    assertThat(tables.subList(1, 6)).allMatch(l -> l.endsWith(",0,0"));
    assertThat(Files.readAllLines(out.resolve("target").resolve("customers.csv")).size())
        .isGreaterThan(100);
  }
}
