package dev.mssql2mz.testing;

import dev.mssql2mz.source.ChangeRecord;
import dev.mssql2mz.sqlserver.JdbcValues;
import dev.mssql2mz.sqlserver.SourceColumn;
import dev.mssql2mz.sqlserver.SourceTable;
import dev.mssql2mz.sqlserver.SqlIdentifiers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Multisets of rows: what a table holds upstream, and what a stream of changes consolidates to. */
public final class SourceAssertions {

  private SourceAssertions() {}

  /** A row as a comparable string (byte arrays in hex). */
  public static String rowKey(Object[] values) {
    return Arrays.stream(values)
        .map(
            v ->
                v instanceof byte[]
                    ? "0x" + HexFormat.of().formatHex((byte[]) v)
                    : String.valueOf(v))
        .collect(Collectors.joining("|"));
  }

  /** The table's rows now, read with the source's own value reader, as row -> count. */
  public static Map<String, Integer> tableRows(Connection c, SourceTable t) throws SQLException {
    Map<String, Integer> rows = new TreeMap<>();
    String cols = SqlIdentifiers.quoteAll(t.columns().stream().map(SourceColumn::name).toList());
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT " + cols + " FROM " + SqlIdentifiers.quote(t.schema(), t.name()))) {
      while (rs.next()) {
        Object[] v = new Object[t.columns().size()];
        for (int i = 0; i < v.length; i++) {
          v[i] = JdbcValues.read(rs, i + 1, t.columns().get(i));
        }
        rows.merge(rowKey(v), 1, Integer::sum);
      }
    }
    return rows;
  }

  /** Sums the diffs of a table's records; rows whose sum is 0 vanish. */
  public static Map<String, Integer> consolidate(List<ChangeRecord> records, String table) {
    Map<String, Integer> rows = new TreeMap<>();
    for (ChangeRecord r : records) {
      if (!r.isProgress() && r.table().equals(table)) {
        rows.merge(rowKey(r.values()), r.diff(), Integer::sum);
      }
    }
    rows.values().removeIf(n -> n == 0);
    return rows;
  }

  /** Rows whose consolidated count is negative or above the upstream count. */
  public static List<String> differences(
      Map<String, Integer> expected, Map<String, Integer> actual) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Integer> e : expected.entrySet()) {
      Integer a = actual.get(e.getKey());
      if (!e.getValue().equals(a)) {
        out.add("missing or wrong count " + a + " (want " + e.getValue() + "): " + e.getKey());
      }
    }
    for (Map.Entry<String, Integer> e : actual.entrySet()) {
      if (!expected.containsKey(e.getKey())) {
        out.add("extra x" + e.getValue() + ": " + e.getKey());
      }
    }
    return out;
  }
}
