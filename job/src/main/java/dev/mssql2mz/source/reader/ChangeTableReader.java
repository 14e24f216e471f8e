package dev.mssql2mz.source.reader;

import dev.mssql2mz.source.UnchangedLargeValue;
import dev.mssql2mz.sqlserver.CaptureInstance;
import dev.mssql2mz.sqlserver.CaptureInstanceGoneException;
import dev.mssql2mz.sqlserver.CapturedTable;
import dev.mssql2mz.sqlserver.ChangePosition;
import dev.mssql2mz.sqlserver.ChangesCleanedUpException;
import dev.mssql2mz.sqlserver.JdbcValues;
import dev.mssql2mz.sqlserver.RowPredicate;
import dev.mssql2mz.sqlserver.SourceColumn;
import dev.mssql2mz.sqlserver.SqlServerQueries;
import dev.mssql2mz.udfs.Lsn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads one table's changes in change-position order, one bounded page at a time, across its
 * capture instances: instance i covers commit LSNs from its start LSN up to (excluding) the start
 * LSN of the next one, so a second capture instance takes over without a re-snapshot.
 */
final class ChangeTableReader {

  private ChangeTableReader() {}

  /** Up to {@code pageSize} changes after {@code after} with commit LSN at most {@code upTo}. */
  static List<DecodedChange> page(
      Connection c,
      CapturedTable table,
      ChangePosition after,
      Lsn upTo,
      RowPredicate where,
      int pageSize)
      throws SQLException {
    List<DecodedChange> out = new ArrayList<>();
    List<CaptureInstance> instances = table.instances();
    for (int j = 0; j < instances.size() && out.size() < pageSize; j++) {
      CaptureInstance inst = instances.get(j);
      Lsn nextStart = j + 1 < instances.size() ? instances.get(j + 1).startLsn() : null;
      if (nextStart != null && nextStart.compareTo(after.commitLsn()) <= 0) {
        continue;
      }
      if (inst.startLsn().isAfter(upTo)) {
        break;
      }
      RowPredicate p = where;
      if (nextStart != null) {
        p =
            p.and(
                RowPredicate.lessThan(
                    List.of("__$start_lsn"),
                    Set.of("__$start_lsn"),
                    new Object[] {nextStart},
                    false));
      }
      List<String> cols = new ArrayList<>();
      int[] target = new int[table.table().columns().size()];
      int[] ordinals = new int[target.length];
      for (int k = 0; k < target.length; k++) {
        String name = table.table().columns().get(k).name();
        if (inst.capturedColumns().contains(name)) {
          ordinals[k] = inst.capturedColumns().indexOf(name) + 1;
          target[k] = cols.size();
          cols.add(name);
        } else {
          target[k] = -1;
        }
      }
      try (PreparedStatement ps =
              SqlServerQueries.changePage(c, inst, cols, after, upTo, p, pageSize - out.size());
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(decode(rs, table, target, ordinals));
        }
      } catch (SQLException e) {
        if (!SqlServerQueries.captureInstanceExists(c, inst.name())) {
          // Restarting cannot bring the change table back: say so once instead of looping.
          throw new CaptureInstanceGoneException(
              table.table().qualifiedName(), inst.name(), after.commitLsn(), e);
        }
        throw e;
      }
    }
    return out;
  }

  /**
   * Whether CDC left this NULL out rather than stored a NULL: legacy {@code text}, {@code ntext},
   * {@code image} are never in delete and update-before rows; {@code (max)} values are not in
   * update rows when the update did not change them (mask bit clear; the mask's lowest ordinals are
   * in its last byte).
   */
  static boolean omitted(SourceColumn col, int op, byte[] mask, int ordinal) {
    boolean legacy =
        col.typeName().equals("text")
            || col.typeName().equals("ntext")
            || col.typeName().equals("image");
    if (legacy) {
      return op == 1 || op == 3;
    }
    if (op != 3 && op != 4) {
      return false;
    }
    if (mask == null || ordinal < 1) {
      return false;
    }
    int byteIndex = mask.length - 1 - (ordinal - 1) / 8;
    return byteIndex >= 0 && (mask[byteIndex] & (1 << ((ordinal - 1) % 8))) == 0;
  }

  private static DecodedChange decode(
      ResultSet rs, CapturedTable table, int[] target, int[] ordinals) throws SQLException {
    Lsn start = JdbcValues.readLsn(rs, 1);
    long cmd = rs.getLong(2);
    Lsn seqval = JdbcValues.readLsn(rs, 3);
    int op = rs.getInt(4);
    byte[] mask = rs.getBytes(5);
    List<SourceColumn> columns = table.table().columns();
    Object[] values = new Object[columns.size()];
    long bytes = 40;
    for (int k = 0; k < values.length; k++) {
      if (target[k] >= 0) {
        SourceColumn col = columns.get(k);
        values[k] = JdbcValues.read(rs, 6 + target[k], col);
        bytes += RecordSizes.estimate(values[k]);
        if (values[k] == null && col.isLargeValue() && omitted(col, op, mask, ordinals[k])) {
          values[k] = UnchangedLargeValue.INSTANCE;
        }
      }
    }
    return new DecodedChange(new ChangePosition(start, cmd, seqval, op), mask, values, bytes);
  }

  /**
   * Fails when a capture instance that existed at {@code position} no longer holds the changes
   * right after it.
   */
  static void checkRetention(Connection c, CapturedTable table, ChangePosition position)
      throws SQLException {
    for (CaptureInstance inst : table.instances()) {
      if (inst.startLsn().isAfter(position.commitLsn())) {
        continue;
      }
      Lsn min = SqlServerQueries.minLsn(c, inst.name());
      if (min == null) {
        continue;
      }
      Lsn needed =
          position.equals(ChangePosition.afterAllOf(position.commitLsn()))
              ? position.commitLsn().increment()
              : position.commitLsn();
      if (min.isAfter(needed)) {
        throw new ChangesCleanedUpException(
            table.table().qualifiedName(), inst.name(), needed, min);
      }
    }
  }
}
