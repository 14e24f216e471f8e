package dev.mssql2mz.demo.emulator;

import dev.mssql2mz.udfs.Lsn;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.Locale;

/**
 * SQL Server's CDC functions as H2 functions: {@code sys.fn_cdc_get_min_lsn}, {@code
 * sys.fn_cdc_get_max_lsn}, {@code sys.fn_cdc_increment_lsn}, {@code sys.fn_cdc_decrement_lsn},
 * {@code sys.fn_cdc_map_lsn_to_time}, {@code sys.fn_cdc_map_time_to_lsn}, {@code
 * sys.fn_cdc_is_bit_set}, {@code sys.fn_cdc_get_column_ordinal}, and {@code
 * cdc.fn_cdc_get_all_changes_<instance>} (one function taking the instance name; {@link
 * TsqlRewrites} routes the per-instance name to it).
 *
 * <p>They read the {@code cdc} tables through the caller's connection, so they see what the
 * caller's transaction sees, as on SQL Server. Side-effect free: H2 calls table functions more than
 * once per query. Public only because H2 calls them.
 */
public final class CdcFunctions {

  private static final byte[] ZERO = new byte[Lsn.BYTES];

  private CdcFunctions() {}

  /** The capture instance's {@code start_lsn}; {@code 0x00...} for an unknown instance. */
  public static byte[] fn_cdc_get_min_lsn(Connection conn, String instance) throws SQLException {
    try (PreparedStatement ps =
        conn.prepareStatement(
            "SELECT start_lsn FROM cdc.change_tables WHERE LOWER(capture_instance) = LOWER(?)")) {
      ps.setString(1, instance);
      try (ResultSet r = ps.executeQuery()) {
        return r.next() ? r.getBytes(1) : ZERO.clone();
      }
    }
  }

  /** The highest {@code start_lsn} of {@code cdc.lsn_time_mapping}: what capture has processed. */
  public static byte[] fn_cdc_get_max_lsn(Connection conn) throws SQLException {
    try (PreparedStatement ps =
            conn.prepareStatement("SELECT MAX(start_lsn) FROM cdc.lsn_time_mapping");
        ResultSet r = ps.executeQuery()) {
      byte[] max = r.next() ? r.getBytes(1) : null;
      return max == null ? ZERO.clone() : max;
    }
  }

  public static byte[] fn_cdc_increment_lsn(byte[] lsn) {
    return lsn == null ? null : Lsn.fromBytes(lsn).increment().toBytes();
  }

  public static byte[] fn_cdc_decrement_lsn(byte[] lsn) {
    if (lsn == null) {
      return null;
    }
    BigInteger v = new BigInteger(1, Lsn.fromBytes(lsn).toBytes());
    if (v.signum() == 0) {
      throw new ArithmeticException("The minimum LSN has no predecessor");
    }
    byte[] raw = v.subtract(BigInteger.ONE).toByteArray();
    byte[] out = new byte[Lsn.BYTES];
    int copy = Math.min(raw.length, Lsn.BYTES);
    System.arraycopy(raw, raw.length - copy, out, Lsn.BYTES - copy, copy);
    return out;
  }

  /** The commit time of the transaction at {@code lsn} (or the last one before it). */
  public static Timestamp fn_cdc_map_lsn_to_time(Connection conn, byte[] lsn) throws SQLException {
    if (lsn == null) {
      return null;
    }
    try (PreparedStatement ps =
        conn.prepareStatement(
            "SELECT TOP 1 tran_end_time FROM cdc.lsn_time_mapping WHERE start_lsn <= ?"
                + " ORDER BY start_lsn DESC")) {
      ps.setBytes(1, Lsn.fromBytes(lsn).toBytes());
      try (ResultSet r = ps.executeQuery()) {
        return r.next() ? r.getTimestamp(1) : null;
      }
    }
  }

  /**
   * {@code sys.fn_cdc_map_time_to_lsn('largest less than' | 'largest less than or equal' |
   * 'smallest greater than' | 'smallest greater than or equal', time)}.
   */
  public static byte[] fn_cdc_map_time_to_lsn(Connection conn, String operator, Timestamp time)
      throws SQLException {
    String op = operator == null ? "" : operator.trim().toLowerCase(Locale.ROOT);
    String sql;
    switch (op) {
      case "largest less than":
        sql = "WHERE tran_end_time < ? ORDER BY start_lsn DESC";
        break;
      case "largest less than or equal":
        sql = "WHERE tran_end_time <= ? ORDER BY start_lsn DESC";
        break;
      case "smallest greater than":
        sql = "WHERE tran_end_time > ? ORDER BY start_lsn";
        break;
      case "smallest greater than or equal":
        sql = "WHERE tran_end_time >= ? ORDER BY start_lsn";
        break;
      default:
        throw SqlServerErrors.cdcError(
            22986,
            "The relational operator '" + operator + "' is not valid for fn_cdc_map_time_to_lsn.");
    }
    try (PreparedStatement ps =
        conn.prepareStatement("SELECT TOP 1 start_lsn FROM cdc.lsn_time_mapping " + sql)) {
      ps.setTimestamp(1, time);
      try (ResultSet r = ps.executeQuery()) {
        return r.next() ? r.getBytes(1) : null;
      }
    }
  }

