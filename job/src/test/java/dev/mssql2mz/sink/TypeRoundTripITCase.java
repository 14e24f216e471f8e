package dev.mssql2mz.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mssql2mz.source.ChangeOperation;
import dev.mssql2mz.source.ChangeRecord;
import dev.mssql2mz.sqlserver.ChangePosition;
import dev.mssql2mz.sqlserver.SourceColumn;
import dev.mssql2mz.sqlserver.SourceTable;
import dev.mssql2mz.testing.PostgresExtension;
import dev.mssql2mz.udfs.Lsn;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every SQL Server type's extreme values, converted and written through both write methods, read
 * back from the view as the target prints them.
 */
class TypeRoundTripITCase {

  @RegisterExtension final PostgresExtension pg = new PostgresExtension();

  private static final class Case {
    final SourceColumn column;
    final Object value;
    final String expected;

    Case(String type, int maxLength, int precision, int scale, Object value, String expected) {
      this.column =
          new SourceColumn("c" + (counter++), type, maxLength, precision, scale, true, false);
      this.value = value;
      this.expected = expected;
    }
  }

  private static int counter;

  private static List<Case> cases() {
    counter = 0;
    List<Case> c = new ArrayList<>();
    c.add(new Case("tinyint", 1, 3, 0, (short) 255, "255"));
    c.add(new Case("smallint", 2, 5, 0, Short.MIN_VALUE, "-32768"));
    c.add(new Case("int", 4, 10, 0, Integer.MAX_VALUE, "2147483647"));
    c.add(new Case("bigint", 8, 19, 0, Long.MIN_VALUE, "-9223372036854775808"));
    c.add(new Case("real", 4, 24, 0, Float.NaN, "NaN"));
    c.add(new Case("float", 8, 53, 0, Double.NEGATIVE_INFINITY, "-Infinity"));
    c.add(new Case("float", 8, 53, 0, 1.7976931348623157E308, "1.7976931348623157e+308"));
    c.add(new Case("bit", 1, 1, 0, true, "t"));
    c.add(
        new Case(
            "decimal",
            17,
            38,
            0,
            new BigDecimal("-99999999999999999999999999999999999999"),
            "-99999999999999999999999999999999999999"));
    c.add(new Case("numeric", 9, 18, 4, new BigDecimal("0.0001"), "0.0001"));
    c.add(
        new Case(
            "money", 8, 19, 4, new BigDecimal("922337203685477.5807"), "922337203685477.5807"));
    c.add(new Case("date", 3, 10, 0, LocalDate.of(1, 1, 1), "0001-01-01"));
    c.add(new Case("time", 5, 16, 7, LocalTime.of(23, 59, 59, 999_999_900), "23:59:59.999999"));
    c.add(
        new Case(
            "datetime2",
            8,
            27,
            7,
            LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_900),
            "10000-01-01 00:00:00"));
    c.add(
        new Case(
            "datetime2", 8, 27, 7, LocalDateTime.of(1, 1, 1, 0, 0, 0, 400), "0001-01-01 00:00:00"));
    c.add(
        new Case(
            "datetime",
            8,
            23,
            3,
            LocalDateTime.of(2024, 2, 29, 23, 59, 59, 997_000_000),
            "2024-02-29 23:59:59.997"));
    c.add(
        new Case(
            "datetimeoffset",
            10,
            34,
            7,
            OffsetDateTime.of(2024, 5, 1, 12, 0, 0, 0, ZoneOffset.ofHours(-5)),
            "2024-05-01 17:00:00+00"));
    c.add(new Case("char", 5, 0, 0, "ab   ", "ab   "));
    c.add(new Case("varchar", 20, 0, 0, "tab\tnl\n\\", "tab\tnl\n\\"));
    c.add(new Case("nchar", 10, 0, 0, "a😀ü ", "a😀ü "));
    c.add(new Case("nvarchar", -1, 0, 0, "日本語\r\n", "日本語\r\n"));
    c.add(new Case("varbinary", -1, 0, 0, new byte[] {0, (byte) 0xff, 0x5c}, "\\x00ff5c"));
    c.add(
        new Case(
            "uniqueidentifier",
            16,
            0,
            0,
            UUID.fromString("6F9619FF-8B86-D011-B42D-00C04FC964FF"),
            "6f9619ff-8b86-d011-b42d-00c04fc964ff"));
    c.add(
        new Case(
            "json",
            -1,
            0,
            0,
            "{\"b\": 1, \"a\": [true, null]}",
            "{\"a\": [true, null], \"b\": 1}"));
    c.add(new Case("int", 4, 10, 0, null, null));
    return c;
  }

  @ParameterizedTest
  @EnumSource(WriteMethod.class)
  void everyTypesExtremesReachTheTargetExactly(WriteMethod method) throws Exception {
    List<Case> cases = cases();
    List<SourceColumn> columns = new ArrayList<>();
    Object[] values = new Object[cases.size()];
    for (int i = 0; i < cases.size(); i++) {
      columns.add(cases.get(i).column);
      values[i] = cases.get(i).value;
    }
    SourceTable table = new SourceTable("dbo", "types", "types", columns, List.of());
    TargetModel model = new TargetModel("rt", "src", List.of(table));
    MaterializeDialect dialect = new MaterializeDialect(false);
    Lsn lsn = Lsn.of(1, 1, 1);
    ChangeRecord r =
        new ChangeRecord(
            "types", ChangeOperation.INSERT, new ChangePosition(lsn, 1, lsn, 2), values);
    try (Connection c = MaterializeGuard.wrap(pg.connect())) {
      try (Statement s = c.createStatement()) {
        s.execute("SET TIME ZONE 'UTC'");
      }
      dialect.createMissing(c, model);
      dialect.append(c, model, SinkFixtures.batch(model, 1, 0, r), method);
      dialect.commitEpoch(c, model, 1, lsn, Instant.now());
      Map<String, String> actual = new LinkedHashMap<>();
      Map<String, String> expected = new LinkedHashMap<>();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT * FROM rt.types")) {
        assertThat(rs.next()).isTrue();
        for (Case k : cases) {
          String label = k.column.name() + " " + k.column.typeName();
          actual.put(label, rs.getString(k.column.name()));
          expected.put(label, k.expected);
        }
        assertThat(rs.next()).isFalse();
      }
      assertThat(actual).isEqualTo(expected);
    }
  }

  /**
   * A value long enough that the COPY text crosses pgjdbc's 64K-char buffer, with emoji (surrogate
   * pairs) at every offset around the boundary: none may be split into "??".
   */
  @ParameterizedTest
  @EnumSource(WriteMethod.class)
  void surrogatePairsSurviveLongValues(WriteMethod method) throws Exception {
    SourceColumn column = new SourceColumn("body", "nvarchar", -1, 0, 0, true, false);
    SourceTable table =
        new SourceTable("dbo", "long_text", "long_text", List.of(column), List.of());
    TargetModel model = new TargetModel("rt", "src", List.of(table));
    MaterializeDialect dialect = new MaterializeDialect(false);
    Lsn lsn = Lsn.of(1, 1, 1);
    List<ChangeRecord> records = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int shift = 0; shift < 3; shift++) {
      String value = "x".repeat(65_530 + shift) + "🙂".repeat(8) + "end";
      expected.add(value);
      records.add(
          new ChangeRecord(
              "long_text",
              ChangeOperation.INSERT,
              new ChangePosition(lsn, shift, lsn, 2),
              new Object[] {value}));
    }
    try (Connection c = MaterializeGuard.wrap(pg.connect())) {
      dialect.createMissing(c, model);
      for (ChangeRecord r : records) {
        dialect.append(c, model, SinkFixtures.batch(model, 1, 0, r), method);
      }
      dialect.commitEpoch(c, model, 1, lsn, Instant.now());
      List<String> actual = new ArrayList<>();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT body FROM rt.long_text ORDER BY length(body)")) {
        while (rs.next()) {
          actual.add(rs.getString(1));
        }
      }
      assertThat(actual).isEqualTo(expected);
    }
  }
}
