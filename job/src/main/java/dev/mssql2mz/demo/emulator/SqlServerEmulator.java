package dev.mssql2mz.demo.emulator;

import dev.mssql2mz.udfs.Lsn;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process SQL Server with Change Data Capture, emulated on H2 (MODE=MSSQLServer): the
 * stand-in for SQL Server in tests and the demo.
 *
 * <h2>Start and connect</h2>
 *
 * <pre>{@code
 * try (SqlServerEmulator db = SqlServerEmulator.builder().database("demo")
 *         .captureInterval(Duration.ofMillis(100)).build()) {
 *   Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
 * }
 * }</pre>
 *
 * {@link #jdbcUrl()} ({@code jdbc:mssql2mz-emulator:<name>}) works with {@link
 * java.sql.DriverManager} for the product user {@link #user()}/{@link #password()} (whose
 * permissions tests can {@link #revoke}) and for the admin {@link #adminUser()}; a wrong password
 * fails like SQL Server's Msg 18456. Connections speak T-SQL as SQL Server does; see {@link
 * TsqlRewrites} for the constructs H2 needed help with. Errors carry SQL Server's message numbers
 * ({@code SQLException.getErrorCode()}): 313, 229, 3952, 18456, 208, ...
 *
 * <h2>What the product can query</h2>
 *
 * <ul>
 *   <li>{@code sys.databases} ({@code is_cdc_enabled}, {@code snapshot_isolation_state[_desc]}),
 *       {@code sys.schemas}, {@code sys.tables} ({@code is_tracked_by_cdc}), {@code sys.objects},
 *       {@code sys.columns}, {@code sys.types}, {@code sys.indexes}, {@code sys.index_columns},
 *       {@code INFORMATION_SCHEMA.TABLE_CONSTRAINTS} / {@code KEY_COLUMN_USAGE} (H2's, same
 *       columns), {@code OBJECT_ID}, {@code DB_NAME()}, {@code HAS_PERMS_BY_NAME}.
 *   <li>{@code cdc.change_tables}, {@code cdc.captured_columns}, {@code cdc.index_columns}, {@code
 *       cdc.lsn_time_mapping}, {@code cdc.[<instance>_CT]} (with {@code __$command_id}), {@code
 *       sys.dm_cdc_log_scan_sessions}, {@code sys.dm_tran_database_transactions} and {@code
 *       sys.dm_tran_current_transaction}.
 *   <li>{@code sys.fn_cdc_get_min_lsn}, {@code fn_cdc_get_max_lsn}, {@code fn_cdc_increment_lsn},
 *       {@code fn_cdc_decrement_lsn}, {@code fn_cdc_map_lsn_to_time}, {@code
 *       fn_cdc_map_time_to_lsn}, {@code fn_cdc_is_bit_set}, {@code fn_cdc_get_column_ordinal},
 *       {@code cdc.fn_cdc_get_all_changes_<instance>(from, to, N'all' | N'all update old')} (Msg
 *       313 outside [min LSN, max LSN]). Bind LSNs as 10-byte {@code binary}.
 *   <li>The exact snapshot LSN, Materialize's way: {@code SELECT ... WITH (TABLOCK, HOLDLOCK)} on a
 *       second connection, {@code SET TRANSACTION ISOLATION LEVEL SNAPSHOT} (or {@code
 *       setTransactionIsolation(4096)}), a first read, {@code SAVE TRANSACTION x}, then {@code
 *       database_transaction_most_recent_savepoint_lsn} of {@code
 *       sys.dm_tran_database_transactions} (join {@code sys.dm_tran_current_transaction} or filter
 *       on {@code CURRENT_TRANSACTION_ID()}) is the LSN separating visible from invisible commits
 *       (reasoning in {@link EmulatorSession}).
 * </ul>
 *
 * <h2>Writing and waiting for capture</h2>
 *
 * Create tables with plain T-SQL DDL through {@link #adminConnection()} or {@link #execute}; enable
 * CDC with {@link #enableCdc()} and {@link #enableTable} (or the {@code sys.sp_cdc_*} procedures).
 * Write in transactions through any emulator connection or {@link #inTransaction}, which returns
 * the commit LSN. Only changes made through emulator connections are captured. The capture thread
 * fills the change tables every {@code captureInterval}, for transactions older than {@code
 * captureDelay}; {@code fn_cdc_get_max_lsn()} moves only then. Tests wait with {@link
 * #awaitCaptured(Lsn, Duration)} or force a pass with {@link #captureNow()}. DDL and CDC procedures
 * commit the open transaction first (H2 cannot roll back DDL). Each statement of a JDBC batch,
 * prepared or not, is its own statement ({@code __$command_id}; its own transaction in auto-commit
 * mode), as on SQL Server. {@code datetime} and {@code smalldatetime} values are stored rounded as
 * SQL Server rounds them ({@link DatetimeRounding}). Statements separated by {@code ;} in one
 * string run one by one; only the last one's results come back (no multiple result sets).
 */
public final class SqlServerEmulator implements AutoCloseable {

  /** {@code DB_ID()} of the emulated database. */
  public static final int DATABASE_ID = 5;

  private static final Logger LOG = LoggerFactory.getLogger(SqlServerEmulator.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final String database;
  private final String name;
  private final String h2Name;
  private final String h2Url;
  private final String user;
  private final String password;
  private final String adminUser;
  private final String adminPassword;
  private final long lockTimeoutMillis;
  private final org.h2.Driver h2Driver = new org.h2.Driver();
  private final Connection keepAlive;
  private final EmulatorCatalog catalog = new EmulatorCatalog();
  private final TransactionLog log = new TransactionLog();
  private final TableLocks tableLocks = new TableLocks();
  private final DatetimeRounding.Columns datetimeColumns = new DatetimeRounding.Columns(this);
  private final Permissions permissions;
  private final CdcAdmin cdc;
  private final CaptureProcess capture;
  private final Set<EmulatorSession> sessions = ConcurrentHashMap.newKeySet();
  private final AtomicLong transactionIds = new AtomicLong(1_000_000);
  private final AtomicInteger spids = new AtomicInteger(51);
  private final LocalDateTime createdAt = LocalDateTime.now();
  private volatile boolean cdcEnabled;
  private volatile boolean snapshotIsolation;
  private volatile boolean closed;

  private SqlServerEmulator(Builder b) throws SQLException {
    this.database = b.database;
    this.user = b.user;
    this.password = b.password;
    this.adminUser = b.adminUser;
    this.adminPassword = b.adminPassword;
    this.lockTimeoutMillis = b.lockTimeout.toMillis();
    this.h2Name =
        "mssql2mz_" + b.database.replaceAll("\\W", "_") + "_" + INSTANCES.incrementAndGet();
    String location =
        b.fileDirectory == null
            ? "mem:" + h2Name
            : "file:" + b.fileDirectory.resolve(h2Name).toAbsolutePath();
    this.h2Url =
        "jdbc:h2:"
            + location
            + ";DB_CLOSE_DELAY=-1;MODE=MSSQLServer;"
            // LIKE has no escape character unless ESCAPE names one, as on SQL Server
            + "DEFAULT_ESCAPE=;"
            + "DATABASE_TO_UPPER=FALSE;CASE_INSENSITIVE_IDENTIFIERS=TRUE;LOCK_TIMEOUT="
            + lockTimeoutMillis;
    this.permissions = new Permissions(database);
    this.cdc = new CdcAdmin(this);
    this.name = EmulatorDriver.register(this, b.database, h2Name);
    this.keepAlive = h2Connection();
    catalog.create(keepAlive);
    this.cdcEnabled = b.cdcEnabled;
    this.snapshotIsolation = b.snapshotIsolation;
    this.capture =
        new CaptureProcess(
            this, b.captureInterval, b.captureDelay, b.maxTrans, b.maxScans, b.idleAdvanceEvery);
    capture.start();
    LOG.info(
        "SQL Server emulator {} started at {} (H2 {}, capture every {}, delay {})",
        database,
        jdbcUrl(),
        location.startsWith("mem:") ? "in memory" : location,
        b.captureInterval,
        b.captureDelay);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The emulated database's name ({@code DB_NAME()}). */
  public String database() {
    return database;
  }

  /** {@code jdbc:mssql2mz-emulator:<name>}, for {@link java.sql.DriverManager}. */
  public String jdbcUrl() {
    return EmulatorDriver.URL_PREFIX + name;
  }

  /** The product's login: its permissions can be revoked. */
  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** The DBA's login, with every permission. */
  public String adminUser() {
    return adminUser;
  }

  public String adminPassword() {
    return adminPassword;
  }

  /** A connection as the product user. */
  public Connection connect() throws SQLException {
    return connect(user, password);
  }

  /** A connection as the admin user (DDL, CDC procedures, writes). */
  public Connection adminConnection() throws SQLException {
    return connect(adminUser, adminPassword);
  }

  Connection connect(String login, String secret) throws SQLException {
    if (closed) {
      throw new SQLException("The SQL Server emulator " + name + " is closed", "08001");
    }
    boolean product = Objects.equals(login, user) && Objects.equals(secret, password);
    boolean admin = Objects.equals(login, adminUser) && Objects.equals(secret, adminPassword);
    if (!product && !admin) {
      throw SqlServerErrors.loginFailed(login);
    }
    EmulatorSession session =
        new EmulatorSession(this, h2Connection(), login, product, spids.getAndIncrement());
    sessions.add(session);
    return EmulatorConnections.connection(session, jdbcUrl());
  }

  /** Runs statements one by one on a new admin connection in auto-commit mode. */
  public void execute(String... tsql) throws SQLException {
    try (Connection c = adminConnection();
        Statement s = c.createStatement()) {
      for (String sql : tsql) {
        s.execute(sql);
      }
    }
  }

  /** Work inside one transaction. */
  @FunctionalInterface
  public interface TransactionWork {
    void run(Connection connection) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction on a new admin connection and commits; returns the commit
   * LSN, or null if it changed no CDC-enabled table. Rolls back if {@code work} throws.
   */
  public Lsn inTransaction(TransactionWork work) throws SQLException {
    try (Connection c = adminConnection()) {
      c.setAutoCommit(false);
      try {
        work.run(c);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
      return lastCommitLsn(c);
    }
  }

  /**
   * The commit LSN of the last transaction of an emulator connection that changed a CDC-enabled
   * table, or null.
   */
  public static Lsn lastCommitLsn(Connection emulatorConnection) throws SQLException {
    return emulatorConnection.unwrap(EmulatorSession.class).lastCommitLsn();
  }

  /**
   * Inserts rows fast: batched prepared inserts committed every {@code batchSize} rows (each commit
   * one transaction in the log if the table is CDC-enabled). Returns the rows inserted.
   */
  public long bulkLoad(
      String schema, String table, List<String> columns, Iterator<Object[]> rows, int batchSize)
      throws SQLException {
    StringBuilder sql =
        new StringBuilder("INSERT INTO ")
            .append(new ObjectName(schema, table).quoted())
            .append(" (");
    for (int i = 0; i < columns.size(); i++) {
      sql.append(i == 0 ? "" : ", ").append(ObjectName.quote(columns.get(i)));
    }
    sql.append(") VALUES (").append("?, ".repeat(columns.size() - 1)).append("?)");
    long n = 0;
    // Tables without CDC need no capture: write to H2 directly, without the T-SQL layer.
    boolean tracked = cdc.tracked(new ObjectName(schema, table)) != null;
    try (Connection c = tracked ? adminConnection() : h2Connection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        int inBatch = 0;
        while (rows.hasNext()) {
          Object[] row = rows.next();
          for (int i = 0; i < row.length; i++) {
            ps.setObject(i + 1, row[i]);
          }
          ps.addBatch();
          n++;
          if (++inBatch >= batchSize) {
            ps.executeBatch();
            c.commit();
            inBatch = 0;
          }
        }
        if (inBatch > 0) {
          ps.executeBatch();
        }
        c.commit();
      }
    }
    return n;
  }

  /** {@code EXEC sys.sp_cdc_enable_db}. */
  public void enableCdc() {
    cdc.enableDatabase();
  }

  /** {@code EXEC sys.sp_cdc_disable_db}: drops every capture instance. */
  public void disableCdc() throws SQLException {
    cdc.disableDatabase();
  }

  public boolean isCdcEnabled() {
    return cdcEnabled;
  }

  void setCdcEnabled(boolean on) {
    cdcEnabled = on;
    LOG.info("Emulator {}: CDC {}", database, on ? "enabled" : "disabled");
  }

  /** {@code EXEC sys.sp_cdc_enable_table}; returns the capture instance name. */
  public String enableTable(CdcTableOptions options) throws SQLException {
    return cdc.enableTable(options);
  }

  /** {@code sp_cdc_enable_table} with defaults: instance {@code <schema>_<table>}, all columns. */
  public String enableTable(String schema, String table) throws SQLException {
    return enableTable(CdcTableOptions.of(schema, table));
  }

  /** {@code EXEC sys.sp_cdc_disable_table}; {@code captureInstance} null or "all" for every one. */
  public void disableTable(String schema, String table, String captureInstance)
      throws SQLException {
    cdc.disableTable(new ObjectName(schema, table), captureInstance);
  }

  /**
   * {@code EXEC sp_configure '<option>', value; RECONFIGURE;} for an option in {@code
   * sys.configurations} (e.g. {@code max text repl size (B)}, -1 for unlimited).
   */
  public void configure(String option, long value) throws SQLException {
    try (Connection h2 = h2Connection();
        PreparedStatement ps =
            h2.prepareStatement(
                "UPDATE sys.configurations SET \"value\" = ?, value_in_use = ? WHERE name = ?")) {
      ps.setLong(1, value);
      ps.setLong(2, value);
      ps.setString(3, option);
      if (ps.executeUpdate() != 1) {
        throw new SQLException("The configuration option '" + option + "' does not exist.");
      }
      h2.commit();
    }
  }

  /** {@code ALTER DATABASE ... SET ALLOW_SNAPSHOT_ISOLATION ON|OFF}. */
  public void setSnapshotIsolation(boolean allowed) {
    snapshotIsolation = allowed;
  }

  public boolean isSnapshotIsolationAllowed() {
    return snapshotIsolation;
  }

  /** {@code EXEC sys.sp_cdc_stop_job}: the change tables stop filling. */
  public void stopCaptureJob() {
    capture.stopJob();
  }

  public void startCaptureJob() {
    capture.startJob();
  }

  /**
   * {@code REVOKE permission ON class::securable FROM <user>}, e.g. ("SELECT", "OBJECT", "dbo.t").
   */
  public void revoke(String permission, String securableClass, String securable) {
    permissions.revoke(permission, securableClass, securable);
  }

  public void grant(String permission, String securableClass, String securable) {
    permissions.grant(permission, securableClass, securable);
  }

  /** Captures everything committed so far (ignoring delay and limits); returns the max LSN. */
  public Lsn captureNow() throws SQLException {
    return capture.captureNow();
  }

  /** One poll of the capture job, honouring delay, maxTrans and maxScans (for tests). */
  void runCaptureCycle() throws SQLException {
    capture.cycle();
  }

  /**
   * Waits until {@code fn_cdc_get_max_lsn()} has reached {@code lsn}.
   *
   * @throws IllegalStateException on timeout, naming both LSNs
   */
  public Lsn awaitCaptured(Lsn lsn, Duration timeout) throws InterruptedException {
    if (!capture.awaitCaptured(lsn, timeout)) {
      throw new IllegalStateException(
          "Capture did not reach "
              + lsn
              + " within "
              + timeout
              + " (max LSN "
              + maxLsn()
              + "; capture job "
              + (capture.isJobEnabled() ? "running" : "stopped")
              + ")");
    }
    return maxLsn();
  }

  /** {@code sys.fn_cdc_get_max_lsn()}: the highest LSN capture has processed. */
  public Lsn maxLsn() {
    return capture.capturedUpTo();
  }

  /** The commit LSN of the last transaction with captured changes (captured or not yet). */
  public Lsn lastCommitLsn() {
    return log.lastCommitLsn();
  }

  /** {@code sys.fn_cdc_get_min_lsn(instance)}; {@link Lsn#MIN} for an unknown instance. */
  public Lsn minLsn(String captureInstance) {
    CaptureInstance ci = cdc.instance(captureInstance);
    return ci == null ? Lsn.MIN : ci.startLsn();
  }

  /** The capture instance names. */
  public List<String> captureInstances() {
    return cdc.instances().stream().map(ci -> ci.name).sorted().toList();
  }

  /** Transactions committed but not yet captured. */
  public int pendingTransactions() {
    return log.pendingCount();
  }

  /** Change rows written by capture since start. */
  public long changeRowsWritten() {
    return capture.rowsWritten();
  }

  /** Cleanup: deletes change rows of {@code captureInstance} below {@code lowWaterMark}. */
  public void cleanup(String captureInstance, Lsn lowWaterMark) throws SQLException {
    cdc.cleanup(captureInstance, lowWaterMark);
  }

  /** Cleanup of every capture instance at {@code lowWaterMark}. */
  public void cleanupAll(Lsn lowWaterMark) throws SQLException {
    for (String ci : captureInstances()) {
      cdc.cleanup(ci, Lsn.max(lowWaterMark, minLsn(ci)));
    }
  }

  Connection h2Connection() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "sa");
    p.setProperty("password", "");
    Connection c = h2Driver.connect(h2Url, p);
    c.setAutoCommit(false);
    return c;
  }

  EmulatorCatalog catalog() {
    return catalog;
  }

  TransactionLog log() {
    return log;
  }

  DatetimeRounding.Columns datetimeColumns() {
    return datetimeColumns;
  }

  TableLocks tableLocks() {
    return tableLocks;
  }

  Permissions permissions() {
    return permissions;
  }

  CdcAdmin cdc() {
    return cdc;
  }

  long lockTimeoutMillis() {
    return lockTimeoutMillis;
  }

  long nextTransactionId() {
    return transactionIds.incrementAndGet();
  }

  Collection<EmulatorSession> openSessions() {
    return sessions;
  }

  void sessionClosed(EmulatorSession session) {
    sessions.remove(session);
  }

  LocalDateTime createdAt() {
    return createdAt;
  }

  /** Stops capture, closes every connection and drops the H2 database. */
  @Override
  public void close() throws SQLException {
    if (closed) {
      return;
    }
    closed = true;
    capture.close();
    for (EmulatorSession s : List.copyOf(sessions)) {
      try {
        s.close();
      } catch (SQLException e) {
        LOG.debug("closing session {}", s.spid, e);
      }
    }
    try (Statement s = keepAlive.createStatement()) {
      s.execute("SHUTDOWN");
    } catch (SQLException e) {
      LOG.debug("H2 shutdown", e);
    } finally {
      EmulatorDriver.unregister(name, h2Name);
    }
    LOG.info("SQL Server emulator {} stopped", database);
  }

  /** Settings of a new emulator; every one has a default. */
  public static final class Builder {
    private String database = "demo";
    private Duration captureInterval = Duration.ofMillis(200);
    private Duration captureDelay = Duration.ZERO;
    private int maxTrans = 500;
    private int maxScans = 10;
    private int idleAdvanceEvery = 10;
    private String user = "mssql2mz";
    private String password = "mssql2mz-Passw0rd";
    private String adminUser = "sa";
    private String adminPassword = "Admin-Passw0rd";
    private Duration lockTimeout = Duration.ofSeconds(30);
    private Path fileDirectory;
    private boolean cdcEnabled = true;
    private boolean snapshotIsolation = true;

    private Builder() {}

    /** The database name ({@code DB_NAME()}); also the URL's name when free. Default "demo". */
    public Builder database(String name) {
      this.database = Objects.requireNonNull(name, "database");
      return this;
    }

    /**
     * How often the capture job polls (SQL Server: 5 s); null for no background capture (tests call
     * {@link SqlServerEmulator#captureNow()}). Default 200 ms.
     */
    public Builder captureInterval(Duration interval) {
      this.captureInterval = interval;
      return this;
    }

    /** How old a commit must be before capture takes it. Default 0. */
    public Builder captureDelay(Duration delay) {
      this.captureDelay = Objects.requireNonNull(delay, "captureDelay");
      return this;
    }

    /** Transactions per scan (SQL Server's {@code maxtrans}, default 500). */
    public Builder maxTrans(int n) {
      this.maxTrans = n;
      return this;
    }

    /** Scans per poll (SQL Server's {@code maxscans}, default 10). */
    public Builder maxScans(int n) {
      this.maxScans = n;
      return this;
    }

    /** Idle polls between max-LSN advances on an idle database (0: never). Default 10. */
    public Builder idleAdvanceEvery(int polls) {
      this.idleAdvanceEvery = polls;
      return this;
    }

    public Builder user(String user) {
      this.user = Objects.requireNonNull(user, "user");
      return this;
    }

    public Builder password(String password) {
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    public Builder adminUser(String user) {
      this.adminUser = Objects.requireNonNull(user, "adminUser");
      return this;
    }

    public Builder adminPassword(String password) {
      this.adminPassword = Objects.requireNonNull(password, "adminPassword");
      return this;
    }

    /** How long a commit waits for a table lock before Msg 1222. Default 30 s. */
    public Builder lockTimeout(Duration timeout) {
      this.lockTimeout = Objects.requireNonNull(timeout, "lockTimeout");
      return this;
    }

    /**
     * Keep the database in files under this directory (for tables of 10M rows) instead of memory.
     */
    public Builder fileDirectory(Path directory) {
      this.fileDirectory = directory;
      return this;
    }

    /** Whether CDC is enabled on the database from the start. Default true. */
    public Builder cdcEnabled(boolean on) {
      this.cdcEnabled = on;
      return this;
    }

    /** Whether {@code ALLOW_SNAPSHOT_ISOLATION} is on from the start. Default true. */
    public Builder snapshotIsolation(boolean on) {
      this.snapshotIsolation = on;
      return this;
    }

    public SqlServerEmulator build() throws SQLException {
      if (maxTrans < 1 || maxScans < 1) {
        throw new IllegalArgumentException("maxTrans and maxScans must be at least 1");
      }
      if (captureInterval != null && (captureInterval.isNegative() || captureInterval.isZero())) {
        throw new IllegalArgumentException("captureInterval must be positive (or null for manual)");
      }
      return new SqlServerEmulator(this);
    }
  }
}
