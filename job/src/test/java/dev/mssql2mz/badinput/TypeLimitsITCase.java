package dev.mssql2mz.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mssql2mz.badinput.BadInputFixture.RunningJob;
import dev.mssql2mz.demo.emulator.SqlServerEmulator;
import dev.mssql2mz.testing.PostgresExtension;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Values at the limits of their types go through the whole pipeline (snapshot and stream, both
 * dialects) and arrive as the documented mapping says: the largest decimals, float and real
 * extremes and NaN/Infinity, the first and last dates, datetime2's last tick (rounded with carry
 * into year 10000), tinyint 255, and nvarchar text with lone UTF-16 surrogates, which UTF-8 cannot
 * carry: each becomes U+FFFD (the README's limits say so), never a silent {@code ?}.
 */
@Timeout(120)
class TypeLimitsITCase {

  @RegisterExtension final PostgresExtension pg = new PostgresExtension();

  @TempDir Path dir;

  private static final String DDL =
      "CREATE TABLE dbo.limits (id INT NOT NULL PRIMARY KEY, d38 DECIMAL(38,0),"
          + " d38s DECIMAL(38,38), f FLOAT, r REAL, m MONEY, big BIGINT, tiny TINYINT, d DATE,"
          + " dt2 DATETIME2(7), dto DATETIMEOFFSET(7), t TIME(7), s NVARCHAR(20))";

  private static void insert(Connection c, int id, Object... values) throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO dbo.limits VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setInt(1, id);
      for (int i = 0; i < values.length; i++) {
        ps.setObject(i + 2, values[i]);
      }
      ps.executeUpdate();
    }
  }

  /** Writes rows {@code base+1..base+5}: maxima, minima, NaN/Infinity, tiny values, surrogates. */
  private static void writeLimits(SqlServerEmulator db, int base) throws Exception {
    db.inTransaction(
        c -> {
          try {
            insert(
                c,
                base + 1,
                new BigDecimal("99999999999999999999999999999999999999"),
                new BigDecimal("0.99999999999999999999999999999999999999"),
                Double.MAX_VALUE,
                Float.MAX_VALUE,
                new BigDecimal("922337203685477.5807"),
                Long.MAX_VALUE,
                (short) 255,
                LocalDate.of(9999, 12, 31),
                LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_900),
                OffsetDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_900, ZoneOffset.UTC),
                LocalTime.of(23, 59, 59, 999_999_900),
                "max 🦀");
            insert(
                c,
                base + 2,
                new BigDecimal("-99999999999999999999999999999999999999"),
                new BigDecimal("-0.99999999999999999999999999999999999999"),
                -Double.MAX_VALUE,
                -Float.MAX_VALUE,
                new BigDecimal("-922337203685477.5808"),
                Long.MIN_VALUE,
                (short) 0,
                LocalDate.of(1, 1, 1),
                LocalDateTime.of(1, 1, 1, 0, 0),
                OffsetDateTime.of(1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),
                LocalTime.MIDNIGHT,
                "");
            insert(
                c,
                base + 3,
                null,
                null,
                Double.NaN,
                Float.POSITIVE_INFINITY,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                "nan");
            insert(
                c,
                base + 4,
                null,
                new BigDecimal("0.00000000000000000000000000000000000001"),
                Double.MIN_VALUE,
                Float.NEGATIVE_INFINITY,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                "tiny");
            insert(
                c,
                base + 5,
                null,
                null,
                Double.NEGATIVE_INFINITY,
                Float.NaN,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                "a\uD800b\uDC00\uDE00\uD83D");
          } catch (Exception e) {
            throw new java.sql.SQLException(e);
          }
        });
  }

  /** What the target must show, as PostgreSQL's text output, for rows base+1..base+5. */
  private static Map<String, String> expected(int base) {
    Map<String, String> rows = new LinkedHashMap<>();
    rows.put(
        Integer.toString(base + 1),
        "99999999999999999999999999999999999999 | 0.99999999999999999999999999999999999999"
            + " | 1.7976931348623157e+308 | 3.4028235e+38 | 922337203685477.5807"
            + " | 9223372036854775807 | 255 | 9999-12-31 | 10000-01-01 00:00:00"
            + " | 10000-01-01 00:00:00+00 | 23:59:59.999999 | max 🦀");
    rows.put(
        Integer.toString(base + 2),
        "-99999999999999999999999999999999999999 | -0.99999999999999999999999999999999999999"
            + " | -1.7976931348623157e+308 | -3.4028235e+38 | -922337203685477.5808"
            + " | -9223372036854775808 | 0 | 0001-01-01 | 0001-01-01 00:00:00"
            + " | 0001-01-01 00:00:00+00 | 00:00:00 | ");
    rows.put(
        Integer.toString(base + 3),
        "null | null | NaN | Infinity | null | null | null | null | null | null | null | nan");
    rows.put(
        Integer.toString(base + 4),
        "null | 0.00000000000000000000000000000000000001 | 5e-324 | -Infinity | null | null"
            + " | null | null | null | null | null | tiny");
    rows.put(
        Integer.toString(base + 5),
        "null | null | -Infinity | NaN | null | null | null | null | null | null | null"
            + " | a\uFFFDb\uFFFD\uFFFD\uFFFD");
    return rows;
  }

  private static Map<String, String> actual(Connection target) throws Exception {
    Map<String, String> rows = new LinkedHashMap<>();
    try (Statement s = target.createStatement()) {
      s.execute("SET TIME ZONE 'UTC'");
      s.execute("SET extra_float_digits = 1");
      try (ResultSet rs =
          s.executeQuery(
              "SELECT id, d38, d38s, f, r, m, big, tiny, d, dt2, dto, t, s"
                  + " FROM shop.limits ORDER BY id")) {
        while (rs.next()) {
          StringBuilder row = new StringBuilder();
          for (int i = 2; i <= 13; i++) {
            row.append(i == 2 ? "" : " | ").append(rs.getString(i));
          }
          rows.put(rs.getString(1), row.toString());
        }
      }
    }
    return rows;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"materialize", "postgres"})
  void valuesAtTypeLimitsArriveExactlyInSnapshotAndStream(String dialect) throws Exception {
    try (SqlServerEmulator db =
        SqlServerEmulator.builder()
            .database("limits")
            .captureInterval(Duration.ofMillis(50))
            .cdcEnabled(true)
            .snapshotIsolation(true)
            .build()) {
      db.execute(DDL);
      db.enableTable("dbo", "limits");
      writeLimits(db, 0); // read by the snapshot
      Path pw = Files.writeString(dir.resolve("pw"), db.password());
      String yaml =
          BadInputFixture.emulatorSource(db, pw.toString(), "all")
              + BadInputFixture.target(pg.jdbcUrl(), dialect, "shop")
              + BadInputFixture.flink("");
      try (RunningJob job = BadInputFixture.start(BadInputFixture.parse(yaml), true);
          Connection target = pg.connect()) {
        writeLimits(db, 10); // read from the change table
        job.awaitCommitted(
            target,
            db.awaitCaptured(db.lastCommitLsn(), Duration.ofSeconds(30)),
            Duration.ofSeconds(60));
        Map<String, String> expected = new LinkedHashMap<>(expected(0));
        expected.putAll(expected(10));
        assertThat(actual(target)).containsExactlyEntriesOf(expected);
      }
    }
  }
}
