package dev.mssql2mz.demo.emulator;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole content of a table as a multiset of rows (row to count), for the final row-by-row
 * comparison of source and target. Values are comparable with {@code equals}: binary values become
 * read-only {@link ByteBuffer}s, date and time values {@code java.time} objects with all 7 digits.
 */
public final class TableContents {

  private TableContents() {}

  /** Reads {@code schema.table} through any connection (emulator or not). */
  public static Map<List<Object>, Long> read(Connection connection, String schema, String table)
      throws SQLException {
    Map<List<Object>, Long> rows = new HashMap<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM " + new ObjectName(schema, table).quoted())) {
      ResultSetMetaData md = rs.getMetaData();
      int n = md.getColumnCount();
      while (rs.next()) {
        Object[] row = new Object[n];
        for (int i = 1; i <= n; i++) {
          row[i - 1] = value(rs, i, md.getColumnType(i));
        }
        rows.merge(Arrays.asList(row), 1L, Long::sum);
      }
    }
    return rows;
  }

  /** The number of rows of a multiset. */
  public static long size(Map<List<Object>, Long> contents) {
    return contents.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Column names of {@code schema.table} in order, as {@link #read} lays out rows. */
  public static List<String> columns(Connection connection, String schema, String table)
      throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT * FROM " + new ObjectName(schema, table).quoted() + " WHERE 1 = 0")) {
      ResultSetMetaData md = rs.getMetaData();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        out.add(md.getColumnName(i));
      }
    }
    return out;
  }

  static Object value(ResultSet rs, int i, int type) throws SQLException {
    Object v;
    switch (type) {
      case Types.DATE:
        v = rs.getObject(i, LocalDate.class);
        break;
      case Types.TIME:
        v = rs.getObject(i, LocalTime.class);
        break;
      case Types.TIMESTAMP:
        v = rs.getObject(i, LocalDateTime.class);
        break;
      case Types.TIMESTAMP_WITH_TIMEZONE:
        v = rs.getObject(i, OffsetDateTime.class);
        break;
      default:
        v = rs.getObject(i);
    }
    if (v instanceof byte[]) {
      return ByteBuffer.wrap((byte[]) v).asReadOnlyBuffer();
    }
    if (v instanceof java.math.BigDecimal) {
      return ((java.math.BigDecimal) v).stripTrailingZeros();
    }
    return v;
  }
}
