package dev.mssql2mz.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mssql2mz.sink.ChangelogSink;
import dev.mssql2mz.source.ChangeOperation;
import dev.mssql2mz.source.ChangeRecord;
import dev.mssql2mz.sqlserver.ChangePosition;
import dev.mssql2mz.sqlserver.SourceColumn;
import dev.mssql2mz.sqlserver.SourceTable;
import dev.mssql2mz.transform.ColumnMapping;
import dev.mssql2mz.transform.TypeMapping;
import dev.mssql2mz.udfs.Lsn;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.DateType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.SmallIntType;
import org.apache.flink.table.types.logical.TimestampType;
import org.apache.flink.table.types.logical.VarCharType;
import org.apache.flink.types.RowKind;
import org.junit.jupiter.api.Test;

/** Values across the Flink SQL boundary: SQL Server values to RowData and RowData to the sink. */
class FlinkSqlRowConversionTest {

  private static final SourceTable ORDERS =
      new SourceTable(
          "dbo",
          "orders",
          "orders",
          List.of(
              new SourceColumn("id", "bigint", 8, 19, 0, false, false),
              new SourceColumn("Rating", "tinyint", 1, 3, 0, true, false),
              new SourceColumn("total", "money", 8, 19, 4, true, false),
              new SourceColumn("placed", "datetime2", 8, 27, 7, true, false),
              new SourceColumn("at", "datetimeoffset", 10, 34, 7, true, false),
              new SourceColumn("guid", "uniqueidentifier", 16, 0, 0, true, false),
              new SourceColumn("day", "date", 3, 10, 0, true, false)),
          List.of("id"));

  private static SourceRowMapping.DeclaredSchema declared(
      List<String> names, List<LogicalType> types, List<String> key) {
    return new SourceRowMapping.DeclaredSchema(names, types, key);
  }

