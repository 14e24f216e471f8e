package dev.mssql2mz.table;

import dev.mssql2mz.sink.ChangelogConverter;
import dev.mssql2mz.source.ChangeOperation;
import dev.mssql2mz.source.ChangeRecord;
import dev.mssql2mz.sqlserver.ChangePosition;
import dev.mssql2mz.udfs.Lsn;
import java.io.Serializable;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.LogicalType;

/**
 * A Flink SQL changelog row as the change record the sink writes: {@code +I}/{@code +U} add the
 * row, {@code -U}/{@code -D} retract it, and each field becomes the Java value of the column's SQL
 * Server description ({@link SinkColumns}).
 */
final class RowDataToChangeRecord implements ChangelogConverter<RowData> {

  private static final long serialVersionUID = 1L;

  /** Internal value to the Java value of the described column. */
  @FunctionalInterface
  private interface FieldReader extends Serializable {
    Object read(RowData row, int pos);
  }

  private final String table;
  private final FieldReader[] readers;

  RowDataToChangeRecord(String table, List<LogicalType> types) {
    this.table = table;
    this.readers = new FieldReader[types.size()];
    for (int i = 0; i < readers.length; i++) {
      readers[i] = reader(types.get(i));
    }
  }

  @Override
  public ChangeRecord toChangeRecord(RowData row, Lsn position) {
    Object[] values = new Object[readers.length];
    for (int i = 0; i < readers.length; i++) {
      values[i] = row.isNullAt(i) ? null : readers[i].read(row, i);
    }
    return new ChangeRecord(table, operation(row), ChangePosition.afterAllOf(position), values);
  }

  private static ChangeOperation operation(RowData row) {
    switch (row.getRowKind()) {
      case INSERT:
        return ChangeOperation.INSERT;
      case UPDATE_AFTER:
        return ChangeOperation.UPDATE_AFTER;
      case UPDATE_BEFORE:
        return ChangeOperation.UPDATE_BEFORE;
      case DELETE:
        return ChangeOperation.DELETE;
      default:
        throw new IllegalArgumentException("Unknown row kind " + row.getRowKind());
    }
  }

  private static FieldReader reader(LogicalType type) {
    switch (type.getTypeRoot()) {
      case BOOLEAN:
        return RowData::getBoolean;
      case TINYINT:
        return (r, i) -> (short) r.getByte(i);
      case SMALLINT:
        return RowData::getShort;
      case INTEGER:
        return RowData::getInt;
      case BIGINT:
        return RowData::getLong;
      case FLOAT:
        return RowData::getFloat;
      case DOUBLE:
        return RowData::getDouble;
      case DECIMAL:
        {
          org.apache.flink.table.types.logical.DecimalType d =
              (org.apache.flink.table.types.logical.DecimalType) type;
          int p = d.getPrecision();
          int s = d.getScale();
          return (r, i) -> {
            DecimalData v = r.getDecimal(i, p, s);
            return v.toBigDecimal();
          };
        }
      case DATE:
        return (r, i) -> LocalDate.ofEpochDay(r.getInt(i));
      case TIME_WITHOUT_TIME_ZONE:
        return (r, i) -> LocalTime.ofNanoOfDay(r.getInt(i) * 1_000_000L);
      case TIMESTAMP_WITHOUT_TIME_ZONE:
        {
          int p = org.apache.flink.table.types.logical.utils.LogicalTypeChecks.getPrecision(type);
          return (r, i) -> {
            TimestampData t = r.getTimestamp(i, p);
            return t.toLocalDateTime();
          };
        }
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
        {
          int p = org.apache.flink.table.types.logical.utils.LogicalTypeChecks.getPrecision(type);
          return (r, i) -> r.getTimestamp(i, p).toInstant().atOffset(ZoneOffset.UTC);
        }
      case CHAR:
      case VARCHAR:
        return (r, i) -> {
          StringData s = r.getString(i);
          return s.toString();
        };
      case BINARY:
      case VARBINARY:
        return RowData::getBinary;
      default:
        throw new IllegalArgumentException("No reader for " + type);
    }
  }
}
