package dev.mssql2mz.sqlserver;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

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
    return compare(columns, Set.of(), values, true, inclusive);
  }

  /**
   * As {@link #greaterThan(List, Object[], boolean)}, for columns of which those in {@code notNull}
   * are declared NOT NULL.
   */
  public static RowPredicate greaterThan(
      List<String> columns, Set<String> notNull, Object[] values, boolean inclusive) {
    return compare(columns, notNull, values, true, inclusive);
  }

  /** Rows whose columns compare below {@code values} (or equal, if {@code inclusive}). */
  public static RowPredicate lessThan(List<String> columns, Object[] values, boolean inclusive) {
    return compare(columns, Set.of(), values, false, inclusive);
  }

  /**
   * As {@link #lessThan(List, Object[], boolean)}, for columns of which those in {@code notNull}
   * are declared NOT NULL.
   */
  public static RowPredicate lessThan(
      List<String> columns, Set<String> notNull, Object[] values, boolean inclusive) {
    return compare(columns, notNull, values, false, inclusive);
  }

  /** {@code lower <= row < upper}; a null bound is open. */
  public static RowPredicate range(List<String> columns, Object[] lower, Object[] upper) {
    return range(columns, Set.of(), lower, upper);
  }

  /** {@code lower <= row < upper} over columns of which those in {@code notNull} are NOT NULL. */
  public static RowPredicate range(
      List<String> columns, Set<String> notNull, Object[] lower, Object[] upper) {
    RowPredicate p = TRUE;
    if (lower != null) {
      p = p.and(greaterThan(columns, notNull, lower, true));
    }
    if (upper != null) {
      p = p.and(lessThan(columns, notNull, upper, false));
    }
    return p;
  }

  private static RowPredicate compare(
      List<String> columns,
      Set<String> notNull,
      Object[] values,
      boolean greater,
      boolean inclusive) {
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
            ands.add(
                notNull.contains(columns.get(i))
                    ? c + " < ?"
                    : "(" + c + " IS NULL OR " + c + " < ?)");
            params.add(v);
          }
        }
      }
      ors.add(ands.isEmpty() ? "1 = 1" : "(" + String.join(" AND ", ands) + ")");
    }
    if (ors.isEmpty()) {
      return new RowPredicate("1 = 0", params);
    }
    RowPredicate expanded = new RowPredicate(String.join(" OR ", ors), params);
    return ors.size() > 1
        ? leadingBound(columns, notNull, values, greater).and(expanded)
        : expanded;
  }

  /**
   * A bound on the first column alone that the expansion implies. It is redundant, but it is a
   * plain comparison at the top level, which lets SQL Server (and H2) seek the index to the range
   * instead of testing the OR-expansion on every row from the start of the table: without it, each
   * chunk of a snapshot read the table from its first row.
   */
  private static RowPredicate leadingBound(
      List<String> columns, Set<String> notNull, Object[] values, boolean greater) {
    Object v = values[0];
    if (v == null) {
      return TRUE;
    }
    String c = SqlIdentifiers.quote(columns.get(0));
    if (greater) {
      return new RowPredicate(c + " >= ?", List.of(v));
    }
    // A NULL first column sorts below every value, so only a NOT NULL column has a plain bound.
    return notNull.contains(columns.get(0)) ? new RowPredicate(c + " <= ?", List.of(v)) : TRUE;
  }

  @Override
  public String toString() {
    return sql + " " + params;
  }
}