  @Test
  void sqlServerValuesBecomeTheDeclaredFlinkTypesCaseInsensitivelyAndInAnyOrder() {
    SourceRowMapping m =
        SourceRowMapping.bind(
            "t",
            ORDERS,
            declared(
                List.of("placed", "ID", "rating", "total", "at", "guid", "day"),
                List.of(
                    new TimestampType(6),
                    new BigIntType(false),
                    new SmallIntType(),
                    new DecimalType(19, 4),
                    new LocalZonedTimestampType(3),
                    VarCharType.STRING_TYPE,
                    new DateType()),
                List.of("id")));
    UUID guid = UUID.fromString("6f9619ff-8b86-d011-b42d-00c04fc964ff");
    ChangeRecord r =
        new ChangeRecord(
            "orders",
            ChangeOperation.UPDATE_BEFORE,
            ChangePosition.afterAllOf(Lsn.of(1, 2, 3)),
            new Object[] {
              7L,
              (short) 255,
              new BigDecimal("12.3400"),
              LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_900),
              OffsetDateTime.of(2024, 5, 1, 12, 0, 0, 123_600_000, ZoneOffset.ofHours(-5)),
              guid,
              LocalDate.of(1, 1, 1)
            });
    RowData row = m.toRowData(r);
    assertThat(row.getRowKind()).isEqualTo(RowKind.UPDATE_BEFORE);
    assertThat(row.getTimestamp(0, 6).toLocalDateTime())
        .as("datetime2(7) rounded half-up to microseconds, with carry")
        .isEqualTo(LocalDateTime.of(10000, 1, 1, 0, 0));
    assertThat(row.getLong(1)).isEqualTo(7L);
    assertThat(row.getShort(2)).as("tinyint 255 stays 255").isEqualTo((short) 255);
    assertThat(row.getDecimal(3, 19, 4).toBigDecimal()).isEqualByComparingTo("12.34");
    assertThat(row.getTimestamp(4, 3).toInstant())
        .as("the instant, rounded to milliseconds")
        .isEqualTo(
            OffsetDateTime.of(2024, 5, 1, 17, 0, 0, 124_000_000, ZoneOffset.UTC).toInstant());
    assertThat(row.getString(5).toString()).isEqualTo(guid.toString());
    assertThat(row.getInt(6)).isEqualTo((int) LocalDate.of(1, 1, 1).toEpochDay());
    assertThat(m.toRowData(ChangeRecord.progress(Lsn.of(1, 2, 3), 0, 1)))
        .as("progress markers are dropped")
        .isNull();
  }

  @Test
  void aDecimalTooNarrowForAValueFailsNamingTheColumn() {
    SourceRowMapping m =
        SourceRowMapping.bind(
            "t",
            ORDERS,
            declared(
                List.of("id", "total"),
                List.of(new BigIntType(), new DecimalType(5, 2)),
                List.of()));
    ChangeRecord r =
        new ChangeRecord(
            "orders",
            ChangeOperation.INSERT,
            ChangePosition.afterAllOf(Lsn.of(1, 2, 3)),
            new Object[] {1L, null, new BigDecimal("12.3456"), null, null, null, null});
    assertThatThrownBy(() -> m.toRowData(r))
        .hasMessageContaining("12.3456")
        .hasMessageContaining("column total of table dbo.orders")
        .hasMessageContaining("DECIMAL(5, 2)");
  }

  @Test
  void aTinyintDeclaredAsTinyintIsRefusedBecauseItIsUnsigned() {
    assertThatThrownBy(
            () ->
                SourceRowMapping.bind(
                    "t",
                    ORDERS,
                    declared(
                        List.of("id", "rating"),
                        List.of(
                            new BigIntType(),
                            new org.apache.flink.table.types.logical.TinyIntType()),
                        List.of())))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("Column 'Rating'")
        .hasMessageContaining("SMALLINT, INT, BIGINT, DECIMAL or STRING");
  }

  @Test
  void sinkRowsBecomeChangeRecordsTheTypeMappingAccepts() {
    List<LogicalType> types =
        List.of(
            new IntType(false),
            VarCharType.STRING_TYPE,
            new DecimalType(10, 2),
            new TimestampType(6),
            new LocalZonedTimestampType(6));
    List<SourceColumn> columns =
        List.of(
            SinkColumns.describe("t", "id", types.get(0)),
            SinkColumns.describe("t", "name", types.get(1)),
            SinkColumns.describe("t", "price", types.get(2)),
            SinkColumns.describe("t", "at", types.get(3)),
            SinkColumns.describe("t", "seen", types.get(4)));
    List<ColumnMapping> mappings =
        TypeMapping.forTable(new SourceTable("public", "t", "t", columns, List.of("id")));
    assertThat(mappings)
        .extracting(ColumnMapping::targetType)
        .containsExactly("integer", "text", "numeric(10,2)", "timestamp(6)", "timestamptz");

    GenericRowData row =
        GenericRowData.ofKind(
            RowKind.DELETE,
            5,
            StringData.fromString("x"),
            DecimalData.fromBigDecimal(new BigDecimal("1.50"), 10, 2),
            TimestampData.fromLocalDateTime(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 6000)),
            TimestampData.fromEpochMillis(0));
    Lsn epoch = ChangelogSink.epochLsn(42);
    ChangeRecord r = new RowDataToChangeRecord("t", types).toChangeRecord(row, epoch);
    assertThat(r.operation()).isEqualTo(ChangeOperation.DELETE);
    assertThat(r.diff()).isEqualTo(-1);
    assertThat(r.position().commitLsn()).isEqualTo(epoch);
    Object[] converted = new Object[5];
    for (int i = 0; i < 5; i++) {
      converted[i] = mappings.get(i).convert(r.values()[i]);
    }
    assertThat(converted)
        .containsExactly(
            5,
            "x",
            new BigDecimal("1.50"),
            LocalDateTime.of(2024, 1, 2, 3, 4, 5, 6000),
            OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
  }

  @Test
  void epochLsnsIncreaseWithTheEpochAcrossWordBoundaries() {
    long[] epochs = {0, 1, 2, 0xFFFF_FFFFL, 0x1_0000_0000L, Long.MAX_VALUE};
    for (int i = 1; i < epochs.length; i++) {
      assertThat(ChangelogSink.epochLsn(epochs[i]))
          .as("epoch %d after %d", epochs[i], epochs[i - 1])
          .isGreaterThan(ChangelogSink.epochLsn(epochs[i - 1]));
    }
  }
}