  /** Whether the update mask has the bit of a column ordinal (lowest ordinals in the last byte). */
  public static Boolean fn_cdc_is_bit_set(Integer position, byte[] mask) {
    if (position == null || mask == null || position < 1) {
      return null;
    }
    int index = mask.length - 1 - (position - 1) / 8;
    return index >= 0 && (mask[index] & (1 << ((position - 1) % 8))) != 0;
  }

  public static Integer fn_cdc_get_column_ordinal(Connection conn, String instance, String column)
      throws SQLException {
    try (PreparedStatement ps =
        conn.prepareStatement(
            "SELECT cc.column_ordinal FROM cdc.captured_columns cc JOIN cdc.change_tables ct"
                + " ON ct.object_id = cc.object_id WHERE LOWER(ct.capture_instance) = LOWER(?)"
                + " AND LOWER(cc.column_name) = LOWER(?)")) {
      ps.setString(1, instance);
      ps.setString(2, column);
      try (ResultSet r = ps.executeQuery()) {
        return r.next() ? r.getInt(1) : -1;
      }
    }
  }

  /**
   * {@code cdc.fn_cdc_get_all_changes_<instance>(from_lsn, to_lsn, row_filter)}: {@code
   * __$start_lsn, __$seqval, __$operation, __$update_mask} and the captured columns, in no
   * guaranteed order, without {@code __$command_id}. Msg 313 when {@code from_lsn} is below the
   * instance's minimum LSN, {@code to_lsn} above the maximum LSN, {@code from_lsn > to_lsn}, or the
   * filter unknown.
   */
  public static ResultSet fn_cdc_get_all_changes(
      Connection conn, String instance, byte[] from, byte[] to, String filter) throws SQLException {
    SqlServerEmulator emulator = CatalogFunctions.emulator(conn);
    CaptureInstance ci = emulator.cdc().instance(instance);
    String function = "cdc.fn_cdc_get_all_changes_ ...";
    if (ci == null) {
      throw SqlServerErrors.invalidObjectName("cdc.fn_cdc_get_all_changes_" + instance);
    }
    StringBuilder sql =
        new StringBuilder(
            "SELECT \"__$start_lsn\", \"__$seqval\", \"__$operation\", \"__$update_mask\"");
    for (CaptureInstance.Column c : ci.columns) {
      sql.append(", ").append(ObjectName.quote(c.name));
    }
    sql.append(" FROM ").append(ci.changeTable().quoted());
    if (CatalogFunctions.isColumnList(conn)) {
      return conn.createStatement().executeQuery(sql.append(" WHERE FALSE").toString());
    }
    String rowFilter = filter == null ? "" : filter.trim().toLowerCase(Locale.ROOT);
    if (from == null
        || to == null
        || !(rowFilter.equals("all") || rowFilter.equals("all update old"))) {
      throw SqlServerErrors.insufficientArguments(function);
    }
    byte[] min = fn_cdc_get_min_lsn(conn, instance);
    byte[] max = fn_cdc_get_max_lsn(conn);
    if (Lsn.compare(pad(from), min) < 0
        || Lsn.compare(pad(to), max) > 0
        || Lsn.compare(pad(from), pad(to)) > 0) {
      throw SqlServerErrors.insufficientArguments(function);
    }
    sql.append(" WHERE \"__$start_lsn\" >= ? AND \"__$start_lsn\" <= ?");
    if (rowFilter.equals("all")) {
      sql.append(" AND \"__$operation\" <> 3");
    }
    PreparedStatement ps = conn.prepareStatement(sql.toString());
    ps.setBytes(1, pad(from));
    ps.setBytes(2, pad(to));
    return ps.executeQuery();
  }

  private static byte[] pad(byte[] lsn) {
    return lsn.length == Lsn.BYTES ? lsn : Arrays.copyOf(lsn, Lsn.BYTES);
  }
}
