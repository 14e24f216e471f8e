package dev.mssql2mz.table;

import dev.mssql2mz.sqlserver.SourceColumn;
import dev.mssql2mz.transform.ValueConversions;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Set;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.utils.LogicalTypeChecks;

/**
 * Which Flink SQL types a SQL Server column may be declared as, and the conversion of its values
 * (the Java types of {@link dev.mssql2mz.source.ChangeRecord}) into Flink's internal structures.
 * Any column may be declared as {@code STRING}: it then carries SQL Server's text form, as a {@code
 * TEXT COLUMNS} column does in the replication job.
 */
final class SourceValueConverters {

  private static final Set<String> INTEGERS = Set.of("tinyint", "smallint", "int", "bigint");
  private static final Set<String> DECIMALS = Set.of("decimal", "numeric", "money", "smallmoney");
  private static final Set<String> TIMESTAMPS = Set.of("datetime2", "datetime", "smalldatetime");
  private static final Set<String> CHARACTERS =
      Set.of("char", "varchar", "nchar", "nvarchar", "text", "ntext", "sysname", "json", "xml");
  private static final Set<String> BINARIES =
      Set.of("binary", "varbinary", "image", "timestamp", "rowversion");

  private SourceValueConverters() {}

  /**
   * The converter for column {@code c} of {@code table} declared as {@code declared}.
   *
   * @throws ValidationException naming the column, both types and the Flink types that fit
   */
  static SourceValueConverter forColumn(String table, SourceColumn c, LogicalType declared) {
    String type = c.typeName();
    LogicalTypeRoot root = declared.getTypeRoot();
    if (root == LogicalTypeRoot.CHAR || root == LogicalTypeRoot.VARCHAR) {
      int digits = c.scale();
      return v -> StringData.fromString(ValueConversions.textForm(v, digits));
    }
    if (INTEGERS.contains(type)) {
      int width = integerWidth(type);
      switch (root) {
        case SMALLINT:
          if (width <= 2) {
            return v -> ValueConversions.smallint(v);
          }
          break;
        case INTEGER:
          if (width <= 4) {
            return v -> ValueConversions.integer(v);
          }
          break;
        case BIGINT:
          return v -> ValueConversions.bigint(v);
        case DECIMAL:
          return decimal(declared, table, c);
        default:
          break;
      }
      throw mismatch(table, c, declared, fittingIntegers(width));
    }
    if (DECIMALS.contains(type)) {
      if (root == LogicalTypeRoot.DECIMAL) {
        return decimal(declared, table, c);
      }
      throw mismatch(table, c, declared, "DECIMAL(p, s) or STRING");
    }
    switch (type) {
      case "bit":
        if (root == LogicalTypeRoot.BOOLEAN) {
          return v -> ValueConversions.bit(v);
        }
        throw mismatch(table, c, declared, "BOOLEAN or STRING");
      case "real":
        if (root == LogicalTypeRoot.FLOAT) {
          return v -> ValueConversions.real(v);
        }
        if (root == LogicalTypeRoot.DOUBLE) {
          return v -> ValueConversions.doublePrecision(v);
        }
        throw mismatch(table, c, declared, "FLOAT, DOUBLE or STRING");
      case "float":
        if (root == LogicalTypeRoot.DOUBLE) {
          return v -> ValueConversions.doublePrecision(v);
        }
        throw mismatch(table, c, declared, "DOUBLE or STRING");
      case "date":
        if (root == LogicalTypeRoot.DATE) {
          return v -> (int) ((LocalDate) v).toEpochDay();
        }
        throw mismatch(table, c, declared, "DATE or STRING");
      case "time":
        if (root == LogicalTypeRoot.TIME_WITHOUT_TIME_ZONE) {
          // Flink's TIME holds milliseconds: finer digits are dropped (floor), as for time(n).
          return v -> (int) (((LocalTime) v).toNanoOfDay() / 1_000_000L);
        }
        throw mismatch(table, c, declared, "TIME or STRING");
      case "datetimeoffset":
        if (root == LogicalTypeRoot.TIMESTAMP_WITH_LOCAL_TIME_ZONE) {
          int p = LogicalTypeChecks.getPrecision(declared);
          return v ->
              TimestampData.fromInstant(
                  roundHalfUp(((OffsetDateTime) v).toLocalDateTime(), p)
                      .toInstant(((OffsetDateTime) v).getOffset()));
        }
        throw mismatch(table, c, declared, "TIMESTAMP_LTZ or STRING");
      case "uniqueidentifier":
        throw mismatch(table, c, declared, "STRING");
      default:
        break;
    }
    if (TIMESTAMPS.contains(type)) {
      if (root == LogicalTypeRoot.TIMESTAMP_WITHOUT_TIME_ZONE) {
        int p = LogicalTypeChecks.getPrecision(declared);
        return v -> TimestampData.fromLocalDateTime(roundHalfUp((LocalDateTime) v, p));
      }
      throw mismatch(table, c, declared, "TIMESTAMP(p) or STRING");
    }
    if (CHARACTERS.contains(type)) {
      throw mismatch(table, c, declared, "STRING, CHAR(n) or VARCHAR(n)");
    }
    if (BINARIES.contains(type)) {
      if (root == LogicalTypeRoot.BINARY || root == LogicalTypeRoot.VARBINARY) {
        return v -> ValueConversions.bytes(v);
      }
      throw mismatch(table, c, declared, "BYTES, BINARY(n), VARBINARY(n) or STRING");
    }
    throw mismatch(table, c, declared, "STRING");
  }

