package dev.mssql2mz.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mssql2mz.sqlserver.SourceColumn;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TypeMappingTest {

  private static ColumnMapping map(String type, int maxLength, int precision, int scale) {
    return TypeMapping.forColumn(
        "dbo.t", new SourceColumn("c", type, maxLength, precision, scale, true, false));
  }

  private static ColumnMapping text(String type, int maxLength, int precision, int scale) {
    return TypeMapping.forColumn(
        "dbo.t", new SourceColumn("c", type, maxLength, precision, scale, true, true));
  }

  @ParameterizedTest
  @CsvSource({
    "tinyint,1,3,0,smallint",
    "smallint,2,5,0,smallint",
    "int,4,10,0,integer",
    "bigint,8,19,0,bigint",
    "real,4,24,0,real",
    "float,8,53,0,double precision",
    "bit,1,1,0,boolean",
    "decimal,17,38,10,'numeric(38,10)'",
    "numeric,5,9,2,'numeric(9,2)'",
    "money,8,19,4,'numeric(19,4)'",
    "smallmoney,4,10,4,'numeric(10,4)'",
    "date,3,10,0,date",
    "time,5,16,7,time",
    "datetime2,8,27,7,timestamp(6)",
    "datetime,8,23,3,timestamp(3)",
    "smalldatetime,4,16,0,timestamp(0)",
    "datetimeoffset,10,34,7,timestamptz",
    "char,10,0,0,character(10)",
    "varchar,50,0,0,character varying(50)",
    "varchar,-1,0,0,text",
    "nchar,20,0,0,text",
    "nvarchar,-1,0,0,text",
    "sysname,256,0,0,text",
    "text,16,0,0,text",
    "ntext,16,0,0,text",
    "binary,16,0,0,bytea",
    "varbinary,-1,0,0,bytea",
    "image,16,0,0,bytea",
    "uniqueidentifier,16,0,0,uuid",
    "json,-1,0,0,jsonb"
  })
  void mapsEachSqlServerTypeToItsTargetType(
      String type, int maxLength, int precision, int scale, String target) {
    ColumnMapping m = map(type, maxLength, precision, scale);
    assertThat(m.targetType()).isEqualTo(target);
    assertThat(m.convert(null)).as("NULL stays NULL").isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"xml", "sql_variant", "hierarchyid", "geometry", "geography", "timestamp"})
  void rejectsUnsupportedTypesNamingTableColumnAndFixes(String type) {
    assertThatThrownBy(() -> map(type, 8, 0, 0))
        .isInstanceOf(UnsupportedColumnException.class)
        .hasMessageContaining("Column c of table dbo.t")
        .hasMessageContaining(type)
        .hasMessageContaining("EXCLUDE")
        .hasMessageContaining("TEXT COLUMNS");
  }

  @ParameterizedTest
  @ValueSource(strings = {"xml", "sql_variant", "hierarchyid", "geography", "timestamp"})
  void unsupportedTypesInTextColumnsBecomeText(String type) {
    ColumnMapping m = text(type, 8, 0, 0);
    assertThat(m.targetType()).isEqualTo("text");
    assertThat(m.convert("<a>ü</a>")).isEqualTo("<a>ü</a>");
  }

  @Test
  void tinyintIsUnsignedNeverASignedByte() {
    ColumnMapping m = map("tinyint", 1, 3, 0);
    assertThat(m.convert((short) 255)).isEqualTo((short) 255);
    assertThat(m.convert((byte) -1)).isEqualTo((short) 255);
    assertThat(m.convert((short) 0)).isEqualTo((short) 0);
    assertThatThrownBy(() -> m.convert((short) 256)).hasMessageContaining("0..255");
  }

  @Test
  void integerExtremesPassExactly() {
    assertThat(map("bigint", 8, 19, 0).convert(Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE);
    assertThat(map("int", 4, 10, 0).convert(Integer.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
    assertThat(map("smallint", 2, 5, 0).convert(Short.MIN_VALUE)).isEqualTo(Short.MIN_VALUE);
    assertThatThrownBy(() -> map("int", 4, 10, 0).convert(Long.MAX_VALUE))
        .hasMessageContaining("column c");
  }

  @Test
  void floatsPassNanAndInfinitiesThrough() {
    ColumnMapping f = map("float", 8, 53, 0);
    assertThat(f.convert(Double.NaN)).isEqualTo(Double.NaN);
    assertThat(f.convert(Double.POSITIVE_INFINITY)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(f.convert(-Double.MAX_VALUE)).isEqualTo(-Double.MAX_VALUE);
    ColumnMapping r = map("real", 4, 24, 0);
    assertThat(r.convert(Float.NEGATIVE_INFINITY)).isEqualTo(Float.NEGATIVE_INFINITY);
    assertThat(r.convert(Float.MIN_VALUE)).isEqualTo(Float.MIN_VALUE);
  }

  @Test
  void bitIsBoolean() {
    ColumnMapping m = map("bit", 1, 1, 0);
    assertThat(m.convert(true)).isEqualTo(true);
    assertThat(m.convert(0)).isEqualTo(false);
  }

  @Test
  void decimalKeepsEveryDigitOfTheLargestDecimal38() {
    ColumnMapping m = map("decimal", 17, 38, 0);
    BigDecimal max = new BigDecimal("99999999999999999999999999999999999999");
    assertThat(m.convert(max)).isEqualTo(max);
    assertThat(m.convert(max.negate())).isEqualTo(max.negate());
    ColumnMapping scaled = map("numeric", 17, 38, 38);
    BigDecimal tiny = new BigDecimal("0.00000000000000000000000000000000000001");
    assertThat(scaled.convert(tiny)).isEqualTo(tiny);
  }

  @Test
  void decimalKeepsScaleAndRejectsExtraDigits() {
    ColumnMapping m = map("numeric", 5, 9, 2);
    assertThat(((BigDecimal) m.convert(new BigDecimal("1.5"))).toPlainString()).isEqualTo("1.50");
    assertThatThrownBy(() -> m.convert(new BigDecimal("1.555")))
        .hasMessageContaining("more than 2 fractional digits");
  }

  @Test
  void moneyHasScaleFour() {
    assertThat(
            ((BigDecimal) map("money", 8, 19, 4).convert(new BigDecimal("-922337203685477.5808")))
                .toPlainString())
        .isEqualTo("-922337203685477.5808");
    assertThat(
            ((BigDecimal) map("smallmoney", 4, 10, 4).convert(new BigDecimal("1"))).toPlainString())
        .isEqualTo("1.0000");
  }

  @Test
  void dateKeepsTheFirstAndLastDay() {
    ColumnMapping m = map("date", 3, 10, 0);
    assertThat(m.convert(LocalDate.of(1, 1, 1))).isEqualTo(LocalDate.of(1, 1, 1));
    assertThat(m.convert(LocalDate.of(9999, 12, 31))).isEqualTo(LocalDate.of(9999, 12, 31));
  }

  @Test
  void timeDropsSubMicrosecondDigitsNeverCarrying() {
    ColumnMapping m = map("time", 5, 16, 7);
    assertThat(m.convert(LocalTime.of(23, 59, 59, 999_999_900)))
        .isEqualTo(LocalTime.of(23, 59, 59, 999_999_000));
    assertThat(m.convert(LocalTime.of(0, 0, 0, 500))).isEqualTo(LocalTime.MIDNIGHT);
  }

  @Test
  void datetime2RoundsHalfUpToMicrosecondsWithCarry() {
    ColumnMapping m = map("datetime2", 8, 27, 7);
    assertThat(m.convert(LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_900)))
        .isEqualTo(LocalDateTime.of(10000, 1, 1, 0, 0));
    assertThat(m.convert(LocalDateTime.of(2024, 1, 1, 0, 0, 0, 1_500)))
        .isEqualTo(LocalDateTime.of(2024, 1, 1, 0, 0, 0, 2_000));
    assertThat(m.convert(LocalDateTime.of(2024, 1, 1, 0, 0, 0, 1_499)))
        .isEqualTo(LocalDateTime.of(2024, 1, 1, 0, 0, 0, 1_000));
    assertThat(m.convert(LocalDateTime.of(1, 1, 1, 0, 0)))
        .isEqualTo(LocalDateTime.of(1, 1, 1, 0, 0));
  }

  @Test
  void datetimeKeepsWhatSqlServerStored() {
    LocalDateTime t = LocalDateTime.of(2024, 2, 29, 23, 59, 59, 997_000_000);
    assertThat(map("datetime", 8, 23, 3).convert(t)).isEqualTo(t);
    LocalDateTime m = LocalDateTime.of(2079, 6, 6, 23, 59);
    assertThat(map("smalldatetime", 4, 16, 0).convert(m)).isEqualTo(m);
  }

  @Test
  void datetimeoffsetIsTheCorrectUtcInstant() {
    ColumnMapping m = map("datetimeoffset", 10, 34, 7);
    OffsetDateTime noonMinusFive =
        OffsetDateTime.of(2024, 5, 1, 12, 0, 0, 0, ZoneOffset.ofHours(-5));
    assertThat(m.convert(noonMinusFive))
        .isEqualTo(OffsetDateTime.of(2024, 5, 1, 17, 0, 0, 0, ZoneOffset.UTC));
    OffsetDateTime last =
        OffsetDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_950, ZoneOffset.ofHours(14));
    assertThat(m.convert(last))
        .isEqualTo(OffsetDateTime.of(9999, 12, 31, 10, 0, 0, 0, ZoneOffset.UTC));
  }

  @Test
  void ncharKeepsPaddingAndEmojiExactly() {
    ColumnMapping m = map("nchar", 10, 0, 0);
    String stored = "a😀ü ";
    assertThat(stored.length()).as("UTF-16 code units").isEqualTo(5);
    assertThat(m.convert(stored)).isEqualTo(stored);
    assertThat(map("nvarchar", 200, 0, 0).convert("日本語 ")).isEqualTo("日本語 ");
    assertThat(map("char", 10, 0, 0).convert("ab        ")).isEqualTo("ab        ");
  }

  @Test
  void uniqueidentifierIsLowerCaseAndReadsSqlServerByteOrder() {
    ColumnMapping m = map("uniqueidentifier", 16, 0, 0);
    UUID u = UUID.fromString("6f9619ff-8b86-d011-b42d-00c04fc964ff");
    assertThat(m.convert(u).toString()).isEqualTo("6f9619ff-8b86-d011-b42d-00c04fc964ff");
    byte[] sqlServerOrder = {
      (byte) 0xff,
      0x19,
      (byte) 0x96,
      0x6f,
      (byte) 0x86,
      (byte) 0x8b,
      0x11,
      (byte) 0xd0,
      (byte) 0xb4,
      0x2d,
      0x00,
      (byte) 0xc0,
      0x4f,
      (byte) 0xc9,
      0x64,
      (byte) 0xff
    };
    assertThat(m.convert(sqlServerOrder)).isEqualTo(u);
    assertThat(m.convert("6F9619FF-8B86-D011-B42D-00C04FC964FF")).isEqualTo(u);
  }

  @Test
  void binaryIsBytesAndBase64InTextColumns() {
    byte[] b = {0, 1, (byte) 0xff};
    assertThat(map("varbinary", 8, 0, 0).convert(b)).isEqualTo(b);
    assertThat(text("varbinary", 8, 0, 0).convert(b))
        .isEqualTo(Base64.getEncoder().encodeToString(b));
  }

  @Test
  void textColumnsGetSqlServerStyleTextOfNativeValues() {
    assertThat(
            text("datetime2", 8, 27, 7).convert(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_700)))
        .isEqualTo("2024-01-02 03:04:05.1234567");
    assertThat(text("time", 5, 16, 3).convert(LocalTime.of(1, 2, 3, 400_000_000)))
        .isEqualTo("01:02:03.400");
    assertThat(text("bit", 1, 1, 0).convert(true)).isEqualTo("1");
    assertThat(
            text("uniqueidentifier", 16, 0, 0)
                .convert(UUID.fromString("6F9619FF-8B86-D011-B42D-00C04FC964FF")))
        .isEqualTo("6f9619ff-8b86-d011-b42d-00c04fc964ff");
    assertThat(
            text("datetimeoffset", 10, 34, 0)
                .convert(OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHours(-5))))
        .isEqualTo("2024-01-02 03:04:05 -05:00");
  }

  @Test
  void jsonIsPassedAsText() {
    assertThat(map("json", -1, 0, 0).convert("{\"a\": [1, \"ü\"]}"))
        .isEqualTo("{\"a\": [1, \"ü\"]}");
  }

  @Test
  void wrongJavaTypeNamesTheColumn() {
    assertThatThrownBy(() -> map("date", 3, 10, 0).convert("2024-01-01"))
        .hasMessageContaining("column c (date) of table dbo.t");
  }

  @Test
  void datetime2CarriesToTheNextSecondMinuteDayAndYearOnAnyDate() {
    ColumnMapping m = map("datetime2", 8, 27, 7);
    assertThat(m.convert(LocalDateTime.of(2024, 12, 31, 23, 59, 59, 999_999_900)))
        .isEqualTo(LocalDateTime.of(2025, 1, 1, 0, 0, 0));
    assertThat(m.convert(LocalDateTime.of(2024, 2, 28, 23, 59, 59, 999_999_500)))
        .isEqualTo(LocalDateTime.of(2024, 2, 29, 0, 0, 0));
    assertThat(m.convert(LocalDateTime.of(2024, 6, 1, 12, 30, 59, 999_999_400)))
        .isEqualTo(LocalDateTime.of(2024, 6, 1, 12, 30, 59, 999_999_000));
  }

  /**
   * Reference section 4 (the authority where the issue differs): {@code time(7)} drops the digits
   * below a microsecond, so the last tick of a day stays in that day; only {@code datetime2}
   * carries into the next second.
   */
  @Test
  void time7AtTheLastTickOfTheDayStaysInTheDay() {
    ColumnMapping m = map("time", 5, 16, 7);
    assertThat(m.convert(LocalTime.of(23, 59, 59, 999_999_900)))
        .isEqualTo(LocalTime.of(23, 59, 59, 999_999_000));
    assertThat(m.convert(LocalTime.MIN)).isEqualTo(LocalTime.MIN);
    assertThat(m.convert(LocalTime.of(12, 0, 0, 1_999))).isEqualTo(LocalTime.of(12, 0, 0, 1_000));
  }

  @Test
  void datetimeoffsetExtremesAreExactInstants() {
    ColumnMapping m = map("datetimeoffset", 10, 34, 7);
    assertThat(m.convert(OffsetDateTime.of(1, 1, 1, 14, 0, 0, 0, ZoneOffset.ofHours(14))))
        .isEqualTo(OffsetDateTime.of(1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
    assertThat(
            m.convert(
                OffsetDateTime.of(2024, 3, 10, 1, 30, 0, 0, ZoneOffset.ofHoursMinutes(5, 45))))
        .isEqualTo(OffsetDateTime.of(2024, 3, 9, 19, 45, 0, 0, ZoneOffset.UTC));
  }

  @Test
  void smallmoneyAndRealExtremesPassExactly() {
    ColumnMapping sm = map("smallmoney", 4, 10, 4);
    assertThat(((BigDecimal) sm.convert(new BigDecimal("-214748.3648"))).toPlainString())
        .isEqualTo("-214748.3648");
    assertThat(((BigDecimal) sm.convert(new BigDecimal("214748.3647"))).toPlainString())
        .isEqualTo("214748.3647");
    assertThat(map("real", 4, 24, 0).convert(Float.MAX_VALUE)).isEqualTo(Float.MAX_VALUE);
    assertThat(map("float", 8, 53, 0).convert(Double.MIN_VALUE)).isEqualTo(Double.MIN_VALUE);
  }

  @ParameterizedTest
  @CsvSource({"char,10", "varchar,20", "text,16", "ntext,16", "nvarchar,-1", "sysname,256"})
  void everyCharacterTypeKeepsNonAsciiTextExactly(String type, int maxLength) {
    String value = "Zoë ß 日本 🦀 ";
    assertThat(map(type, maxLength, 0, 0).convert(value)).isEqualTo(value);
  }

  @Test
  void uniqueidentifierBytesOfAllZeroesAndAllOnesKeepTheirOrder() {
    ColumnMapping m = map("uniqueidentifier", 16, 0, 0);
    assertThat(m.convert(new byte[16])).isEqualTo(new UUID(0, 0));
    byte[] ones = new byte[16];
    java.util.Arrays.fill(ones, (byte) 0xff);
    assertThat(m.convert(ones)).isEqualTo(new UUID(-1, -1));
    byte[] counting = new byte[16];
    for (int i = 0; i < 16; i++) {
      counting[i] = (byte) i;
    }
    assertThat(m.convert(counting))
        .isEqualTo(UUID.fromString("03020100-0504-0706-0809-0a0b0c0d0e0f"));
    assertThatThrownBy(() -> m.convert(new byte[15])).hasMessageContaining("16 bytes");
  }

  @Test
  void rowversionIsRejectedUnlessItIsATextColumn() {
    assertThatThrownBy(() -> map("rowversion", 8, 0, 0))
        .isInstanceOf(UnsupportedColumnException.class)
        .hasMessageContaining("rowversion");
    assertThat(text("rowversion", 8, 0, 0).convert(new byte[] {0, 0, 0, 0, 0, 0, 0, 1}))
        .isEqualTo("AAAAAAAAAAE=");
  }

  /** Each type's smallest and largest value (SQL Server's documented range) and what it becomes. */
  static Stream<Arguments> ranges() {
    return Stream.of(
        Arguments.of("tinyint", 1, 3, 0, (short) 0, (short) 0, (short) 255, (short) 255),
        Arguments.of(
            "smallint",
            2,
            5,
            0,
            Short.MIN_VALUE,
            Short.MIN_VALUE,
            Short.MAX_VALUE,
            Short.MAX_VALUE),
        Arguments.of(
            "int",
            4,
            10,
            0,
            Integer.MIN_VALUE,
            Integer.MIN_VALUE,
            Integer.MAX_VALUE,
            Integer.MAX_VALUE),
        Arguments.of(
            "bigint", 8, 19, 0, Long.MIN_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE),
        Arguments.of(
            "real", 4, 24, 0, -Float.MAX_VALUE, -Float.MAX_VALUE, Float.MAX_VALUE, Float.MAX_VALUE),
        Arguments.of(
            "float",
            8,
            53,
            0,
            -Double.MAX_VALUE,
            -Double.MAX_VALUE,
            Double.MAX_VALUE,
            Double.MAX_VALUE),
        Arguments.of("bit", 1, 1, 0, false, false, true, true),
        Arguments.of(
            "decimal",
            17,
            38,
            2,
            new BigDecimal("-999999999999999999999999999999999999.99"),
            new BigDecimal("-999999999999999999999999999999999999.99"),
            new BigDecimal("999999999999999999999999999999999999.99"),
            new BigDecimal("999999999999999999999999999999999999.99")),
        Arguments.of(
            "money",
            8,
            19,
            4,
            new BigDecimal("-922337203685477.5808"),
            new BigDecimal("-922337203685477.5808"),
            new BigDecimal("922337203685477.5807"),
            new BigDecimal("922337203685477.5807")),
        Arguments.of(
            "smallmoney",
            4,
            10,
            4,
            new BigDecimal("-214748.3648"),
            new BigDecimal("-214748.3648"),
            new BigDecimal("214748.3647"),
            new BigDecimal("214748.3647")),
        Arguments.of(
            "date",
            3,
            10,
            0,
            LocalDate.of(1, 1, 1),
            LocalDate.of(1, 1, 1),
            LocalDate.of(9999, 12, 31),
            LocalDate.of(9999, 12, 31)),
        Arguments.of(
            "time",
            5,
            16,
            7,
            LocalTime.MIN,
            LocalTime.MIN,
            LocalTime.of(23, 59, 59, 999_999_900),
            LocalTime.of(23, 59, 59, 999_999_000)),
        Arguments.of(
            "datetime2",
            8,
            27,
            7,
            LocalDateTime.of(1, 1, 1, 0, 0),
            LocalDateTime.of(1, 1, 1, 0, 0),
            LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_900),
            LocalDateTime.of(10000, 1, 1, 0, 0)),
        Arguments.of(
            "datetime",
            8,
            23,
            3,
            LocalDateTime.of(1753, 1, 1, 0, 0),
            LocalDateTime.of(1753, 1, 1, 0, 0),
            LocalDateTime.of(9999, 12, 31, 23, 59, 59, 997_000_000),
            LocalDateTime.of(9999, 12, 31, 23, 59, 59, 997_000_000)),
        Arguments.of(
            "smalldatetime",
            4,
            16,
            0,
            LocalDateTime.of(1900, 1, 1, 0, 0),
            LocalDateTime.of(1900, 1, 1, 0, 0),
            LocalDateTime.of(2079, 6, 6, 23, 59),
            LocalDateTime.of(2079, 6, 6, 23, 59)),
        Arguments.of(
            "datetimeoffset",
            10,
            34,
            7,
            OffsetDateTime.of(1, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHours(-14)),
            OffsetDateTime.of(1, 1, 1, 14, 0, 0, 0, ZoneOffset.UTC),
            OffsetDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_900, ZoneOffset.ofHours(14)),
            OffsetDateTime.of(9999, 12, 31, 10, 0, 0, 0, ZoneOffset.UTC)),
        Arguments.of("char", 1, 0, 0, " ", " ", "\u00ff", "\u00ff"),
        Arguments.of(
            "nvarchar",
            8000,
            0,
            0,
            "",
            "",
            "\uD83E\uDD80".repeat(2000),
            "\uD83E\uDD80".repeat(2000)),
        Arguments.of(
            "uniqueidentifier",
            16,
            0,
            0,
            new UUID(0, 0),
            new UUID(0, 0),
            new UUID(-1, -1),
            new UUID(-1, -1)),
        Arguments.of("json", -1, 0, 0, "null", "null", "{\"ü\": [1e308]}", "{\"ü\": [1e308]}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ranges")
  void everyTypeKeepsItsSmallestAndLargestValueAndNull(
      String type,
      int maxLength,
      int precision,
      int scale,
      Object min,
      Object expectedMin,
      Object max,
      Object expectedMax) {
    ColumnMapping m = map(type, maxLength, precision, scale);
    assertThat(m.convert(min)).isEqualTo(expectedMin);
    assertThat(m.convert(max)).isEqualTo(expectedMax);
    assertThat(m.convert(null)).isNull();
  }

  @Test
  void binaryKeepsEmptyAndLongValues() {
    ColumnMapping m = map("varbinary", -1, 0, 0);
    assertThat((byte[]) m.convert(new byte[0])).isEmpty();
    byte[] big = new byte[8000];
    java.util.Arrays.fill(big, (byte) 0x80);
    assertThat((byte[]) m.convert(big)).isEqualTo(big);
    assertThat(m.convert(null)).isNull();
  }
}
