package dev.mssql2mz.demo.emulator;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.api.Trigger;

/**
 * The H2 row trigger on every CDC-enabled table: hands each row image to the writing connection's
 * transaction buffer ({@link EmulatorSession#recordChange}). It runs on the writer's thread, inside
 * its statement. Public only because H2 instantiates it.
 */
public final class CaptureTrigger implements Trigger {

  private SqlServerEmulator emulator;
  private ObjectName table;

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
    // ALTER TABLE rebuilds the table as "<name>_COPY_<n>_<m>" and re-creates the trigger on the
    // copy before renaming it back: the name seen here is the copy's.
    table = new ObjectName(schemaName, tableName.replaceFirst("_COPY_\\d+_\\d+$", ""));
  }

  @Override
  public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
    EmulatorSession session = EmulatorSession.CURRENT.get();
    if (session == null || session.emulator != emulator) {
      throw new SQLException(
          "Write to CDC-enabled table "
              + table
              + " outside the emulator: write through SqlServerEmulator.adminConnection(),"
              + " inTransaction(...) or a connection to its jdbcUrl(), so the change gets an LSN");
    }
    TrackedTable tracked = emulator.cdc().tracked(table);
    if (tracked != null) {
      session.recordChange(tracked, oldRow, newRow);
    }
  }
}
