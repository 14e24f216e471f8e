package dev.mssql2mz.demo.emulator;

import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The emulator's table locks: what {@code SELECT ... WITH (TABLOCK, HOLDLOCK)} means on SQL Server,
 * which H2 parses and ignores.
 *
 * <p>A connection that reads with the hint holds a shared lock on the table until its transaction
 * ends. A writer's commit that touches the table waits until no other connection holds it, and a
 * shared lock waits until no commit touching the table is in progress. (SQL Server blocks the
 * writer's statement rather than its commit; for what a reader can observe the two are the same,
 * since H2 never shows uncommitted rows.) All state is under one monitor, so a commit takes the
 * locks of all its tables at once and two commits cannot deadlock each other.
 */
final class TableLocks {

  private final Map<ObjectName, Set<EmulatorSession>> shared = new HashMap<>();
  private final Map<ObjectName, Integer> waitingShared = new HashMap<>();
  private final Map<ObjectName, Integer> committing = new HashMap<>();

  /** Takes a shared lock on {@code table} for {@code session}, waiting for running commits. */
  synchronized void lockShared(EmulatorSession session, ObjectName table, long timeoutMillis)
      throws SQLException {
    Set<EmulatorSession> holders = shared.get(table);
    if (holders != null && holders.contains(session)) {
      return;
    }
    waitingShared.merge(table, 1, Integer::sum);
    try {
      long deadline = System.currentTimeMillis() + timeoutMillis;
      while (committing.getOrDefault(table, 0) > 0) {
        awaitUntil(deadline);
      }
      shared.computeIfAbsent(table, t -> new HashSet<>()).add(session);
    } finally {
      if (waitingShared.merge(table, -1, Integer::sum) == 0) {
        waitingShared.remove(table);
      }
      notifyAll();
    }
  }

  /** Releases every shared lock of {@code session}: its transaction ended. */
  synchronized void releaseAll(EmulatorSession session) {
    shared.values().forEach(h -> h.remove(session));
    shared.values().removeIf(Set::isEmpty);
    notifyAll();
  }

  /** Whether {@code session} holds any shared lock. */
  synchronized boolean holdsAny(EmulatorSession session) {
    return shared.values().stream().anyMatch(h -> h.contains(session));
  }

  /**
   * Waits until no other connection holds or waits for a shared lock on any of {@code tables}, then
   * marks them as being committed to.
   */
  synchronized void beginCommit(
      EmulatorSession session, Collection<ObjectName> tables, long timeoutMillis)
      throws SQLException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (blocked(session, tables)) {
      awaitUntil(deadline);
    }
    for (ObjectName t : tables) {
      committing.merge(t, 1, Integer::sum);
    }
  }

  synchronized void endCommit(Collection<ObjectName> tables) {
    for (ObjectName t : tables) {
      if (committing.merge(t, -1, Integer::sum) == 0) {
        committing.remove(t);
      }
    }
    notifyAll();
  }

  private boolean blocked(EmulatorSession session, Collection<ObjectName> tables) {
    for (ObjectName t : tables) {
      Set<EmulatorSession> holders = shared.get(t);
      boolean ownLock = holders != null && holders.contains(session);
      if (holders != null && !holders.isEmpty() && !(ownLock && holders.size() == 1)) {
        return true;
      }
      if (!ownLock && waitingShared.getOrDefault(t, 0) > 0) {
        return true;
      }
    }
    return false;
  }

  private void awaitUntil(long deadline) throws SQLException {
    long left = deadline - System.currentTimeMillis();
    if (left <= 0) {
      throw SqlServerErrors.lockTimeout();
    }
    try {
      wait(left);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("Interrupted while waiting for a table lock", "HY008", 0, e);
    }
  }
}
