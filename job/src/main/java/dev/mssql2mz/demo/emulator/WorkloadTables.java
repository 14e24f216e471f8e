package dev.mssql2mz.demo.emulator;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * The tables of {@link EmulatorWorkload}: their T-SQL DDL and how to make a row of each from a
 * seeded {@link Random}. Together they cover every supported SQL Server type, the {@code (max)} and
 * legacy large types, a composite key, a non-integer key, a keyless table with duplicate rows, and
 * a schema and table name that need quoting.
 */
final class WorkloadTables {

  /** One workload table. */
  static final class Table {
    final String schema;
    final String name;
    final String ddl;
    final List<String> columns;

    /** Indexes into {@link #columns} of the key; empty for the keyless table. */
    final int[] key;

    Table(String schema, String name, String ddl, List<String> columns, int... key) {
      this.schema = schema;
      this.name = name;
      this.ddl = ddl;
      this.columns = columns;
      this.key = key;
    }

    ObjectName objectName() {
      return new ObjectName(schema, name);
    }

    boolean keyless() {
      return key.length == 0;
    }
  }

  static final Table CUSTOMERS =
      new Table(
          "dbo",
          "customers",
          "CREATE TABLE [dbo].[customers] ([id] INT NOT NULL PRIMARY KEY, [name] NVARCHAR(50),"
              + " [email] VARCHAR(100), [balance] MONEY, [credit] SMALLMONEY, [active] BIT,"
              + " [rating] TINYINT, [score] BIGINT, [level] SMALLINT, [created] DATETIME2(7),"
              + " [birthday] DATE, [guid] UNIQUEIDENTIFIER)",
          List.of(
              "id",
              "name",
              "email",
              "balance",
              "credit",
              "active",
              "rating",
              "score",
              "level",
              "created",
              "birthday",
              "guid"),
          0);

  static final Table ORDERS =
      new Table(
          "dbo",
          "order_lines",
          "CREATE TABLE [dbo].[order_lines] ([order_id] BIGINT NOT NULL, [line] SMALLINT NOT NULL,"
              + " [qty] INT, [price] DECIMAL(18,4), [discount] REAL, [weight] FLOAT,"
              + " [shipped] DATETIME, [due] SMALLDATETIME, [slot] TIME(7),"
              + " [placed] DATETIMEOFFSET(7), [sku] NCHAR(12),"
              + " CONSTRAINT [PK_order_lines] PRIMARY KEY CLUSTERED ([order_id], [line]))",
          List.of(
              "order_id",
              "line",
              "qty",
              "price",
              "discount",
              "weight",
              "shipped",
              "due",
              "slot",
              "placed",
              "sku"),
          0,
          1);

  static final Table DOCUMENTS =
      new Table(
          "dbo",
          "documents",
          "CREATE TABLE [dbo].[documents] ([code] CHAR(8) NOT NULL PRIMARY KEY, [title] NCHAR(20),"
              + " [body] NVARCHAR(MAX), [notes] VARCHAR(MAX), [payload] VARBINARY(MAX),"
              + " [old_text] TEXT, [old_ntext] NTEXT, [old_image] IMAGE, [hash] BINARY(16),"
              + " [sig] VARBINARY(64), [meta] JSON, [version] INT)",
          List.of(
              "code",
              "title",
              "body",
              "notes",
              "payload",
              "old_text",
              "old_ntext",
              "old_image",
              "hash",
              "sig",
              "meta",
              "version"),
          0);

  static final Table EVENTS =
      new Table(
          "dbo",
          "events",
          "CREATE TABLE [dbo].[events] ([kind] VARCHAR(20) NOT NULL, [amount] INT NOT NULL,"
              + " [note] NVARCHAR(40) NOT NULL)",
          List.of("kind", "amount", "note"));

  static final Table NOTES =
      new Table(
          "sales",
          "order notes",
          "CREATE TABLE [sales].[order notes] ([id] INT NOT NULL PRIMARY KEY,"
              + " [the text] NVARCHAR(200), [o'clock] TIME(7))",
          List.of("id", "the text", "o'clock"),
          0);

  static final List<Table> ALL = List.of(CUSTOMERS, ORDERS, DOCUMENTS, EVENTS, NOTES);

  private static final LocalDateTime BASE = LocalDateTime.of(2024, 1, 1, 0, 0);
  private static final String[] KINDS = {"click", "view", "buy", "refund"};
  private static final String[] WORDS = {
    "alpha", "beta", "gamma", "delta", "Grüße", "naïve", "数据", "🙂", "O'Brien", "[x]]y]", "\"q\""
  };
  private static final ZoneOffset[] OFFSETS = {
    ZoneOffset.UTC, ZoneOffset.ofHours(-5), ZoneOffset.ofHoursMinutes(5, 30), ZoneOffset.ofHours(14)
  };