  /**
   * Rounded half-up to {@code precision} fractional digits with carry, as Materialize stores {@code
   * datetime2(7)} at microseconds.
   */
  static LocalDateTime roundHalfUp(LocalDateTime t, int precision) {
    if (precision >= 9) {
      return t;
    }
    long unit = (long) Math.pow(10, 9 - precision);
    long below = t.getNano() % unit;
    LocalDateTime floor = t.minusNanos(below);
    return below * 2 >= unit ? floor.plusNanos(unit) : floor;
  }

  private static SourceValueConverter decimal(LogicalType declared, String table, SourceColumn c) {
    DecimalType d = (DecimalType) declared;
    int precision = d.getPrecision();
    int scale = d.getScale();
    String column = c.name();
    return v -> {
      BigDecimal exact =
          v instanceof BigDecimal ? (BigDecimal) v : BigDecimal.valueOf(((Number) v).longValue());
      DecimalData data = DecimalData.fromBigDecimal(exact, precision, scale);
      if (data == null || exact.compareTo(data.toBigDecimal()) != 0) {
        throw new IllegalArgumentException(
            "Value "
                + exact.toPlainString()
                + " of column "
                + column
                + " of table "
                + table
                + " does not fit DECIMAL("
                + precision
                + ", "
                + scale
                + "): declare a larger precision or scale");
      }
      return data;
    };
  }

  private static int integerWidth(String type) {
    switch (type) {
      case "tinyint":
      case "smallint":
        return 2;
      case "int":
        return 4;
      default:
        return 8;
    }
  }

  private static String fittingIntegers(int width) {
    switch (width) {
      case 2:
        return "SMALLINT, INT, BIGINT, DECIMAL or STRING";
      case 4:
        return "INT, BIGINT, DECIMAL or STRING";
      default:
        return "BIGINT, DECIMAL or STRING";
    }
  }

  private static ValidationException mismatch(
      String table, SourceColumn c, LogicalType declared, String fitting) {
    return new ValidationException(
        "Column '"
            + c.name()
            + "' of SQL Server table "
            + table
            + " is "
            + c.typeName()
            + ", which cannot be read as "
            + declared.asSummaryString()
            + ". Declare it as "
            + fitting
            + ".");
  }
}
