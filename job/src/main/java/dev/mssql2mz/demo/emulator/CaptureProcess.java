package dev.mssql2mz.demo.emulator;

import dev.mssql2mz.udfs.Lsn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emulated capture job: a thread that wakes every poll interval and moves committed
 * transactions from the {@link TransactionLog} into the {@code cdc.<instance>_CT} tables, {@code
 * cdc.lsn_time_mapping} and {@code sys.dm_cdc_log_scan_sessions}, at most {@code maxTrans}
 * transactions per scan and {@code maxScans} scans per cycle, and only transactions older than the
 * capture delay. So {@code sys.fn_cdc_get_max_lsn()} lags commits exactly as on SQL Server. An idle
 * database gets a mapping row with a fresh LSN every few polls, as SQL Server's does.
 *
 * <p>Change rows follow SQL Server: {@code __$operation} 1 delete, 2 insert, 3/4 update before and
 * after; an update that changes the capture instance's index key is a delete (1) and an insert (2)
 * sharing a seqval; {@code __$update_mask} has the bit of each captured column ordinal (all for
 * inserts and deletes, changed ones for updates), lowest ordinals in the last byte; {@code text},
 * {@code ntext}, {@code image} are NULL in 1 and 3 rows; {@code varchar(max)}, {@code
 * nvarchar(max)}, {@code varbinary(max)} are NULL in 3 and 4 rows when unchanged.
 */
