package dev.mssql2mz.source.reader;

import dev.mssql2mz.sqlserver.JdbcConnectionFactory;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The three connections of a reader: one holds the brief table lock, one reads snapshots in
 * SNAPSHOT transactions, one reads change tables and LSN functions with auto-commit.
 */
final class Connections implements AutoCloseable {

  private final JdbcConnectionFactory factory;
  private Connection lock;
  private Connection snapshot;
  private Connection cdc;

  Connections(JdbcConnectionFactory factory) {
    this.factory = factory;
  }

  Connection lock() throws SQLException {
    if (lock == null || lock.isClosed()) {
      lock = factory.open();
      lock.setAutoCommit(false);
      lock.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    }
    return lock;
  }

  Connection snapshot() throws SQLException {
    if (snapshot == null || snapshot.isClosed()) {
      snapshot = factory.open();
    }
    return snapshot;
  }

  Connection cdc() throws SQLException {
    if (cdc == null || cdc.isClosed()) {
      cdc = factory.open();
      cdc.setAutoCommit(true);
    }
    return cdc;
  }

  @Override
  public void close() {
    for (Connection c : new Connection[] {lock, snapshot, cdc}) {
      if (c != null) {
        try {
          c.close();
        } catch (SQLException ignored) {
          // closing anyway
        }
      }
    }
    lock = snapshot = cdc = null;
  }
}
