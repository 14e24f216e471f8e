package dev.mssql2mz.demo;

import dev.mssql2mz.sqlserver.SourceTable;
import java.util.ArrayList;
import java.util.List;

/**
 * Describes rows that differ between source and target so that a mismatch can be diagnosed from the
 * demo's output alone: a missing and an extra row with the same key are shown as one pair, naming
 * each column whose values differ, both lengths and where they first differ; other rows are shown
 * abbreviated.
 */
final class RowDifferences {

  private static final int SHOWN = 40;
  private static final int AROUND = 12;

  private RowDifferences() {}

  static List<String> describe(SourceTable table, List<String[]> missing, List<String[]> extra) {
    List<String> out = new ArrayList<>();
    List<String[]> unpairedExtra = new ArrayList<>(extra);
    for (String[] m : missing) {
      String[] pair = null;
      if (table.hasKey()) {
        for (String[] e : unpairedExtra) {
          if (sameKey(table, m, e)) {
            pair = e;
            break;
          }
        }
      }
      if (pair == null) {
        out.add("missing: " + abbreviated(m));
      } else {
        unpairedExtra.remove(pair);
        out.add("differs: " + keyText(table, m) + differences(table, m, pair));
      }
    }
    for (String[] e : unpairedExtra) {
      out.add("extra: " + abbreviated(e));
    }
    return out;
  }

  private static boolean sameKey(SourceTable table, String[] a, String[] b) {
    for (int i = 0; i < a.length; i++) {
      if (table.keyColumns().contains(table.columns().get(i).name())
          && !java.util.Objects.equals(a[i], b[i])) {
        return false;
      }
    }
    return true;
  }

  private static String keyText(SourceTable table, String[] row) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < row.length; i++) {
      if (table.keyColumns().contains(table.columns().get(i).name())) {
        sb.append(sb.length() > 1 ? ", " : "").append(row[i]);
      }
    }
    return sb.append(')').toString();
  }

  private static String differences(SourceTable table, String[] source, String[] target) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < source.length; i++) {
      String s = source[i];
      String t = target[i];
      if (java.util.Objects.equals(s, t)) {
        continue;
      }
      sb.append("; ").append(table.columns().get(i).name()).append(": ");
      if (s == null || t == null) {
        sb.append("source ").append(abbreviated(s)).append(", target ").append(abbreviated(t));
        continue;
      }
      int at = 0;
      while (at < s.length() && at < t.length() && s.charAt(at) == t.charAt(at)) {
        at++;
      }
      sb.append("source ")
          .append(s.length())
          .append(" chars, target ")
          .append(t.length())
          .append(", first difference at ")
          .append(at)
          .append(": source ...")
          .append(window(s, at))
          .append("..., target ...")
          .append(window(t, at))
          .append("...");
    }
    return sb.toString();
  }

  private static String window(String v, int at) {
    return v.substring(Math.max(0, at - AROUND), Math.min(v.length(), at + AROUND));
  }

  private static String abbreviated(String[] row) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < row.length; i++) {
      sb.append(i > 0 ? ", " : "").append(abbreviated(row[i]));
    }
    return sb.append(')').toString();
  }

  private static String abbreviated(String v) {
    return v == null ? "NULL" : v.length() > SHOWN ? v.substring(0, SHOWN) + "..." : v;
  }
}
