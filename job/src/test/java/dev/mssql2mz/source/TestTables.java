package dev.mssql2mz.source;

import dev.mssql2mz.sqlserver.CaptureInstance;
import dev.mssql2mz.sqlserver.CapturedTable;
import dev.mssql2mz.sqlserver.SourceColumn;
import dev.mssql2mz.sqlserver.SourceTable;
import dev.mssql2mz.udfs.Lsn;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/** Small fixtures shared by the unit tests. */
public final class TestTables {

  private TestTables() {}

  public static CapturedTable orders() {
    SourceTable t =
        new SourceTable(
            "dbo",
            "orders",
            "orders",
            List.of(
                new SourceColumn("id", "int", 4, 10, 0, false, false),
                new SourceColumn("note", "nvarchar", -1, 0, 0, true, false),
                new SourceColumn("amount", "decimal", 9, 18, 4, true, false)),
            List.of("id"));
    return new CapturedTable(
        t,
        List.of(
            new CaptureInstance(
                "dbo_orders", "dbo", "orders", Lsn.of(1, 2, 3), List.of("id", "note", "amount")),
            new CaptureInstance(
                "dbo_orders_v2",
                "dbo",
                "orders",
                Lsn.of(5, 0, 1),
                List.of("id", "note", "amount"))));
  }

  /** One value of every Java type a ChangeRecord may hold, plus NULL. */
  public static Object[] everyValueType() {
    return new Object[] {
      null,
      (short) 255,
      Integer.MIN_VALUE,
      Long.MAX_VALUE,
      Boolean.TRUE,
      1.5f,
      -2.25d,
      new BigDecimal("-12345678901234567890.0100"),
      LocalDate.of(1, 1, 1),
      LocalTime.of(23, 59, 59, 999_999_900),
      LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_900),
      OffsetDateTime.of(2024, 2, 29, 12, 0, 0, 100, ZoneOffset.ofHoursMinutes(-5, -30)),
      "naïve 😀 text",
      new byte[] {0, (byte) 0xFF, 7},
      UUID.fromString("6f9619ff-8b86-d011-b42d-00c04fc964ff")
    };
  }
}