  private WorkloadTables() {}

  /** A new row for {@code table}; {@code id} makes its key unique (ignored for the keyless one). */
  static Object[] row(Table table, long id, Random r) {
    if (table == CUSTOMERS) {
      return new Object[] {
        (int) id,
        text(r, 1, 4),
        "user" + id + "@example.com",
        money(r, 1_000_000),
        money(r, 200_000),
        r.nextBoolean(),
        r.nextInt(256),
        r.nextLong(),
        (short) r.nextInt(30000),
        datetime2(r),
        LocalDate.of(1920 + r.nextInt(100), 1 + r.nextInt(12), 1 + r.nextInt(28)),
        new UUID(r.nextLong(), r.nextLong())
      };
    }
    if (table == ORDERS) {
      return new Object[] {
        id / 8,
        (short) (id % 8),
        r.nextInt(1000),
        BigDecimal.valueOf(r.nextInt(100_000_000), 4),
        (float) r.nextInt(10_000) / 100f,
        r.nextDouble() * 1000,
        datetime(r),
        BASE.plusMinutes(r.nextInt(1_000_000)),
        LocalTime.ofNanoOfDay(r.nextInt(864_000_000) * 100_000L + r.nextInt(1000) * 100L),
        OffsetDateTime.of(datetime2(r), OFFSETS[r.nextInt(OFFSETS.length)]),
        "SKU-" + r.nextInt(9999)
      };
    }
    if (table == DOCUMENTS) {
      return new Object[] {
        String.format("D%07d", id),
        text(r, 1, 2),
        r.nextInt(10) == 0 ? null : text(r, 5, 400),
        ascii(r, 1 + r.nextInt(3000)),
        bytes(r, r.nextInt(2000)),
        ascii(r, 1 + r.nextInt(500)),
        text(r, 1, 50),
        bytes(r, 1 + r.nextInt(300)),
        bytes(r, 16),
        bytes(r, r.nextInt(65)),
        "{\"n\": " + r.nextInt(1000) + ", \"w\": \"" + WORDS[r.nextInt(4)] + "\"}",
        0
      };
    }
    if (table == EVENTS) {
      // few distinct values, so duplicate rows are common
      return new Object[] {KINDS[r.nextInt(KINDS.length)], r.nextInt(5), WORDS[r.nextInt(3)]};
    }
    return new Object[] {
      (int) id, text(r, 1, 10), LocalTime.ofNanoOfDay(r.nextInt(864_000_000) * 100_000L)
    };
  }

  /** New values for the non-key columns worth updating: column name and value. */
  static Object[] update(Table table, Random r) {
    if (table == CUSTOMERS) {
      return r.nextBoolean()
          ? new Object[] {"balance", money(r, 1_000_000)}
          : new Object[] {"name", text(r, 1, 4)};
    }
    if (table == ORDERS) {
      return new Object[] {"qty", r.nextInt(1000)};
    }
    if (table == DOCUMENTS) {
      switch (r.nextInt(4)) {
        case 0:
          return new Object[] {"body", text(r, 5, 400)};
        case 1:
          return new Object[] {"old_ntext", text(r, 1, 50)};
        case 2:
          return new Object[] {"payload", null};
        default:
          return new Object[] {"version", r.nextInt(100)};
      }
    }
    if (table == EVENTS) {
      return new Object[] {"amount", r.nextInt(5)};
    }
    return new Object[] {"the text", text(r, 1, 10)};
  }

  private static String text(Random r, int minWords, int maxWords) {
    int n = minWords + r.nextInt(maxWords - minWords + 1);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
    }
    return sb.length() > 38 && maxWords <= 4 ? sb.substring(0, 38) : sb.toString();
  }

  private static String ascii(Random r, int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (32 + r.nextInt(95));
    }
    return new String(b, StandardCharsets.US_ASCII);
  }

  private static byte[] bytes(Random r, int length) {
    byte[] b = new byte[length];
    r.nextBytes(b);
    return b;
  }

  private static BigDecimal money(Random r, int maxUnits) {
    return BigDecimal.valueOf((long) r.nextInt(maxUnits) * 10_000 + r.nextInt(10_000), 4);
  }

  private static LocalDateTime datetime2(Random r) {
    return BASE.plusSeconds(r.nextInt(200_000_000)).plusNanos(r.nextInt(10_000_000) * 100L);
  }

  /** SQL Server's datetime keeps 1/300 s: milliseconds ending in 0, 3 or 7. */
  private static LocalDateTime datetime(Random r) {
    int[] ends = {0, 3, 7};
    return BASE.plusSeconds(r.nextInt(200_000_000))
        .plusNanos((r.nextInt(100) * 10L + ends[r.nextInt(3)]) * 1_000_000L);
  }
}
