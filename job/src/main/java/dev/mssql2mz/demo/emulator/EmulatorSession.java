package dev.mssql2mz.demo.emulator;

import dev.mssql2mz.udfs.Lsn;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The server side of one emulator connection: its login, its transaction as SQL Server would run
 * it, and the row changes the capture trigger buffered for that transaction.
 *
 * <p>The H2 connection underneath never auto-commits: the emulator decides when a transaction ends
 * (after each statement in auto-commit mode, at {@code COMMIT} otherwise), because a commit must
 * get its LSN and be appended to the log atomically with the H2 commit ({@link TransactionLog}).
 *
 * <p><b>Why the savepoint LSN is exact.</b> The product learns the LSN of a snapshot like
 * Materialize does: connection L takes {@code SELECT ... WITH (TABLOCK, HOLDLOCK)} on the table;
 * connection S starts a SNAPSHOT transaction and reads (H2 fixes the snapshot at S's first
 * statement); S runs {@code SAVE TRANSACTION}, which takes a fresh LSN from the log; L rolls back.
 * Every H2 commit happens under the commit lock together with its LSN, so the snapshot holds
 * exactly the commits with LSN below some point P, and the savepoint LSN is above every commit
 * before it. A commit touching the table between S's first read and the savepoint would have an LSN
 * below the savepoint LSN and yet be invisible; it cannot happen, because such a commit waits for
 * L's lock ({@link TableLocks}). So every write to the table that S sees has an LSN at or below the
 * savepoint LSN and every write S does not see has a higher one: the meaning {@code
 * sys.dm_tran_database_transactions.database_transaction_most_recent_savepoint_lsn} has on SQL
 * Server.
 */
final class EmulatorSession {

  /** The session whose statement is running on this thread: read by triggers and functions. */
  static final ThreadLocal<EmulatorSession> CURRENT = new ThreadLocal<>();

  /** mssql-jdbc's {@code SQLServerConnection.TRANSACTION_SNAPSHOT}. */
  static final int SQLSERVER_SNAPSHOT = 4096;

  private static final int H2_SNAPSHOT = 6;

  final SqlServerEmulator emulator;
  final Connection h2;
  final String user;
  final boolean productUser;
  final int spid;

  private boolean autoCommit = true;
  private int tranCount;
  private volatile int isolation = Connection.TRANSACTION_READ_COMMITTED;

  private final List<RowChange> buffer = new ArrayList<>();
  private final Set<ObjectName> touched = new LinkedHashSet<>();
  private final Map<String, int[]> savepoints = new LinkedHashMap<>();
  private long statementSeq;
  private long lastChangeStatement = -1;
  private int commandId;
  // read by the DMV functions from other sessions
  private volatile boolean transactionStarted;
  private volatile long transactionId;
  private volatile Instant transactionBegin;
  private volatile Lsn savepointLsn;
  private volatile Lsn lastCommitLsn;
  private volatile boolean closed;

  EmulatorSession(
      SqlServerEmulator emulator, Connection h2, String user, boolean productUser, int spid)
      throws SQLException {
    this.emulator = emulator;
    this.h2 = h2;
    this.user = user;
    this.productUser = productUser;
    this.spid = spid;
    h2.setAutoCommit(false);
    h2.setSchema(ObjectName.DEFAULT_SCHEMA);
    h2.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
  }

  /** A statement's work on H2. */
  interface H2Call<T> extends Callable<T> {
    @Override
    T call() throws SQLException;
  }

  /**
   * Runs one statement: an emulator action, or {@code call} (the statement on H2) with the
   * transaction handling SQL Server would do around it. Returns null for actions.
   */
  <T> T run(TsqlCommand command, Map<Integer, Object> parameters, H2Call<T> call)
      throws SQLException {
    checkOpen();
    if (command.kind() != TsqlCommand.Kind.SQL) {
      perform(command, parameters);
      return null;
    }
    if (productUser) {
      emulator.permissions().check(command.sql());
    }
    if (isolation == SQLSERVER_SNAPSHOT && !emulator.isSnapshotIsolationAllowed()) {
      throw SqlServerErrors.snapshotIsolationNotAllowed(emulator.database());
    }
    if (command.truncatedTable() != null
        && emulator.cdc().tracked(command.truncatedTable()) != null) {
      throw SqlServerErrors.truncateOfTrackedTable(command.truncatedTable().toString());
    }
    if (command.isDdl()) {
      // H2 commits implicitly before DDL; commit first so the LSN and log stay in step.
      commit();
    }
    startTransaction();
    for (ObjectName table : command.lockTables()) {
      emulator.tableLocks().lockShared(this, table, emulator.lockTimeoutMillis());
    }
    int mark = buffer.size();
    int commandMark = commandId;
    statementSeq++;
    T result;
    EmulatorSession previous = CURRENT.get();
    CURRENT.set(this);
    try {
      result = call.call();
    } catch (SQLException | RuntimeException e) {
      truncate(mark, commandMark);
      if (autoCommitMode()) {
        rollback();
      }
      throw e;
    } finally {
      CURRENT.set(previous);
    }
    if (command.declaredTable() != null) {
      emulator.catalog().declare(command.declaredTable());
      emulator.datetimeColumns().watch(command.declaredTable());
    }
    if (command.isDdl()) {
      emulator.cdc().refreshLayouts();
      emulator.datetimeColumns().refresh();
      endTransaction();
    }
    if (autoCommitMode()) {
      commit();
    }
    return result;
  }

