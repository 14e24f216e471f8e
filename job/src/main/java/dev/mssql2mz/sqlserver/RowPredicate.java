package dev.mssql2mz.sqlserver;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A T-SQL boolean expression over quoted columns with its bound values, built for keyset ranges:
 * lexicographic row comparisons ({@code (a, b) > (?, ?)}), which T-SQL lacks, expanded into ANDs
 * and ORs. NULL sorts first, as in SQL Server's ORDER BY, so unique indexes with a NULL key and
 * keyless tables ordered by all their columns page correctly.
 */
public final class RowPredicate {

  private static final RowPredicate TRUE = new RowPredicate("1 = 1", List.of());

  private final String sql;
  private final List<Object> params;

  private RowPredicate(String sql, List<Object> params) {
    this.sql = sql;
    this.params = Collections.unmodifiableList(params);
  }

  public static RowPredicate alwaysTrue() {
    return TRUE;
  }

  public String sql() {
    return sql;
  }

  public List<Object> params() {
    return params;
  }

  /** Both predicates. */
  public RowPredicate and(RowPredicate other) {
    if (this == TRUE) {
      return other;
    }
    if (other == TRUE) {
      return this;
    }
    List<Object> p = new ArrayList<>(params);
    p.addAll(other.params);
    return new RowPredicate("(" + sql + ") AND (" + other.sql + ")", p);
  }

  /** Rows whose columns compare above {@code values} (or equal, if {@code inclusive}). */
  public static RowPredicate greaterThan(List<String> columns, Object[] values, boolean inclusive) {
    return compare(columns, values, true, inclusive);
  }

  /** Rows whose columns compare below {@code values} (or equal, if {@code inclusive}). */
  public static RowPredicate lessThan(List<String> columns, Object[] values, boolean inclusive) {
    return compare(columns, values, false, inclusive);
  }

  /** {@code lower <= row < upper}; a null bound is open. */
  public static RowPredicate range(List<String> columns, Object[] lower, Object[] upper) {
    RowPredicate p = TRUE;
    if (lower != null) {
      p = p.and(greaterThan(columns, lower, true));
    }
    if (upper != null) {
      p = p.and(lessThan(columns, upper, false));
    }
    return p;
  }

  private static RowPredicate compare(
      List<String> columns, Object[] values, boolean greater, boolean inclusive) {
    if (columns.size() != values.length) {
      throw new IllegalArgumentException(
          "Bound has " + values.length + " values for columns " + columns);
    }
    List<String> ors = new ArrayList<>();
    List<Object> params = new ArrayList<>();
    for (int i = 0; i <= columns.size(); i++) {
      if (i == columns.size() && !inclusive) {
        break;
      }
      List<String> ands = new ArrayList<>();
      for (int j = 0; j < i; j++) {
        String c = SqlIdentifiers.quote(columns.get(j));
        if (values[j] == null) {
          ands.add(c + " IS NULL");
        } else {
          ands.add(c + " = ?");
          params.add(values[j]);
        }
      }
      if (i < columns.size()) {
        String c = SqlIdentifiers.quote(columns.get(i));
        Object v = values[i];
        if (greater) {
          if (v == null) {
            ands.add(c + " IS NOT NULL");
          } else {
            ands.add(c + " > ?");
            params.add(v);
          }
        } else {
          if (v == null) {
            ands.add("1 = 0");
          } else {
            ands.add("(" + c + " IS NULL OR " + c + " < ?)");
            params.add(v);
          }
        }
      }
      ors.add(ands.isEmpty() ? "1 = 1" : "(" + String.join(" AND ", ands) + ")");
    }
    if (ors.isEmpty()) {
      return new RowPredicate("1 = 0", params);
    }
    return new RowPredicate(String.join(" OR ", ors), params);
  }

  @Override
  public String toString() {
    return sql + " " + params;
  }
}
