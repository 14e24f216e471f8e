package dev.mssql2mz.demo.emulator;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.h2.api.Trigger;

/**
 * Stores {@code datetime} and {@code smalldatetime} values as SQL Server does: {@code datetime}
 * counts 1/300 s ticks (so it ends in .000, .003 or .007), {@code smalldatetime} whole minutes.
 *
 * <p>H2 has neither type: both columns are {@code TIMESTAMP(9)} in H2 (so no digit is lost before
 * rounding) and this BEFORE INSERT/UPDATE row trigger rounds the values of the row being written.
 * The capture trigger runs after it, so change rows hold the rounded values too. Public only
 * because H2 instantiates it.
 */
public final class DatetimeRounding implements Trigger {

  private static final byte OTHER = 0;
  private static final byte DATETIME = 1;
  private static final byte SMALLDATETIME = 2;

  private static final LocalDateTime DATETIME_MIN = LocalDateTime.of(1753, 1, 1, 0, 0);
  private static final LocalDateTime DATETIME_MAX =
      LocalDateTime.of(9999, 12, 31, 23, 59, 59, 997_000_000);
  private static final LocalDateTime SMALLDATETIME_MIN = LocalDateTime.of(1900, 1, 1, 0, 0);
  private static final LocalDateTime SMALLDATETIME_MAX = LocalDateTime.of(2079, 6, 6, 23, 59);

  private SqlServerEmulator emulator;
  private ObjectName table;

  /**
   * A {@code datetime} value as SQL Server stores it: rounded half-up to a 1/300 s tick (.9949 ->
   * .993, .995 -> .997, .9995 -> the next second), read back in whole milliseconds as mssql-jdbc
   * reads it (tick 1 -> .003, tick 2 -> .007).
   */
  static LocalDateTime datetime(LocalDateTime value) throws SQLException {
    if (value == null) {
      return null;
    }
    LocalDateTime rounded = toTick(value);
    if (rounded.isBefore(DATETIME_MIN) || rounded.isAfter(DATETIME_MAX)) {
      throw outOfRange("datetime");
    }
    return rounded;
  }

  /**
   * A {@code smalldatetime} value as SQL Server stores it: the value as a {@code datetime} first,
   * then to the nearest minute with 30 s rounding up (29.998 s stays in the minute, because as a
   * datetime it is 29.997; 29.999 s is 30.000 and goes to the next minute).
   */
  static LocalDateTime smalldatetime(LocalDateTime value) throws SQLException {
    if (value == null) {
      return null;
    }
    LocalDateTime asDatetime = toTick(value);
    LocalDateTime minute = asDatetime.truncatedTo(ChronoUnit.MINUTES);
    LocalDateTime rounded = asDatetime.getSecond() >= 30 ? minute.plusMinutes(1) : minute;
    if (rounded.isBefore(SMALLDATETIME_MIN) || rounded.isAfter(SMALLDATETIME_MAX)) {
      throw outOfRange("smalldatetime");
    }
    return rounded;
  }

  private static LocalDateTime toTick(LocalDateTime value) {
    long ticks = (value.getNano() * 300L + 500_000_000L) / 1_000_000_000L;
    long millis = (ticks * 10 + 1) / 3;
    return value.withNano(0).plusNanos(millis * 1_000_000L);
  }

  /** Msg 242, as SQL Server raises it for a value outside the type's range. */
  private static SQLException outOfRange(String type) {
    return new SQLException(
        "The conversion of a datetime2 data type to a "
            + type
            + " data type resulted in an out-of-range value.",
        "22008",
        242);
  }

  @Override
  public void init(
      Connection conn,
      String schemaName,
      String triggerName,
      String tableName,
      boolean before,
      int type)
      throws SQLException {
    emulator = EmulatorDriver.byH2Name(conn.getCatalog());
    // ALTER TABLE rebuilds the table under a copy's name (see CaptureTrigger)
    table = new ObjectName(schemaName, tableName.replaceFirst("_COPY_\\d+_\\d+$", ""));
  }

