package dev.mssql2mz.demo.emulator;

import dev.mssql2mz.udfs.Lsn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A seeded, deterministic write workload on a {@link SqlServerEmulator}: creates five tables
 * covering every supported type (the {@code (max)} and legacy large types, a composite key, a
 * non-integer key, a keyless table with duplicate rows, names that need quoting), enables CDC on
 * them, bulk-loads initial rows, then runs transactions of inserts, updates (also of key columns)
 * and deletes, with an occasional very large transaction.
 *
 * <pre>{@code
 * EmulatorWorkload w = EmulatorWorkload.builder(db).seed(7).initialRows(1000).build();
 * w.setUp();                       // tables, CDC, initial rows
 * w.start(); ...; Report r = w.stop();   // or w.step() for one transaction at a time
 * }</pre>
 *
 * For one seed and the same sequence of calls ({@link #step()} or a run of N transactions) the
 * tables end with the same content. Read them with {@link TableContents#read}.
 */
public final class EmulatorWorkload {

  private static final Logger LOG = LoggerFactory.getLogger(EmulatorWorkload.class);

  /** What the workload has written so far. */
  public static final class Report {
    public final long transactions;
    public final long inserts;
    public final long updates;
    public final long keyUpdates;
    public final long deletes;
    public final long largeTransactions;
    public final Lsn lastCommitLsn;

    Report(
        long transactions,
        long inserts,
        long updates,
        long keyUpdates,
        long deletes,
        long largeTransactions,
        Lsn lastCommitLsn) {
      this.transactions = transactions;
      this.inserts = inserts;
      this.updates = updates;
      this.keyUpdates = keyUpdates;
      this.deletes = deletes;
      this.largeTransactions = largeTransactions;
      this.lastCommitLsn = lastCommitLsn;
    }

    @Override
    public String toString() {
      return transactions
          + " transactions ("
          + largeTransactions
          + " large): "
          + inserts
          + " inserts, "
          + updates
          + " updates ("
          + keyUpdates
          + " of keys), "
          + deletes
          + " deletes; last commit LSN "
          + lastCommitLsn;
    }
  }

  private final SqlServerEmulator db;
  private final Random random;
  private final int initialRows;
  private final int maxStatements;
  private final int largeTransactionEvery;
  private final int largeTransactionSize;
  private final int[] weights;
  private final long pauseNanos;
  private final Map<WorkloadTables.Table, List<Object[]>> rows = new HashMap<>();
  private final Map<WorkloadTables.Table, Long> nextId = new HashMap<>();
  private long transactions;
  private long inserts;
  private long updates;
  private long keyUpdates;
  private long deletes;
  private long largeTransactions;
  private Lsn lastCommitLsn;
  private Connection connection;
  private Thread thread;
  private volatile boolean running;
  private volatile Exception failure;

  private EmulatorWorkload(Builder b) {
    this.db = b.db;
    this.random = new Random(b.seed);
    this.initialRows = b.initialRows;
    this.maxStatements = b.maxStatements;
    this.largeTransactionEvery = b.largeTransactionEvery;
    this.largeTransactionSize = b.largeTransactionSize;
    this.weights = new int[] {b.insertWeight, b.updateWeight, b.keyUpdateWeight, b.deleteWeight};
    this.pauseNanos = b.pause.toNanos();
  }

  public static Builder builder(SqlServerEmulator db) {
    return new Builder(db);
  }

  /** The workload's tables as {@code schema.table} (unquoted). */
  public static List<String> tables() {
    List<String> out = new ArrayList<>();
    for (WorkloadTables.Table t : WorkloadTables.ALL) {
      out.add(t.schema + "." + t.name);
    }
    return out;
  }

  /** Creates the tables, enables CDC on the database and each table, and loads initial rows. */
  public synchronized void setUp() throws SQLException {
    db.execute("CREATE SCHEMA [sales]");
    for (WorkloadTables.Table t : WorkloadTables.ALL) {
      db.execute(t.ddl);
      rows.put(t, new ArrayList<>());
      nextId.put(t, 1L);
    }
    db.enableCdc();
    for (WorkloadTables.Table t : WorkloadTables.ALL) {
      db.enableTable(t.schema, t.name);
    }
    for (WorkloadTables.Table t : WorkloadTables.ALL) {
      List<Object[]> fresh = new ArrayList<>();
      for (int i = 0; i < initialRows; i++) {
        fresh.add(WorkloadTables.row(t, nextId(t), random));
      }
      db.bulkLoad(t.schema, t.name, t.columns, fresh.iterator(), 5_000);
      rows.get(t).addAll(fresh);
      inserts += fresh.size();
    }
    LOG.info("Workload: {} tables with {} rows each", WorkloadTables.ALL.size(), initialRows);
  }

  /** Runs one transaction; returns its commit LSN. */
  public synchronized Lsn step() throws SQLException {
    Connection c = connection();
    boolean large = largeTransactionEvery > 0 && (transactions + 1) % largeTransactionEvery == 0;
    try {
      if (large) {
        largeTransaction(c);
      } else {
        int statements = 1 + random.nextInt(maxStatements);
        for (int i = 0; i < statements; i++) {
          statement(c);
        }
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    }
    transactions++;
    Lsn lsn = SqlServerEmulator.lastCommitLsn(c);
    if (lsn != null) {
      lastCommitLsn = lsn;
    }
    return lsn;
  }

  /** Runs {@code n} transactions. */
  public void run(int n) throws SQLException {
    for (int i = 0; i < n; i++) {
      step();
    }
  }

  /** Runs transactions on a background thread until {@link #stop()}. */
  public synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException("The workload is already running");
    }
    running = true;
    thread =
        new Thread(
            () -> {
              try {
                while (running) {
                  step();
                  if (pauseNanos > 0) {
                    LockSupport.parkNanos(pauseNanos);
                  }
                }
              } catch (Exception e) {
                failure = e;
                LOG.error("Workload failed", e);
              }
            },
            "mssql2mz-emulator-workload");
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops the background thread and reports what was written; rethrows a failure of it. */
  public Report stop() throws SQLException, InterruptedException {
    running = false;
    Thread t = thread;
    if (t != null) {
      t.join();
    }
    synchronized (this) {
      thread = null;
      if (failure != null) {
        throw new SQLException("The workload failed: " + failure.getMessage(), failure);
      }
      return report();
    }
  }

  public synchronized Report report() {
    return new Report(
        transactions, inserts, updates, keyUpdates, deletes, largeTransactions, lastCommitLsn);
  }

  /** Closes the workload's connection. */
  public synchronized void close() throws SQLException {
    if (connection != null) {
      connection.close();
      connection = null;
    }
  }

  private void statement(Connection c) throws SQLException {
    WorkloadTables.Table t = WorkloadTables.ALL.get(random.nextInt(WorkloadTables.ALL.size()));
    List<Object[]> existing = rows.get(t);
    int op = pick();
    if (existing.isEmpty() || op == 0) {
      int n = 1 + (random.nextInt(4) == 0 ? random.nextInt(5) : 0);
      for (int i = 0; i < n; i++) {
        Object[] row = WorkloadTables.row(t, nextId(t), random);
        execute(
            c,
            "INSERT INTO "
                + t.objectName().quoted()
                + columnList(t)
                + " VALUES ("
                + "?, ".repeat(t.columns.size() - 1)
                + "?)",
            row);
        existing.add(row);
        inserts++;
      }
      return;
    }
    int index = random.nextInt(existing.size());
    Object[] row = existing.get(index);
    if (op == 1 || (op == 2 && t.keyless())) {
      Object[] change = WorkloadTables.update(t, random);
      int column = t.columns.indexOf((String) change[0]);
      List<Integer> matching = matching(t, row);
      execute(
          c,
          "UPDATE "
              + t.objectName().quoted()
              + " SET "
              + ObjectName.quote((String) change[0])
              + " = ?"
              + where(t),
          concat(new Object[] {change[1]}, keyValues(t, row)));
      for (int i : matching) {
        existing.get(i)[column] = change[1];
      }
      updates++;
    } else if (op == 2) {
      Object[] fresh = WorkloadTables.row(t, nextId(t), random);
      Object[] updated = row.clone();
      StringBuilder set = new StringBuilder();
      List<Object> values = new ArrayList<>();
      for (int k : t.key) {
        set.append(set.length() == 0 ? "" : ", ")
            .append(ObjectName.quote(t.columns.get(k)))
            .append(" = ?");
        values.add(fresh[k]);
        updated[k] = fresh[k];
      }
      execute(
          c,
          "UPDATE " + t.objectName().quoted() + " SET " + set + where(t),
          concat(values.toArray(), keyValues(t, row)));
      existing.set(index, updated);
      keyUpdates++;
      updates++;
    } else {
      List<Integer> matching = matching(t, row);
      execute(c, "DELETE FROM " + t.objectName().quoted() + where(t), keyValues(t, row));
      for (int k = matching.size() - 1; k >= 0; k--) {
        removeAt(existing, matching.get(k));
      }
      deletes += matching.size();
    }
  }

  private void largeTransaction(Connection c) throws SQLException {
    WorkloadTables.Table t = WorkloadTables.EVENTS;
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO " + t.objectName().quoted() + columnList(t) + " VALUES (?, ?, ?)")) {
      for (int i = 0; i < largeTransactionSize; i++) {
        Object[] row = WorkloadTables.row(t, nextId(t), random);
        for (int k = 0; k < row.length; k++) {
          ps.setObject(k + 1, row[k]);
        }
        ps.addBatch();
        rows.get(t).add(row);
        if ((i + 1) % 1000 == 0) {
          ps.executeBatch();
        }
      }
      ps.executeBatch();
    }
    inserts += largeTransactionSize;
    largeTransactions++;
  }

  private int pick() {
    int total = Arrays.stream(weights).sum();
    int x = random.nextInt(total);
    for (int i = 0; i < weights.length; i++) {
      if (x < weights[i]) {
        return i;
      }
      x -= weights[i];
    }
    return 0;
  }

  /** Rows the WHERE clause of {@code row} matches: itself, or all its duplicates when keyless. */
  private List<Integer> matching(WorkloadTables.Table t, Object[] row) {
    List<Integer> out = new ArrayList<>();
    List<Object[]> existing = rows.get(t);
    for (int i = 0; i < existing.size(); i++) {
      if (Arrays.equals(keyValues(t, existing.get(i)), keyValues(t, row))) {
        out.add(i);
      }
    }
    return out;
  }

  private static Object[] keyValues(WorkloadTables.Table t, Object[] row) {
    if (t.keyless()) {
      return row.clone();
    }
    Object[] out = new Object[t.key.length];
    for (int i = 0; i < t.key.length; i++) {
      out[i] = row[t.key[i]];
    }
    return out;
  }

  private static String where(WorkloadTables.Table t) {
    StringBuilder sb = new StringBuilder(" WHERE ");
    if (t.keyless()) {
      for (int i = 0; i < t.columns.size(); i++) {
        sb.append(i == 0 ? "" : " AND ").append(ObjectName.quote(t.columns.get(i))).append(" = ?");
      }
    } else {
      for (int i = 0; i < t.key.length; i++) {
        sb.append(i == 0 ? "" : " AND ")
            .append(ObjectName.quote(t.columns.get(t.key[i])))
            .append(" = ?");
      }
    }
    return sb.toString();
  }

  private static String columnList(WorkloadTables.Table t) {
    StringBuilder sb = new StringBuilder(" (");
    for (int i = 0; i < t.columns.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(ObjectName.quote(t.columns.get(i)));
    }
    return sb.append(")").toString();
  }

  private static void execute(Connection c, String sql, Object[] values) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        ps.setObject(i + 1, values[i]);
      }
      ps.executeUpdate();
    }
  }

  private static Object[] concat(Object[] a, Object[] b) {
    Object[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static void removeAt(List<Object[]> list, int index) {
    int last = list.size() - 1;
    list.set(index, list.get(last));
    list.remove(last);
  }

  private long nextId(WorkloadTables.Table t) {
    long id = nextId.get(t);
    nextId.put(t, id + 1);
    return id;
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      connection = db.adminConnection();
      connection.setAutoCommit(false);
      try (Statement s = connection.createStatement()) {
        s.execute("SET NOCOUNT ON");
      }
    }
    return connection;
  }

  /** Settings of a workload; every one has a default. */
  public static final class Builder {
    private final SqlServerEmulator db;
    private long seed = 42;
    private int initialRows = 1000;
    private int maxStatements = 5;
    private int largeTransactionEvery = 0;
    private int largeTransactionSize = 100_000;
    private int insertWeight = 45;
    private int updateWeight = 30;
    private int keyUpdateWeight = 5;
    private int deleteWeight = 20;
    private Duration pause = Duration.ZERO;

    private Builder(SqlServerEmulator db) {
      this.db = db;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Rows bulk-loaded into each table by {@link EmulatorWorkload#setUp()}. Default 1000. */
    public Builder initialRows(int rows) {
      this.initialRows = rows;
      return this;
    }

    /** Statements per ordinary transaction, 1 to this. Default 5. */
    public Builder maxStatements(int n) {
      this.maxStatements = n;
      return this;
    }

    /** Every n-th transaction is a large one (0: never). Default 0. */
    public Builder largeTransactionEvery(int n) {
      this.largeTransactionEvery = n;
      return this;
    }

    /** Inserts in a large transaction. Default 100,000. */
    public Builder largeTransactionSize(int n) {
      this.largeTransactionSize = n;
      return this;
    }

    /** Relative weights of inserts, updates, key updates and deletes. Default 45/30/5/20. */
    public Builder mix(int insert, int update, int keyUpdate, int delete) {
      this.insertWeight = insert;
      this.updateWeight = update;
      this.keyUpdateWeight = keyUpdate;
      this.deleteWeight = delete;
      return this;
    }

    /**
     * How long the background thread of {@link #start()} waits between transactions (default none:
     * as fast as the emulator takes them). A paced workload keeps tests that wait for the job to
     * catch up independent of how fast the machine writes.
     */
    public Builder pauseBetweenTransactions(Duration pause) {
      if (pause.isNegative()) {
        throw new IllegalArgumentException("The pause must not be negative: " + pause);
      }
      this.pause = pause;
      return this;
    }

    public EmulatorWorkload build() {
      if (maxStatements < 1 || insertWeight + updateWeight + keyUpdateWeight + deleteWeight <= 0) {
        throw new IllegalArgumentException("maxStatements >= 1 and a positive mix are required");
      }
      return new EmulatorWorkload(this);
    }
  }
}
