package dev.mssql2mz.demo.emulator;

import dev.mssql2mz.udfs.Lsn;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The emulated transaction log: committed transactions that touched CDC-enabled tables, in commit
 * LSN order, waiting for the capture process.
 *
 * <p>The commit lock makes "assign the commit LSN, commit in H2, append to the log" one atomic step
 * for all connections. So the order of LSNs is the order of H2 commits, and a snapshot taken by H2
 * at any moment contains exactly the transactions with commit LSN up to some value: the property
 * that gives the savepoint LSN of a snapshot transaction its SQL Server meaning (see {@link
 * EmulatorSession}).
 */
final class TransactionLog {

  /** One committed transaction. */
  static final class CommittedTransaction {
    final Lsn beginLsn;
    final Lsn commitLsn;
    final Instant beginTime;
    final Instant endTime;
    final List<RowChange> changes;

    CommittedTransaction(
        Lsn beginLsn, Lsn commitLsn, Instant beginTime, Instant endTime, List<RowChange> changes) {
      this.beginLsn = beginLsn;
      this.commitLsn = commitLsn;
      this.beginTime = beginTime;
      this.endTime = endTime;
      this.changes = changes;
    }
  }

  /** An H2 commit to run under the commit lock. */
  interface Commit {
    void run() throws java.sql.SQLException;
  }

  private final LsnClock clock = new LsnClock();
  private final ReentrantLock commitLock = new ReentrantLock(true);
  private final ArrayDeque<CommittedTransaction> pending = new ArrayDeque<>();
  private volatile Lsn lastCommitLsn = Lsn.MIN;

  /**
   * Commits a transaction: allocates its begin LSN, one LSN per change (its seqval) and the commit
   * LSN above them, runs the H2 commit and appends it to the log, all under the commit lock.
   */
  Lsn commit(List<RowChange> changes, Instant beginTime, Commit h2Commit)
      throws java.sql.SQLException {
    commitLock.lock();
    try {
      Lsn begin = clock.nextBlock();
      for (RowChange change : changes) {
        change.seqval = clock.next();
      }
      Lsn commitLsn = clock.next();
      h2Commit.run();
      append(new CommittedTransaction(begin, commitLsn, beginTime, Instant.now(), changes));
      return commitLsn;
    } finally {
      commitLock.unlock();
    }
  }

  /**
   * A log record of its own (a savepoint, a DDL): an LSN above every commit so far and below every
   * later one.
   */
  Lsn allocate() {
    commitLock.lock();
    try {
      return clock.next();
    } finally {
      commitLock.unlock();
    }
  }

  /**
   * Logs a transaction without row changes (enabling a capture instance): the capture writes its
   * {@code cdc.lsn_time_mapping} row like any other.
   */
  Lsn logEmptyTransaction() {
    commitLock.lock();
    try {
      Lsn begin = clock.nextBlock();
      Lsn commitLsn = clock.next();
      Instant now = Instant.now();
      append(new CommittedTransaction(begin, commitLsn, now, now, Collections.emptyList()));
      return commitLsn;
    } finally {
      commitLock.unlock();
    }
  }

  /**
   * An LSN for an idle capture's mapping row, or null when transactions still wait for capture (a
   * mapping row above them would let readers skip them).
   */
  Lsn allocateIfIdle() {
    commitLock.lock();
    try {
      synchronized (this) {
        if (!pending.isEmpty()) {
          return null;
        }
      }
      return clock.nextBlock();
    } finally {
      commitLock.unlock();
    }
  }

  private synchronized void append(CommittedTransaction tx) {
    pending.addLast(tx);
    lastCommitLsn = tx.commitLsn;
  }

  /** Removes and returns up to {@code max} transactions that ended at or before {@code cutoff}. */
  synchronized List<CommittedTransaction> take(Instant cutoff, int max) {
    List<CommittedTransaction> out = new ArrayList<>();
    while (out.size() < max && !pending.isEmpty()) {
      CommittedTransaction head = pending.peekFirst();
      if (cutoff != null && head.endTime.isAfter(cutoff)) {
        break;
      }
      out.add(pending.pollFirst());
    }
    return out;
  }

  synchronized int pendingCount() {
    return pending.size();
  }

  /** The commit LSN of the last transaction appended (not necessarily captured yet). */
  Lsn lastCommitLsn() {
    return lastCommitLsn;
  }
}
