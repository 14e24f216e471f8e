package dev.mssql2mz.source.reader;

import dev.mssql2mz.source.ChangeOperation;
import dev.mssql2mz.source.ChangeRecord;
import dev.mssql2mz.source.split.SnapshotChunk;
import dev.mssql2mz.sqlserver.CapturedTable;
import dev.mssql2mz.sqlserver.ChangePosition;
import dev.mssql2mz.sqlserver.JdbcValues;
import dev.mssql2mz.sqlserver.RowPredicate;
import dev.mssql2mz.sqlserver.SourceColumn;
import dev.mssql2mz.sqlserver.SourceTable;
import dev.mssql2mz.sqlserver.SqlServerQueries;
import dev.mssql2mz.udfs.Lsn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one snapshot chunk at an exact LSN, streaming its rows in key order (never the whole chunk
 * in memory).
 *
 * <p>The chunk's LSN comes from Materialize's method: (1) the lock connection takes a shared table
 * lock, so no writer of the table is in flight; (2) the snapshot connection begins a SNAPSHOT
 * transaction and reads one catalog row, which fixes its read point; (3) {@code SAVE TRANSACTION}
 * writes a log record; (4) the lock is released; (5) the savepoint's LSN is read from {@code
 * sys.dm_tran_database_transactions}. Why this LSN splits the changes exactly: a write visible to
 * the scan committed before the read point was fixed, and the read point was fixed before the
 * savepoint record was logged, so its commit LSN is below the savepoint LSN. A write not visible
 * had not committed when the read point was fixed; while the lock was held no writer of the table
 * was in flight, so it began after the lock, and it cannot commit before the lock is released (step
 * 4), which is after the savepoint was logged: its commit LSN is above. Hence: a change applies to
 * this chunk iff its commit LSN is above the chunk's LSN. Capture lag plays no part: unlike a
 * {@code sys.fn_cdc_get_max_lsn()} watermark (apache/flink-cdc#2853), the savepoint LSN is a
 * position in the log itself.
 *
 * <p>A chunk restored after part of it was emitted brings that prefix forward to the new read's LSN
 * with the change table (changes of the prefix range in {@code (prefixAt, new LSN]}), retracts the
 * copies of a cut group of identical keyless rows, and scans the rest: the chunk then equals the
 * table at the new LSN, each row exactly once.
 */
final class ChunkReader {

  private static final Logger LOG = LoggerFactory.getLogger(ChunkReader.class);
  private static final String SAVEPOINT = "mssql2mz_snapshot";

  private enum Phase {
    RETRACT,
    DELTA,
    SCAN,
    FINISH,
    DONE
  }

  private final ChunkState working;
  private final CapturedTable table;
  private final String target;
  private final List<String> order;
  private final Set<String> notNull;
  private final int[] orderIndex;
  private final Connections connections;
  private final int fetchSize;
  private final int pageSize;
  private final Duration pollInterval;
  private final Waiter waiter;

  private Phase phase;
  private Lsn lsn;
  private ChangePosition snapshotPosition;
  private ChangePosition deltaAfter;
  private PreparedStatement scan;
  private ResultSet rows;
  private long started;
  private long rowsRead;

  ChunkReader(
      SnapshotChunk chunk,
      Connections connections,
      int fetchSize,
      int pageSize,
      Duration pollInterval,
      Waiter waiter) {
    this.working = new ChunkState(chunk);
    this.table = chunk.table();
    this.target = table.table().targetName();
    this.order = chunk.orderColumns();
    this.notNull = table.table().notNullColumns();
    this.orderIndex = order.stream().mapToInt(table.table()::columnIndex).toArray();
    this.connections = connections;
    this.fetchSize = fetchSize;
    this.pageSize = pageSize;
    this.pollInterval = pollInterval;
    this.waiter = waiter;
  }

  SnapshotChunk chunk() {
    return working.chunk;
  }

  String splitId() {
    return working.chunk.splitId();
  }

  boolean isDone() {
    return phase == Phase.DONE;
  }

  /** The chunk's LSN, once read. */
  Lsn lsn() {
    return lsn;
  }

  /** The next batch of at most {@code max} elements; empty only once the chunk is done. */
  List<SourceElement> next(int max) throws SQLException, InterruptedException {
    if (phase == null) {
      open();
    }
    List<SourceElement> out = new ArrayList<>();
    while (out.size() < max && phase != Phase.DONE) {
      switch (phase) {
        case RETRACT:
          retract(out, max);
          break;
        case DELTA:
          delta(out, max);
          break;
        case SCAN:
          scan(out, max);
          break;
        case FINISH:
          Lsn done = lsn;
          emit(out, null, s -> ((ChunkState) s).finishedLsn = done);
          closeScan();
          phase = Phase.DONE;
          LOG.info(
              "Snapshot chunk {} read at LSN {}: {} rows in {} ms",
              splitId(),
              lsn,
              rowsRead,
              System.currentTimeMillis() - started);
          break;
        default:
          throw new IllegalStateException(phase.toString());
      }
    }
    return out;
  }

  private void open() throws SQLException, InterruptedException {
    started = System.currentTimeMillis();
    SourceTable t = table.table();
    Connection lockConn = connections.lock();
    Connection snap = connections.snapshot();
    snap.setAutoCommit(true);
    SqlServerQueries.useSnapshotIsolation(snap);
    snap.setAutoCommit(false);
    try {
      SqlServerQueries.lockTableShared(lockConn, t);
      SqlServerQueries.fixSnapshotReadPoint(snap);
      SqlServerQueries.saveTransaction(snap, SAVEPOINT);
    } finally {
      lockConn.rollback();
    }
    lsn = SqlServerQueries.savepointLsn(snap);
    snapshotPosition = ChangePosition.afterAllOf(lsn);
    RowPredicate range =
        RowPredicate.range(order, notNull, working.chunk.lower(), working.chunk.upper());
    if (working.prefixAt != null) {
      // A restored chunk: its prefix stands at prefixAt; bring it to this read's LSN first.
      awaitCapture(lsn);
      ChangeTableReader.checkRetention(connections.cdc(), table, working.prefixAt);
      deltaAfter = working.prefixAt;
      phase = working.groupCount > 0 ? Phase.RETRACT : Phase.DELTA;
      if (working.resumeAfter != null) {
        range =
            RowPredicate.greaterThan(order, notNull, working.resumeAfter, false)
                .and(upperOnly(working.chunk.upper()));
      }
      LOG.info("Resuming snapshot chunk {} after {} at LSN {}", splitId(), working.prefixAt, lsn);
    } else {
      phase = Phase.SCAN;
    }
    scan = SqlServerQueries.chunkScan(snap, t, range, order, fetchSize);
  }

  private RowPredicate upperOnly(Object[] upper) {
    return upper == null
        ? RowPredicate.alwaysTrue()
        : RowPredicate.lessThan(order, notNull, upper, false);
  }

  private void awaitCapture(Lsn needed) throws SQLException, InterruptedException {
    while (true) {
      Lsn max = SqlServerQueries.maxLsn(connections.cdc());
      if (max != null && max.compareTo(needed) >= 0) {
        return;
      }
      waiter.await(pollInterval);
    }
  }

  private void retract(List<SourceElement> out, int max) {
    Object[] row = working.groupRow;
    ChangePosition at = snapshotPosition;
    while (out.size() < max && working.groupCount > 0) {
      working.groupCount--;
      int remaining = working.groupCount;
      emit(
          out,
          new ChangeRecord(target, ChangeOperation.DELETE, at, row),
          s -> ((ChunkState) s).groupCount = remaining);
    }
    if (working.groupCount == 0) {
      emit(
          out,
          null,
          s -> {
            ((ChunkState) s).groupRow = null;
          });
      working.groupRow = null;
      phase = Phase.DELTA;
    }
  }

  private void delta(List<SourceElement> out, int max) throws SQLException {
    if (working.resumeAfter == null) {
      phase = Phase.SCAN;
      return;
    }
    RowPredicate prefix = RowPredicate.lessThan(order, working.resumeAfter, true);
    if (working.chunk.lower() != null) {
      prefix = RowPredicate.greaterThan(order, working.chunk.lower(), true).and(prefix);
    }
    List<DecodedChange> page =
        ChangeTableReader.page(
            connections.cdc(), table, deltaAfter, lsn, prefix, Math.min(pageSize, max));
    for (DecodedChange ch : page) {
      ChangePosition p = ch.position();
      emit(
          out,
          new ChangeRecord(target, ChangeOperation.fromCdcCode(p.operation()), p, ch.values()),
          s -> ((ChunkState) s).prefixAt = p);
      deltaAfter = p;
    }
    if (page.size() < Math.min(pageSize, max)) {
      ChangePosition at = snapshotPosition;
      emit(out, null, s -> ((ChunkState) s).prefixAt = at);
      phase = Phase.SCAN;
    }
  }

  private void scan(List<SourceElement> out, int max) throws SQLException {
    if (rows == null) {
      rows = scan.executeQuery();
    }
    List<SourceColumn> cols = table.table().columns();
    boolean keyed = table.table().hasKey();
    ChangePosition at = snapshotPosition;
    while (out.size() < max) {
      if (!rows.next()) {
        phase = Phase.FINISH;
        return;
      }
      Object[] values = new Object[cols.size()];
      long bytes = 16;
      for (int i = 0; i < values.length; i++) {
        values[i] = JdbcValues.read(rows, i + 1, cols.get(i));
        bytes += RecordSizes.estimate(values[i]);
      }
      rowsRead++;
      Object[] orderValues = orderValues(values);
      SourceElement.StateChange change;
      if (keyed) {
        change =
            s -> {
              ChunkState c = (ChunkState) s;
              c.prefixAt = at;
              c.resumeAfter = orderValues;
            };
      } else {
        // Keyless: identical rows form a group; the prefix ends at the last complete group.
        Object[] previous = working.groupRow;
        if (previous != null && Arrays.deepEquals(orderValues(previous), orderValues)) {
          int count = working.groupCount + 1;
          working.groupCount = count;
          change =
              s -> {
                ChunkState c = (ChunkState) s;
                c.prefixAt = at;
                c.groupCount = count;
              };
        } else {
          Object[] completed = previous == null ? working.resumeAfter : orderValues(previous);
          working.resumeAfter = completed;
          working.groupRow = values;
          working.groupCount = 1;
          change =
              s -> {
                ChunkState c = (ChunkState) s;
                c.prefixAt = at;
                c.resumeAfter = completed;
                c.groupRow = values;
                c.groupCount = 1;
              };
        }
      }
      out.add(
          new SourceElement(
              new ChangeRecord(target, ChangeOperation.SNAPSHOT, at, values), change, bytes));
    }
  }

  private Object[] orderValues(Object[] values) {
    Object[] o = new Object[orderIndex.length];
    for (int i = 0; i < o.length; i++) {
      o[i] = values[orderIndex[i]];
    }
    return o;
  }

  private void emit(List<SourceElement> out, ChangeRecord r, SourceElement.StateChange change) {
    out.add(new SourceElement(r, change, r == null ? 0 : 16));
  }

  private void closeScan() throws SQLException {
    try {
      if (rows != null) {
        rows.close();
      }
      if (scan != null) {
        scan.close();
      }
    } finally {
      rows = null;
      scan = null;
      Connection snap = connections.snapshot();
      snap.commit();
      snap.setAutoCommit(true);
    }
  }

  /** Ends the chunk's transaction early (reader closing or split removed). */
  void abort() {
    try {
      if (rows != null) {
        rows.close();
      }
      if (scan != null) {
        scan.close();
      }
      connections.snapshot().rollback();
    } catch (SQLException ignored) {
      // the connection is closed next
    }
  }
}