  /** Called by the capture trigger, on this session's thread, for each changed row. */
  void recordChange(TrackedTable table, Object[] before, Object[] after) {
    if (lastChangeStatement != statementSeq) {
      lastChangeStatement = statementSeq;
      commandId++;
    }
    buffer.add(
        new RowChange(
            table,
            table.layout(),
            commandId,
            before == null ? null : before.clone(),
            after == null ? null : after.clone()));
    touched.add(table.name);
  }

  private void perform(TsqlCommand command, Map<Integer, Object> parameters) throws SQLException {
    switch (command.kind()) {
      case BEGIN:
        startTransaction();
        tranCount++;
        break;
      case COMMIT:
        if (tranCount > 1) {
          tranCount--;
        } else {
          commit();
        }
        break;
      case ROLLBACK:
        rollback();
        break;
      case SAVE:
        save(command.name());
        break;
      case ROLLBACK_TO:
        rollbackTo(command.name());
        break;
      case SET_ISOLATION:
        setIsolation(isolationLevel(command.name()));
        break;
      case SET_SNAPSHOT_ISOLATION:
        requireAdmin("ALTER DATABASE");
        checkDatabase(command.args().get(0).value);
        emulator.setSnapshotIsolation("ON".equals(command.args().get(1).value));
        break;
      case PROCEDURE:
        if (productUser) {
          throw SqlServerErrors.permissionDenied(
              "EXECUTE", command.name(), emulator.database(), "sys");
        }
        commit(); // like DDL, CDC procedures run in their own transaction here
        CdcProcedures.execute(emulator.cdc(), command.name(), command.args(), parameters);
        break;
      case PERMISSION:
        requireAdmin(command.args().get(0).value);
        applyPermission(command.args());
        break;
      case USE:
        checkDatabase(command.name());
        break;
      case NOOP:
      default:
        break;
    }
  }

  private void applyPermission(List<TsqlCommand.Arg> args) throws SQLException {
    String verb = args.get(0).value;
    String principal = args.get(4).value;
    if (!principal.equalsIgnoreCase(emulator.user())) {
      throw new SQLException(
          "Cannot find the user '"
              + principal
              + "', because it does not exist or you do not have"
              + " permission.",
          "S0001",
          15151);
    }
    String cls = args.get(2).value;
    String securable = args.get(3).value;
    if (securable == null) {
      cls = "DATABASE";
    } else if (cls == null) {
      cls = "OBJECT";
    }
    for (String permission : args.get(1).value.split(",")) {
      if (verb.equals("GRANT")) {
        emulator.permissions().grant(permission, cls, securable);
      } else {
        emulator.permissions().revoke(permission, cls, securable);
      }
    }
  }

  /** {@code SAVE TRANSACTION}: an H2 savepoint and a fresh LSN, see the class comment. */
  void save(String name) throws SQLException {
    if (autoCommitMode()) {
      throw new SQLException(
          "The SAVE TRANSACTION request has no corresponding BEGIN TRANSACTION.", "S0001", 628);
    }
    startTransaction();
    try (Statement s = h2.createStatement()) {
      s.execute("SAVEPOINT " + ObjectName.quote(name));
    }
    savepoints.remove(name);
    savepoints.put(name, new int[] {buffer.size(), commandId});
    savepointLsn = emulator.log().allocate();
  }

  void rollbackTo(String name) throws SQLException {
    int[] mark = savepoints.get(name);
    if (mark == null) {
      rollback();
      return;
    }
    try (Statement s = h2.createStatement()) {
      s.execute("ROLLBACK TO SAVEPOINT " + ObjectName.quote(name));
    }
    truncate(mark[0], mark[1]);
    boolean after = false;
    for (var it = savepoints.keySet().iterator(); it.hasNext(); ) {
      String key = it.next();
      if (after) {
        it.remove();
      }
      after |= key.equals(name);
    }
  }

