package dev.mssql2mz.source;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The large values of the rows of a keyless table that share all their other columns: a multiset of
 * value tuples, kept flat in one {@code Object[]} of {@code (count, v1..vn)} groups so it fits the
 * state's value type.
 *
 * <p>A keyless table has no identity but its values, and CDC leaves the unchanged large values out
 * of delete and update rows. The omitted values are those of one of the rows that match the other
 * columns; when every matching row holds the same values (identical duplicates, the common case)
 * that is exact. When they differ, nothing in the change row says which of them changed, so the
 * caller must stop rather than guess.
 *
 * <p>A bag keeps at most {@link #MAX_DISTINCT} different tuples. Past that it only counts its rows
 * ({@code (-count)}): then a change row that carries all its large values needs no lookup, and one
 * that omits some is ambiguous anyway (more than one candidate), so state and work per row stay
 * bounded even when a whole table shares one combination of other columns.
 */
final class KeylessLargeValues {

  /** Different tuples a bag tells apart before it only counts. */
  static final int MAX_DISTINCT = 64;

  private KeylessLargeValues() {}

  /** The outcome of {@link #take}: the filled tuple, the remaining bag, and whether any matched. */
  record Taken(Object[] values, Object[] remaining, boolean known) {}

  /** Thrown when matching rows disagree on an omitted value. */
  static final class AmbiguousException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int column;

    AmbiguousException(int column) {
      super("rows differ in omitted column #" + column);
      this.column = column;
    }

    /** Index of the first omitted column the matching rows disagree on. */
    int column() {
      return column;
    }
  }

  /** The bag with one more row holding {@code values}. */
  static Object[] add(Object[] bag, Object[] values) {
    int n = values.length;
    Object[] b = bag == null ? new Object[0] : bag;
    if (isCounting(b)) {
      return new Object[] {(Long) b[0] - 1};
    }
    if (b.length >= MAX_DISTINCT * (n + 1)) {
      long rows = 0;
      for (int at = 0; at < b.length; at += n + 1) {
        rows += (Long) b[at];
      }
      return new Object[] {-(rows + 1)};
    }
    for (int at = 0; at < b.length; at += n + 1) {
      if (sameTuple(b, at + 1, values)) {
        Object[] copy = b.clone();
        copy[at] = ((Long) copy[at]) + 1;
        return copy;
      }
    }
    Object[] grown = Arrays.copyOf(b, b.length + n + 1);
    grown[b.length] = 1L;
    System.arraycopy(values, 0, grown, b.length + 1, n);
    return grown;
  }

  /**
   * Removes one row matching {@code partial} (whose omitted values are {@link UnchangedLargeValue})
   * and returns it filled in; with no matching row, the omitted values are NULL and {@code known}
   * is false.
   */
  static Taken take(Object[] bag, Object[] partial) throws AmbiguousException {
    int n = partial.length;
    Object[] b = bag == null ? new Object[0] : bag;
    if (isCounting(b)) {
      for (int j = 0; j < n; j++) {
        if (partial[j] instanceof UnchangedLargeValue) {
          throw new AmbiguousException(j);
        }
      }
      long rows = -(Long) b[0];
      return new Taken(partial, rows > 1 ? new Object[] {-(rows - 1)} : null, true);
    }
    int match = -1;
    for (int at = 0; at < b.length; at += n + 1) {
      if (!matches(b, at + 1, partial)) {
        continue;
      }
      if (match < 0) {
        match = at;
      } else {
        int differs = firstDifference(b, match + 1, at + 1, n);
        if (differs >= 0) {
          throw new AmbiguousException(differs);
        }
      }
    }
    if (match < 0) {
      Object[] filled = partial.clone();
      for (int j = 0; j < n; j++) {
        if (filled[j] instanceof UnchangedLargeValue) {
          filled[j] = null;
        }
      }
      return new Taken(filled, b.length == 0 ? null : b, false);
    }
    Object[] filled = Arrays.copyOfRange(b, match + 1, match + 1 + n);
    long count = (Long) b[match];
    Object[] remaining;
    if (count > 1) {
      remaining = b.clone();
      remaining[match] = count - 1;
    } else {
      List<Object> rest = new ArrayList<>(Arrays.asList(b));
      rest.subList(match, match + n + 1).clear();
      remaining = rest.isEmpty() ? null : rest.toArray();
    }
    return new Taken(filled, remaining, true);
  }

  /** Whether the bag has given up telling its tuples apart and only counts rows. */
  private static boolean isCounting(Object[] bag) {
    return bag.length == 1 && (Long) bag[0] < 0;
  }

  private static boolean matches(Object[] bag, int from, Object[] partial) {
    for (int j = 0; j < partial.length; j++) {
      if (!(partial[j] instanceof UnchangedLargeValue)
          && !Objects.deepEquals(partial[j], bag[from + j])) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameTuple(Object[] bag, int from, Object[] values) {
    for (int j = 0; j < values.length; j++) {
      if (!Objects.deepEquals(values[j], bag[from + j])) {
        return false;
      }
    }
    return true;
  }

  private static int firstDifference(Object[] bag, int a, int b, int n) {
    for (int j = 0; j < n; j++) {
      if (!Objects.deepEquals(bag[a + j], bag[b + j])) {
        return j;
      }
    }
    return -1;
  }
}
