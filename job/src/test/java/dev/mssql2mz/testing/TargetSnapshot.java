package dev.mssql2mz.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a target schema holds, for "the target is unchanged" assertions: every table and view
 * with its columns and its rows (sorted, so two snapshots compare as multisets), the progress
 * relation included.
 */
public record TargetSnapshot(Map<String, List<String>> relations) {

  /** Reads every relation of {@code schema}. */
  public static TargetSnapshot of(Connection c, String schema) throws SQLException {
    Map<String, List<String>> relations = new TreeMap<>();
    List<String> names = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = ?"
                + " ORDER BY table_name")) {
      ps.setString(1, schema);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
    }
    for (String name : names) {
      List<String> rows = new ArrayList<>();
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT * FROM \""
                      + schema.replace("\"", "\"\"")
                      + "\".\""
                      + name.replace("\"", "\"\"")
                      + "\"")) {
        ResultSetMetaData md = rs.getMetaData();
        StringBuilder header = new StringBuilder("columns:");
        for (int i = 1; i <= md.getColumnCount(); i++) {
          header
              .append(' ')
              .append(md.getColumnName(i))
              .append(' ')
              .append(md.getColumnTypeName(i));
        }
        while (rs.next()) {
          StringBuilder row = new StringBuilder();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            row.append(i == 1 ? "" : " | ").append(rs.getString(i));
          }
          rows.add(row.toString());
        }
        Collections.sort(rows);
        rows.add(0, header.toString());
      }
      relations.put(name, rows);
    }
    return new TargetSnapshot(relations);
  }

  /** The number of data rows of {@code relation} (0 when it does not exist). */
  public int rows(String relation) {
    List<String> r = relations.get(relation);
    return r == null ? 0 : r.size() - 1;
  }
}
