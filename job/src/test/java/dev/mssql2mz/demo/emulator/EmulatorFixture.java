package dev.mssql2mz.demo.emulator;

import dev.mssql2mz.udfs.Lsn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Small helpers for emulator tests: run a query, read rows, read LSNs. */
final class EmulatorFixture {

  private EmulatorFixture() {}

  /** The rows of a query, each as an array of {@code getObject} values. */
  static List<Object[]> rows(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i] instanceof Lsn ? ((Lsn) params[i]).toBytes() : params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        List<Object[]> out = new ArrayList<>();
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          Object[] row = new Object[n];
          for (int i = 0; i < n; i++) {
            row[i] = rs.getObject(i + 1);
          }
          out.add(row);
        }
        return out;
      }
    }
  }

  /** The single value of a one-row, one-column query. */
  static Object value(Connection c, String sql, Object... params) throws SQLException {
    List<Object[]> rows = rows(c, sql, params);
    if (rows.size() != 1) {
      throw new AssertionError("Expected one row from " + sql + ", got " + rows.size());
    }
    return rows.get(0)[0];
  }

  static Lsn lsn(Connection c, String sql, Object... params) throws SQLException {
    Object v = value(c, sql, params);
    return v == null ? null : Lsn.fromBytes((byte[]) v);
  }

  static void exec(Connection c, String... sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    }
  }
}
