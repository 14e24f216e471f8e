package dev.mssql2mz.table;

import dev.mssql2mz.sqlserver.SourceColumn;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.utils.LogicalTypeChecks;

/**
 * A declared column of a {@code materialize} table, described as the SQL Server column whose target
 * type it should get, so the sink's one type table ({@link dev.mssql2mz.transform.TypeMapping})
 * decides the target DDL and value rules for Flink SQL too: {@code BOOLEAN} as {@code bit}
 * (boolean), {@code TINYINT}/{@code SMALLINT} as {@code smallint}, {@code INT} as {@code int},
 * {@code BIGINT} as {@code bigint}, {@code FLOAT} as {@code real}, {@code DOUBLE} as {@code float}
 * (double precision), {@code DECIMAL(p,s)} as {@code decimal(p,s)}, {@code DATE} as {@code date},
 * {@code TIME} as {@code time}, {@code TIMESTAMP(p)} as {@code datetime2(p)} (timestamp(6), rounded
 * half-up), {@code TIMESTAMP_LTZ(p)} as {@code datetimeoffset(p)} (timestamptz), character types as
 * {@code nvarchar(max)} (text) and binary types as {@code varbinary(max)} (bytea).
 */
final class SinkColumns {

  private SinkColumns() {}

  static SourceColumn describe(String flinkTable, String name, LogicalType type) {
    boolean nullable = type.isNullable();
    switch (type.getTypeRoot()) {
      case BOOLEAN:
        return column(name, "bit", 1, 1, 0, nullable);
      case TINYINT:
      case SMALLINT:
        return column(name, "smallint", 2, 5, 0, nullable);
      case INTEGER:
        return column(name, "int", 4, 10, 0, nullable);
      case BIGINT:
        return column(name, "bigint", 8, 19, 0, nullable);
      case FLOAT:
        return column(name, "real", 4, 24, 0, nullable);
      case DOUBLE:
        return column(name, "float", 8, 53, 0, nullable);
      case DECIMAL:
        DecimalType d = (DecimalType) type;
        return column(name, "decimal", 17, d.getPrecision(), d.getScale(), nullable);
      case DATE:
        return column(name, "date", 3, 10, 0, nullable);
      case TIME_WITHOUT_TIME_ZONE:
        return column(name, "time", 5, 16, LogicalTypeChecks.getPrecision(type), nullable);
      case TIMESTAMP_WITHOUT_TIME_ZONE:
        return column(name, "datetime2", 8, 27, LogicalTypeChecks.getPrecision(type), nullable);
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
        return column(
            name, "datetimeoffset", 10, 34, LogicalTypeChecks.getPrecision(type), nullable);
      case CHAR:
      case VARCHAR:
        return column(name, "nvarchar", -1, 0, 0, nullable);
      case BINARY:
      case VARBINARY:
        return column(name, "varbinary", -1, 0, 0, nullable);
      default:
        throw new ValidationException(
            "Column '"
                + name
                + "' of table "
                + flinkTable
                + " has type "
                + type.asSummaryString()
                + ", which the materialize connector cannot write. Supported: BOOLEAN, TINYINT,"
                + " SMALLINT, INT, BIGINT, FLOAT, DOUBLE, DECIMAL, DATE, TIME, TIMESTAMP,"
                + " TIMESTAMP_LTZ, CHAR, VARCHAR/STRING, BINARY, VARBINARY/BYTES; cast the column"
                + " in the query.");
    }
  }

  private static SourceColumn column(
      String name, String type, int maxLength, int precision, int scale, boolean nullable) {
    return new SourceColumn(name, type, maxLength, precision, scale, nullable, false);
  }
}