  @Override
  public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
    byte[] kinds = emulator.datetimeColumns().kinds(table);
    if (kinds == null || newRow == null) {
      return;
    }
    for (int i = 0; i < kinds.length && i < newRow.length; i++) {
      if (kinds[i] == DATETIME) {
        newRow[i] = datetime((LocalDateTime) newRow[i]);
      } else if (kinds[i] == SMALLDATETIME) {
        newRow[i] = smalldatetime((LocalDateTime) newRow[i]);
      }
    }
  }

  /**
   * The tables with {@code datetime} or {@code smalldatetime} columns and where those columns are
   * in the row; refreshed after every DDL statement, since H2 moves columns on ALTER TABLE.
   */
  static final class Columns {
    private final SqlServerEmulator emulator;
    private final Map<ObjectName, byte[]> byTable = new ConcurrentHashMap<>();

    Columns(SqlServerEmulator emulator) {
      this.emulator = emulator;
    }

    byte[] kinds(ObjectName table) {
      return byTable.get(table);
    }

    /** Watches a table that DDL gave such columns; {@link #refresh} installs its trigger. */
    void watch(TsqlDdl.DeclaredTable declared) {
      if (declared.columns.values().stream().anyMatch(t -> kind(t) != OTHER)) {
        byTable.putIfAbsent(declared.table, new byte[0]);
      }
    }

    /** Recomputes the column positions of every table that has such columns. */
    synchronized void refresh() throws SQLException {
      if (byTable.isEmpty()) {
        return;
      }
      try (Connection h2 = emulator.h2Connection()) {
        for (ObjectName declared : byTable.keySet()) {
          ObjectName actual = resolve(h2, declared);
          if (actual == null) {
            byTable.remove(declared);
            continue;
          }
          byTable.put(declared, kindsOf(h2, actual));
          try (Statement s = h2.createStatement()) {
            s.execute(
                "CREATE TRIGGER IF NOT EXISTS "
                    + ObjectName.quote(actual.schema())
                    + "."
                    + ObjectName.quote("emu_datetime_" + actual.name())
                    + " BEFORE INSERT, UPDATE ON "
                    + actual.quoted()
                    + " FOR EACH ROW CALL \""
                    + DatetimeRounding.class.getName()
                    + "\"");
          }
        }
        h2.commit();
      }
    }

    private byte[] kindsOf(Connection h2, ObjectName table) throws SQLException {
      try (PreparedStatement ps =
          h2.prepareStatement(
              "SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = ?"
                  + " AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
        ps.setString(1, table.schema());
        ps.setString(2, table.name());
        StringBuilder kinds = new StringBuilder();
        try (ResultSet r = ps.executeQuery()) {
          while (r.next()) {
            SqlServerType t = emulator.catalog().declaredType(table, r.getString(1));
            kinds.append((char) kind(t));
          }
        }
        byte[] out = new byte[kinds.length()];
        for (int i = 0; i < out.length; i++) {
          out[i] = (byte) kinds.charAt(i);
        }
        return out;
      }
    }

    private static ObjectName resolve(Connection h2, ObjectName table) throws SQLException {
      try (PreparedStatement ps =
          h2.prepareStatement(
              "SELECT TABLE_SCHEMA, TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE"
                  + " LOWER(TABLE_SCHEMA) = LOWER(?) AND LOWER(TABLE_NAME) = LOWER(?)"
                  + " AND TABLE_TYPE = 'BASE TABLE'")) {
        ps.setString(1, table.schema());
        ps.setString(2, table.name());
        try (ResultSet r = ps.executeQuery()) {
          return r.next() ? new ObjectName(r.getString(1), r.getString(2)) : null;
        }
      }
    }

    private static byte kind(SqlServerType type) {
      if (type == null) {
        return OTHER;
      }
      switch (type.name()) {
        case "datetime":
          return DATETIME;
        case "smalldatetime":
          return SMALLDATETIME;
        default:
          return OTHER;
      }
    }
  }
}
