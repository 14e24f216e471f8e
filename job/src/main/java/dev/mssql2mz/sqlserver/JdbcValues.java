package dev.mssql2mz.sqlserver;

import dev.mssql2mz.udfs.Lsn;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Reads column values into the Java types of {@link dev.mssql2mz.source.ChangeRecord}'s Javadoc and
 * binds such values as statement parameters.
 */
public final class JdbcValues {

  private JdbcValues() {}

  /** The value of column {@code index} (1-based) for {@code column}, null for SQL NULL. */
  public static Object read(ResultSet rs, int index, SourceColumn column) throws SQLException {
    if (column.asText()) {
      return WellFormedText.read(rs.getString(index), column);
    }
    Object v;
    switch (column.typeName()) {
      case "tinyint":
      case "smallint":
        v = rs.getShort(index);
        break;
      case "int":
        v = rs.getInt(index);
        break;
      case "bigint":
        v = rs.getLong(index);
        break;
      case "bit":
        v = rs.getBoolean(index);
        break;
      case "real":
        v = rs.getFloat(index);
        break;
      case "float":
        v = rs.getDouble(index);
        break;
      case "decimal":
      case "numeric":
      case "money":
      case "smallmoney":
        v = rs.getBigDecimal(index);
        break;
      case "date":
        v = rs.getObject(index, LocalDate.class);
        break;
      case "time":
        v = rs.getObject(index, LocalTime.class);
        break;
      case "datetime":
      case "datetime2":
      case "smalldatetime":
        v = rs.getObject(index, LocalDateTime.class);
        break;
      case "datetimeoffset":
        v = rs.getObject(index, OffsetDateTime.class);
        break;
      case "binary":
      case "varbinary":
      case "image":
      case "timestamp":
      case "rowversion":
        v = rs.getBytes(index);
        break;
      case "uniqueidentifier":
        String s = rs.getString(index);
        v = s == null ? null : UUID.fromString(s.trim());
        break;
      default:
        v = WellFormedText.read(rs.getString(index), column);
        break;
    }
    return rs.wasNull() ? null : v;
  }

  /** An LSN column ({@code binary(10)}), null for SQL NULL. */
  public static Lsn readLsn(ResultSet rs, int index) throws SQLException {
    byte[] b = rs.getBytes(index);
    return b == null ? null : Lsn.fromBytes(b);
  }

  /** Binds {@code values} from parameter {@code first} on; returns the next free index. */
  public static int bindAll(PreparedStatement ps, int first, List<Object> values)
      throws SQLException {
    int i = first;
    for (Object v : values) {
      bind(ps, i++, v);
    }
    return i;
  }

  /** Binds one value of a ChangeRecord type. */
  public static void bind(PreparedStatement ps, int index, Object v) throws SQLException {
    if (v == null) {
      ps.setNull(index, Types.NULL);
    } else if (v instanceof Lsn) {
      ps.setBytes(index, ((Lsn) v).toBytes());
    } else if (v instanceof UUID) {
      ps.setString(index, v.toString());
    } else if (v instanceof byte[]) {
      ps.setBytes(index, (byte[]) v);
    } else if (v instanceof BigDecimal) {
      ps.setBigDecimal(index, (BigDecimal) v);
    } else if (v instanceof String) {
      ps.setString(index, (String) v);
    } else {
      ps.setObject(index, v);
    }
  }
}
