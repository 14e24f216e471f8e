package dev.mssql2mz.sink;

import java.util.ArrayList;
import java.util.List;

/**
 * The change rows of one table waiting to be written: each row is the text of its source columns
 * followed by {@code _epoch}, {@code _subtask}, {@code _lsn} and {@code _diff}. Bounded by the
 * writer, which flushes it at the batch size.
 */
final class ChangeBatch {

  /** Columns the sink appends after the source columns, in this order. */
  static final List<String> META_COLUMNS = List.of("_epoch", "_subtask", "_lsn", "_diff");

  private final TableModel table;
  private final List<String[]> rows = new ArrayList<>();
  private long bytes;

  ChangeBatch(TableModel table) {
    this.table = table;
  }

  TableModel table() {
    return table;
  }

  void add(String[] row) {
    rows.add(row);
    for (String f : row) {
      bytes += f == null ? 1 : f.length() + 1;
    }
  }

  List<String[]> rows() {
    return rows;
  }

  int size() {
    return rows.size();
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  /** Approximate size of the rows as text. */
  long bytes() {
    return bytes;
  }

  /**
   * The UTF-8 bytes of every value plus one separator each: what INSERT sends as text parameters.
   * Computed on demand (only the INSERT write method needs it).
   */
  long utf8Bytes() {
    long n = 0;
    for (String[] row : rows) {
      for (String f : row) {
        n += f == null ? 1 : f.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
      }
    }
    return n;
  }

  void clear() {
    rows.clear();
    bytes = 0;
  }

  /** The rows in COPY's text format. */
  String toCopyText() {
    StringBuilder sb = new StringBuilder((int) Math.min(Integer.MAX_VALUE - 16, bytes + 16));
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        if (i > 0) {
          sb.append('\t');
        }
        TargetText.appendCopyField(sb, row[i]);
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