final class CaptureProcess implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CaptureProcess.class);
  private static final byte[] NO_TRANSACTION = new byte[Lsn.BYTES];
  private static final int KEPT_SCAN_SESSIONS = 100;

  private final SqlServerEmulator emulator;
  private final Duration interval;
  private final Duration delay;
  private final int maxTrans;
  private final int maxScans;
  private final int idleAdvanceEvery;
  private final Object cycleLock = new Object();
  private final Object progress = new Object();

  private volatile boolean running = true;
  private volatile boolean jobEnabled = true;
  private volatile Lsn capturedUpTo = Lsn.MIN;
  private Thread thread;
  private Connection h2;
  private int idleCycles;
  private int sessionId;
  private long rowsWritten;

  CaptureProcess(
      SqlServerEmulator emulator,
      Duration interval,
      Duration delay,
      int maxTrans,
      int maxScans,
      int idleAdvanceEvery) {
    this.emulator = emulator;
    this.interval = interval;
    this.delay = delay;
    this.maxTrans = maxTrans;
    this.maxScans = maxScans;
    this.idleAdvanceEvery = idleAdvanceEvery;
  }

  /** Starts the background thread; without an interval the capture runs only on demand. */
  void start() {
    if (interval == null) {
      return;
    }
    thread = new Thread(this::loop, "mssql2mz-emulator-capture-" + emulator.database());
    thread.setDaemon(true);
    thread.start();
  }

  /** {@code sys.sp_cdc_stop_job}: no background cycles until {@link #startJob()}. */
  void stopJob() {
    jobEnabled = false;
    LOG.info("Emulator {}: capture job stopped", emulator.database());
  }

  void startJob() {
    jobEnabled = true;
    LOG.info("Emulator {}: capture job started", emulator.database());
  }

  boolean isJobEnabled() {
    return jobEnabled;
  }

  /** The highest LSN capture has written to {@code cdc.lsn_time_mapping}. */
  Lsn capturedUpTo() {
    return capturedUpTo;
  }

  long rowsWritten() {
    return rowsWritten;
  }

  /**
   * Captures every transaction committed so far, ignoring delay and batch limits (even with the job
   * stopped); returns the max LSN afterwards.
   */
  Lsn captureNow() throws SQLException {
    synchronized (cycleLock) {
      while (scan(null, Integer.MAX_VALUE) > 0) {
        // until the log is drained
      }
    }
    return capturedUpTo;
  }

  /** Waits until capture has processed {@code lsn}; true if it did before the timeout. */
  boolean awaitCaptured(Lsn lsn, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      while (capturedUpTo.isBefore(lsn)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        progress.wait(Math.max(1, left / 1_000_000));
      }
    }
    return true;
  }

  private void loop() {
    while (running) {
      try {
        Thread.sleep(interval.toMillis());
        if (jobEnabled && running) {
          cycle();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (SQLException | RuntimeException e) {
        if (running) {
          LOG.warn("Emulator {}: capture cycle failed", emulator.database(), e);
        }
      }
    }
  }

  /** One poll of the capture job. */
  void cycle() throws SQLException {
    synchronized (cycleLock) {
      Instant cutoff = Instant.now().minus(delay);
      int transactions = 0;
      for (int i = 0; i < maxScans; i++) {
        int n = scan(cutoff, maxTrans);
        transactions += n;
        if (n < maxTrans) {
          break;
        }
      }
      if (transactions > 0) {
        idleCycles = 0;
      } else if (idleAdvanceEvery > 0 && ++idleCycles >= idleAdvanceEvery) {
        idleCycles = 0;
        advanceIdle();
      }
    }
  }

  private int scan(Instant cutoff, int max) throws SQLException {
    List<TransactionLog.CommittedTransaction> batch = emulator.log().take(cutoff, max);
    Instant start = Instant.now();
    Connection c = connection();
    long records = 0;
    long commands = 0;
    Map<CaptureInstance, PreparedStatement> inserts = new HashMap<>();
    try {
      try (PreparedStatement mapping =
          c.prepareStatement("INSERT INTO cdc.lsn_time_mapping VALUES (?, ?, ?, ?, ?)")) {
        for (TransactionLog.CommittedTransaction tx : batch) {
          for (RowChange change : tx.changes) {
            records++;
            for (CaptureInstance ci : change.table.instances) {
              if (tx.commitLsn.isAfter(ci.createLsn)) {
                commands += writeChange(c, inserts, ci, tx, change);
              }
            }
          }
          mapping.setBytes(1, tx.commitLsn.toBytes());
          mapping.setTimestamp(2, Timestamp.from(tx.beginTime));
          mapping.setTimestamp(3, Timestamp.from(tx.endTime));
          mapping.setBytes(4, tx.beginLsn.toBytes());
          mapping.setBytes(5, tx.beginLsn.toBytes());
          mapping.addBatch();
        }
        for (PreparedStatement ps : inserts.values()) {
          ps.executeBatch();
        }
        mapping.executeBatch();
      }
      writeScanSession(c, start, batch, records, commands);
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      for (PreparedStatement ps : inserts.values()) {
        ps.close();
      }
    }
    rowsWritten += commands;
    if (!batch.isEmpty()) {
      advanceTo(batch.get(batch.size() - 1).commitLsn);
    }
    return batch.size();
  }

  private int writeChange(
      Connection c,
      Map<CaptureInstance, PreparedStatement> inserts,
      CaptureInstance ci,
      TransactionLog.CommittedTransaction tx,
      RowChange change)
      throws SQLException {
    PreparedStatement ps = inserts.get(ci);
    if (ps == null) {
      StringBuilder sql =
          new StringBuilder("INSERT INTO ")
              .append(ci.changeTable().quoted())
              .append(" (\"__$start_lsn\", \"__$end_lsn\", \"__$seqval\", \"__$operation\",")
              .append(" \"__$update_mask\"");
      for (CaptureInstance.Column col : ci.columns) {
        sql.append(", ").append(ObjectName.quote(col.name));
      }
      sql.append(", \"__$command_id\") VALUES (?, NULL, ?, ?, ?");
      sql.append(", ?".repeat(ci.columns.size())).append(", ?)");
      ps = c.prepareStatement(sql.toString());
      inserts.put(ci, ps);
    }
    int[] positions = positions(ci, change.layout);
    if (change.before == null) {
      addRow(ps, ci, tx, change, 2, allBits(ci), change.after, positions, null);
      return 1;
    }
    if (change.after == null) {
      addRow(ps, ci, tx, change, 1, allBits(ci), change.before, positions, null);
      return 1;
    }
    if (keyChanged(ci, change, positions)) {
      addRow(ps, ci, tx, change, 1, allBits(ci), change.before, positions, null);
      addRow(ps, ci, tx, change, 2, allBits(ci), change.after, positions, null);
      return 2;
    }
    boolean[] changed = new boolean[ci.columns.size()];
    for (int i = 0; i < changed.length; i++) {
      int p = positions[i];
      changed[i] = p >= 0 && !valueEquals(change.before[p], change.after[p]);
    }
    byte[] mask = mask(ci, changed);
    addRow(ps, ci, tx, change, 3, mask, change.before, positions, changed);
    addRow(ps, ci, tx, change, 4, mask, change.after, positions, changed);
    return 2;
  }

  private void addRow(
      PreparedStatement ps,
      CaptureInstance ci,
      TransactionLog.CommittedTransaction tx,
      RowChange change,
      int operation,
      byte[] mask,
      Object[] row,
      int[] positions,
      boolean[] changed)
      throws SQLException {
    ps.setBytes(1, tx.commitLsn.toBytes());
    ps.setBytes(2, change.seqval.toBytes());
    ps.setInt(3, operation);
    ps.setBytes(4, mask);
    for (int i = 0; i < ci.columns.size(); i++) {
      CaptureInstance.Column col = ci.columns.get(i);
      int p = positions[i];
      Object value = p < 0 ? null : row[p];
      if (col.type.isLegacyLargeValue() && (operation == 1 || operation == 3)) {
        value = null;
      }
      if (col.type.isMaxValue() && changed != null && !changed[i]) {
        value = null;
      }
      ps.setObject(5 + i, value);
    }
    ps.setInt(5 + ci.columns.size(), change.commandId);
    ps.addBatch();
  }

  private final Map<CaptureInstance, IdentityHashMap<String[], int[]>> positionCache =
      new HashMap<>();

  /** Where each captured column sits in a row of {@code layout}; -1 if it was dropped. */
  private int[] positions(CaptureInstance ci, String[] layout) {
    return positionCache
        .computeIfAbsent(ci, k -> new IdentityHashMap<>())
        .computeIfAbsent(
            layout,
            l -> {
              int[] p = new int[ci.columns.size()];
              for (int i = 0; i < p.length; i++) {
                p[i] = -1;
                for (int j = 0; j < l.length; j++) {
                  if (l[j].equals(ci.columns.get(i).name)) {
                    p[i] = j;
                  }
                }
              }
              return p;
            });
  }

  private static boolean keyChanged(CaptureInstance ci, RowChange change, int[] positions) {
    for (String key : ci.indexColumns) {
      for (int i = 0; i < ci.columns.size(); i++) {
        if (ci.columns.get(i).name.equals(key)) {
          int p = positions[i];
          if (p >= 0 && !valueEquals(change.before[p], change.after[p])) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean valueEquals(Object a, Object b) {
    if (a instanceof byte[] && b instanceof byte[]) {
      return java.util.Arrays.equals((byte[]) a, (byte[]) b);
    }
    if (a instanceof java.math.BigDecimal && b instanceof java.math.BigDecimal) {
      return ((java.math.BigDecimal) a).compareTo((java.math.BigDecimal) b) == 0;
    }
    return Objects.equals(a, b);
  }

  private static byte[] allBits(CaptureInstance ci) {
    boolean[] all = new boolean[ci.columns.size()];
    java.util.Arrays.fill(all, true);
    return mask(ci, all);
  }

  /** The update mask: bit (ordinal - 1) % 8 of byte (length - 1 - (ordinal - 1) / 8). */
  static byte[] mask(CaptureInstance ci, boolean[] set) {
    int n = ci.columns.size();
    byte[] mask = new byte[Math.max(1, (n + 7) / 8)];
    for (int i = 0; i < n; i++) {
      if (set[i]) {
        int ordinal = ci.columns.get(i).ordinal;
        mask[mask.length - 1 - (ordinal - 1) / 8] |= (byte) (1 << ((ordinal - 1) % 8));
      }
    }
    return mask;
  }

  private void advanceIdle() throws SQLException {
    Lsn lsn = emulator.log().allocateIfIdle();
    if (lsn == null) {
      return;
    }
    Connection c = connection();
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO cdc.lsn_time_mapping VALUES (?, ?, ?, ?, ?)")) {
      Timestamp now = Timestamp.from(Instant.now());
      ps.setBytes(1, lsn.toBytes());
      ps.setTimestamp(2, now);
      ps.setTimestamp(3, now);
      ps.setBytes(4, NO_TRANSACTION);
      ps.setBytes(5, lsn.toBytes());
      ps.executeUpdate();
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw e;
    }
    advanceTo(lsn);
  }

  private void writeScanSession(
      Connection c,
      Instant start,
      List<TransactionLog.CommittedTransaction> batch,
      long records,
      long commands)
      throws SQLException {
    if (batch.isEmpty() && sessionId > 0 && sessionId % 10 != 0) {
      sessionId++; // empty scans are counted, one row in ten written
      return;
    }
    sessionId++;
    Instant end = Instant.now();
    TransactionLog.CommittedTransaction first = batch.isEmpty() ? null : batch.get(0);
    TransactionLog.CommittedTransaction last = batch.isEmpty() ? null : batch.get(batch.size() - 1);
    String current = (last != null ? last.commitLsn : capturedUpTo).toString();
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO sys.dm_cdc_log_scan_sessions VALUES (?, ?, ?, ?, 'Done', 0, ?, ?, ?, ?, ?,"
                + " ?, ?, 0, ?, ?, ?, ?, ?, ?, 0)")) {
      ps.setInt(1, sessionId);
      ps.setTimestamp(2, Timestamp.from(start));
      ps.setTimestamp(3, Timestamp.from(end));
      ps.setInt(4, (int) Duration.between(start, end).toSeconds());
      ps.setString(5, first != null ? first.beginLsn.toString() : current);
      ps.setString(6, current);
      ps.setString(7, current);
      ps.setLong(8, batch.size());
      ps.setString(9, last != null ? last.commitLsn.toString() : null);
      ps.setTimestamp(10, last != null ? Timestamp.from(last.endTime) : null);
      ps.setLong(11, records);
      ps.setLong(12, commands);
      ps.setString(13, first != null ? first.beginLsn.toString() : null);
      ps.setString(14, last != null ? last.commitLsn.toString() : null);
      ps.setTimestamp(15, last != null ? Timestamp.from(last.endTime) : null);
      ps.setInt(16, last != null ? (int) Duration.between(last.endTime, end).toSeconds() : 0);
      ps.setInt(17, batch.isEmpty() ? 1 : 0);
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM sys.dm_cdc_log_scan_sessions WHERE session_id <= ?")) {
      ps.setInt(1, sessionId - KEPT_SCAN_SESSIONS);
      ps.executeUpdate();
    }
  }

  private void advanceTo(Lsn lsn) {
    synchronized (progress) {
      if (lsn.isAfter(capturedUpTo)) {
        capturedUpTo = lsn;
      }
      progress.notifyAll();
    }
  }

  private Connection connection() throws SQLException {
    if (h2 == null || h2.isClosed()) {
      h2 = emulator.h2Connection();
    }
    return h2;
  }

  @Override
  public void close() {
    running = false;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (cycleLock) {
      try {
        if (h2 != null) {
          h2.close();
        }
      } catch (SQLException e) {
        LOG.debug("closing the capture connection", e);
      }
    }
  }
}
