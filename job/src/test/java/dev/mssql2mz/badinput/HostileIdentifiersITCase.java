package dev.mssql2mz.badinput;

import static dev.mssql2mz.badinput.BadInputFixture.cli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mssql2mz.badinput.BadInputFixture.CliResult;
import dev.mssql2mz.badinput.BadInputFixture.RunningJob;
import dev.mssql2mz.demo.emulator.SqlServerEmulator;
import dev.mssql2mz.sqlserver.SourceTable;
import dev.mssql2mz.testing.PostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every identifier is quoted and every value bound: tables and columns named like SQL injections,
 * with {@code ]}, {@code '}, {@code "}, spaces and non-ASCII letters, replicate end to end from the
 * emulator into PostgreSQL in both dialects and compare row by row; a table {@code x} on both sides
 * survives; {@code setup-sql} quotes such names for T-SQL.
 */
@Timeout(120)
class HostileIdentifiersITCase {

  /** A table name that ends a quoted identifier and drops a table if pasted into SQL unquoted. */
  static final String INJECTION = "a\"; DROP TABLE x; --";

  static final String BRACKETED = "we]ird 'name'";
  static final String UNICODE = "Größe € 表";

  @RegisterExtension final PostgresExtension pg = new PostgresExtension();

  @TempDir Path dir;

  /** [..] quoting with ]] for a ], as T-SQL writes it. */
  private static String bracket(String name) {
    return "[" + name.replace("]", "]]") + "]";
  }

  private static String yamlQuote(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  private static String pgQuote(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  private SqlServerEmulator emulator() throws Exception {
    SqlServerEmulator db =
        SqlServerEmulator.builder()
            .database("hostile")
            .captureInterval(Duration.ofMillis(50))
            .cdcEnabled(true)
            .snapshotIsolation(true)
            .build();
    db.execute("CREATE TABLE dbo.x (id INT NOT NULL PRIMARY KEY)");
    db.execute("INSERT INTO dbo.x VALUES (1)");
    db.execute(
        "CREATE TABLE dbo."
            + bracket(INJECTION)
            + " ("
            + bracket(INJECTION)
            + " INT NOT NULL PRIMARY KEY, "
            + bracket("it's")
            + " NVARCHAR(60), "
            + bracket("]")
            + " INT, "
            + bracket("with space")
            + " DECIMAL(10,2), "
            + bracket("\"quoted\"")
            + " NVARCHAR(20))");
    db.execute("CREATE SCHEMA " + bracket("sch ema"));
    db.execute(
        "CREATE TABLE "
            + bracket("sch ema")
            + "."
            + bracket(BRACKETED)
            + " ("
            + bracket(UNICODE)
            + " NVARCHAR(20) NOT NULL, "
            + bracket("k]ey")
            + " INT NOT NULL, "
            + bracket("--")
            + " NVARCHAR(40), PRIMARY KEY ("
            + bracket(UNICODE)
            + ", "
            + bracket("k]ey")
            + "))");
    db.enableTable("dbo", INJECTION);
    db.enableTable("sch ema", BRACKETED);
    write(db, 1, 20);
    return db;
  }

  /** Inserts rows {@code first..first+n-1} into both tables, values as hostile as the names. */
  private static void write(SqlServerEmulator db, int first, int n) throws Exception {
    db.inTransaction(
        c -> {
          try (PreparedStatement a =
                  c.prepareStatement(
                      "INSERT INTO dbo." + bracket(INJECTION) + " VALUES (?, ?, ?, ?, ?)");
              PreparedStatement b =
                  c.prepareStatement(
                      "INSERT INTO "
                          + bracket("sch ema")
                          + "."
                          + bracket(BRACKETED)
                          + " VALUES (?, ?, ?)")) {
            for (int i = first; i < first + n; i++) {
              a.setInt(1, i);
              a.setString(2, "'); DROP TABLE x; -- " + i);
              a.setInt(3, i * 3);
              a.setBigDecimal(4, new java.math.BigDecimal(i + ".50"));
              a.setString(5, "\"" + i + "\" ]]");
              a.addBatch();
              b.setString(1, "ключ " + (i % 3) + " 🦀");
              b.setInt(2, i);
              b.setString(3, "-- " + i + " */ /*");
              b.addBatch();
            }
            a.executeBatch();
            b.executeBatch();
          }
        });
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"materialize", "postgres"})
  void hostileNamesReplicateRowByRowAndNoStatementEscapesItsQuotes(String dialect)
      throws Exception {
    try (Connection target = pg.connect();
        Statement s = target.createStatement()) {
      s.execute("CREATE SCHEMA shop");
      s.execute("CREATE TABLE shop.x (id int)");
      s.execute("CREATE TABLE public.x (id int)");
    }
    try (SqlServerEmulator db = emulator()) {
      Path pw = Files.writeString(dir.resolve("pw"), db.password());
      String yaml =
          BadInputFixture.emulatorSource(
                  db,
                  pw.toString(),
                  "\n    - "
                      + yamlQuote("dbo." + bracket(INJECTION))
                      + "\n    - "
                      + yamlQuote(bracket("sch ema") + "." + bracket(BRACKETED)))
              + BadInputFixture.target(pg.jdbcUrl(), dialect, "shop")
              + BadInputFixture.flink("");
      try (RunningJob job = BadInputFixture.start(BadInputFixture.parse(yaml), true);
          Connection target = pg.connect()) {
        write(db, 100, 10);
        db.execute(
            "UPDATE dbo."
                + bracket(INJECTION)
                + " SET "
                + bracket("it's")
                + " = N'it''s; --'"
                + " WHERE "
                + bracket(INJECTION)
                + " % 3 = 0");
        db.execute(
            "DELETE FROM "
                + bracket("sch ema")
                + "."
                + bracket(BRACKETED)
                + " WHERE "
                + bracket("k]ey")
                + " % 4 = 0");
        db.execute(
            "UPDATE "
                + bracket("sch ema")
                + "."
                + bracket(BRACKETED)
                + " SET "
                + bracket("k]ey")
                + " = "
                + bracket("k]ey")
                + " + 1000 WHERE "
                + bracket("k]ey")
                + " % 5 = 0");
        job.awaitCommitted(
            target,
            db.awaitCaptured(db.lastCommitLsn(), Duration.ofSeconds(30)),
            Duration.ofSeconds(60));
        List<String> names = new ArrayList<>();
        for (SourceTable t : job.tables()) {
          names.add(t.targetName());
        }
        assertThat(names).containsExactlyInAnyOrder(INJECTION, BRACKETED);
        BadInputFixture.assertTargetEqualsSource(db, target, "shop", job.tables());

        // Spot checks with our own quoting, independent of the verifier.
        try (Statement s = target.createStatement();
            ResultSet rs =
                s.executeQuery(
                    "SELECT "
                        + pgQuote("it's")
                        + ", "
                        + pgQuote("]")
                        + " FROM shop."
                        + pgQuote(INJECTION)
                        + " WHERE "
                        + pgQuote(INJECTION)
                        + " = 3")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo("it's; --");
          assertThat(rs.getInt(2)).isEqualTo(9);
        }
        try (Statement s = target.createStatement();
            ResultSet rs =
                s.executeQuery(
                    "SELECT count(*) FROM shop."
                        + pgQuote(BRACKETED)
                        + " WHERE "
                        + pgQuote(UNICODE)
                        + " LIKE 'ключ%🦀'")) {
          rs.next();
          assertThat(rs.getInt(1)).as("30 rows less 8 deleted").isEqualTo(22);
        }
        try (Statement s = target.createStatement()) {
          s.executeQuery("SELECT * FROM shop.x").close();
          s.executeQuery("SELECT * FROM public.x").close();
        }
      }
      try (Connection c = db.connect();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM dbo.x")) {
        rs.next();
        assertThat(rs.getInt(1)).as("dbo.x in SQL Server").isEqualTo(1);
      }
    }
  }

  @Test
  void setupSqlQuotesHostileNamesAsTsqlNamesAndLiterals() {
    CliResult r =
        cli(
            "setup-sql",
            "--database",
            "sh]op's",
            "--login",
            "mss'ql]",
            "--table",
            "dbo." + bracket(INJECTION),
            "--table",
            bracket("sch ema") + "." + bracket(BRACKETED));
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("ALTER DATABASE [sh]]op's] SET ALLOW_SNAPSHOT_ISOLATION ON;")
        .contains("CREATE LOGIN [mss'ql]]]")
        .contains("GRANT SELECT ON [dbo].[a\"; DROP TABLE x; --] TO ")
        .contains("GRANT SELECT ON [sch ema].[we]]ird 'name'] TO ")
        .contains("GRANT VIEW DEFINITION ON SCHEMA::[sch ema] TO ")
        .contains("@source_schema = N'dbo', @source_name = N'a\"; DROP TABLE x; --'")
        .contains("@source_schema = N'sch ema', @source_name = N'we]ird ''name'''")
        .contains("N'sh]op''s'");
    // Nothing outside brackets or literals: no line ends a name early.
    assertThat(r.out()).doesNotContain("[we]ird").doesNotContain("N'we]ird 'name''");
  }
}