  void setIsolation(int level) throws SQLException {
    if (level == SQLSERVER_SNAPSHOT) {
      if (!emulator.isSnapshotIsolationAllowed()) {
        throw SqlServerErrors.snapshotIsolationNotAllowed(emulator.database());
      }
      h2.setTransactionIsolation(H2_SNAPSHOT);
    } else {
      h2.setTransactionIsolation(level);
    }
    isolation = level;
  }

  int isolation() {
    return isolation;
  }

  void setAutoCommit(boolean on) throws SQLException {
    checkOpen();
    if (on && !autoCommit) {
      commit();
    }
    autoCommit = on;
  }

  boolean autoCommit() {
    return autoCommit;
  }

  /**
   * Ends the transaction. With captured changes: waits for table locks, then assigns LSNs, commits
   * in H2 and appends to the log atomically ({@link TransactionLog#commit}).
   */
  void commit() throws SQLException {
    checkOpen();
    try {
      if (buffer.isEmpty()) {
        h2.commit();
        return;
      }
      List<ObjectName> tables = new ArrayList<>(touched);
      List<RowChange> changes = new ArrayList<>(buffer);
      emulator.tableLocks().beginCommit(this, tables, emulator.lockTimeoutMillis());
      try {
        lastCommitLsn =
            emulator
                .log()
                .commit(
                    changes,
                    transactionBegin == null ? Instant.now() : transactionBegin,
                    h2::commit);
      } finally {
        emulator.tableLocks().endCommit(tables);
      }
    } finally {
      endTransaction();
    }
  }

  void rollback() throws SQLException {
    checkOpen();
    try {
      h2.rollback();
    } finally {
      endTransaction();
    }
  }

  /** The commit LSN of this connection's last transaction with captured changes, or null. */
  Lsn lastCommitLsn() {
    return lastCommitLsn;
  }

  /** {@code database_transaction_most_recent_savepoint_lsn} of the open transaction, or null. */
  Lsn savepointLsn() {
    return savepointLsn;
  }

  boolean hasOpenTransaction() {
    return transactionStarted;
  }

  long transactionId() {
    return transactionId;
  }

  Instant transactionBegin() {
    return transactionBegin;
  }

  int tranCount() {
    return autoCommitMode() ? 0 : Math.max(tranCount, 1);
  }

  void close() throws SQLException {
    if (closed) {
      return;
    }
    try {
      if (transactionStarted) {
        rollback();
      }
    } finally {
      closed = true;
      emulator.tableLocks().releaseAll(this);
      emulator.sessionClosed(this);
      h2.close();
    }
  }

  boolean isClosed() {
    return closed;
  }

  private boolean autoCommitMode() {
    return autoCommit && tranCount == 0;
  }

  private void startTransaction() {
    if (!transactionStarted) {
      transactionStarted = true;
      transactionId = emulator.nextTransactionId();
      transactionBegin = Instant.now();
    }
  }

  private void endTransaction() {
    buffer.clear();
    touched.clear();
    savepoints.clear();
    savepointLsn = null;
    commandId = 0;
    lastChangeStatement = -1;
    tranCount = 0;
    transactionStarted = false;
    transactionBegin = null;
    emulator.tableLocks().releaseAll(this);
  }

  private void truncate(int size, int command) {
    while (buffer.size() > size) {
      buffer.remove(buffer.size() - 1);
    }
    commandId = command;
    lastChangeStatement = -1;
  }

  private void requireAdmin(String what) throws SQLException {
    if (productUser) {
      throw new SQLException(
          "User '" + user + "' does not have permission to run " + what + ".", "S0001", 15247);
    }
  }

  private void checkDatabase(String name) throws SQLException {
    if (!emulator.database().equalsIgnoreCase(name)) {
      throw new SQLException(
          "Database '" + name + "' does not exist. Make sure that the name is entered correctly.",
          "S0001",
          911);
    }
  }

  private void checkOpen() throws SQLException {
    if (closed) {
      throw new SQLException("The connection is closed.", "08S01");
    }
  }

  private static int isolationLevel(String text) throws SQLException {
    switch (text.toUpperCase(Locale.ROOT)) {
      case "READ UNCOMMITTED":
        return Connection.TRANSACTION_READ_UNCOMMITTED;
      case "READ COMMITTED":
        return Connection.TRANSACTION_READ_COMMITTED;
      case "REPEATABLE READ":
        return Connection.TRANSACTION_REPEATABLE_READ;
      case "SERIALIZABLE":
        return Connection.TRANSACTION_SERIALIZABLE;
      case "SNAPSHOT":
        return SQLSERVER_SNAPSHOT;
      default:
        throw new SQLException("Incorrect syntax near '" + text + "'.", "S0001", 102);
    }
  }
}
