package dev.mssql2mz.sink;

import dev.mssql2mz.config.Secret;
import dev.mssql2mz.config.SslMode;
import dev.mssql2mz.sqlserver.SourceTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Builds a {@link MaterializeSink}. Everything is checked in {@link #build()}, including every
 * column's type, so a bad setting fails before the job starts.
 *
 * <pre>{@code
 * MaterializeSink sink = MaterializeSink.builder()
 *     .targetUrl("jdbc:postgresql://mz:6875/materialize")
 *     .user("mssql2mz").password(secret).sslMode(SslMode.REQUIRED)
 *     .materialize()                 // or .postgres()
 *     .schema("sales").sourceName("erp")
 *     .tables(tables)
 *     .build();
 * }</pre>
 */
public final class MaterializeSinkBuilder {

  private static final Pattern SOURCE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  String url;
  String user;
  String password;
  Secret passwordSecret;
  SslMode sslMode;
  String sslRootCert;
  TargetDialect dialect = new MaterializeDialect(true);
  String schema = "public";
  String sourceName;
  List<SourceTable> tables = new ArrayList<>();
  int batchSize = 10_000;
  int maxBufferedRows;
  WriteMethod writeMethod = WriteMethod.COPY;
  boolean startOver;
  int commitAttempts = 10;
  Duration initialBackoff = Duration.ofMillis(100);
  Duration maxBackoff = Duration.ofSeconds(30);
  Duration connectTimeout = Duration.ofMinutes(2);
  int compactionEveryEpochs = 10;
  int compactionMaxGroups = 10_000;
  int progressRetentionEpochs = 1_000;
  ConnectionDecorator decorator;

  MaterializeSinkBuilder() {}

  /** The target's JDBC URL, {@code jdbc:postgresql://host:port/database}. Required. */
  public MaterializeSinkBuilder targetUrl(String url) {
    this.url = url;
    return this;
  }

  public MaterializeSinkBuilder user(String user) {
    this.user = user;
    return this;
  }

  /** The password; kept out of logs and of {@code toString()}. */
  public MaterializeSinkBuilder password(String password) {
    this.password = password;
    this.passwordSecret = null;
    return this;
  }

  /**
   * The password as a secret reference: only the reference travels with the job, and each writer
   * and the committer read the value where they connect.
   */
  public MaterializeSinkBuilder password(Secret password) {
    this.passwordSecret = password;
    this.password = null;
    return this;
  }

  public MaterializeSinkBuilder sslMode(SslMode mode) {
    this.sslMode = mode;
    return this;
  }

  /** A CA certificate file for {@link SslMode#VERIFY_CA} and {@link SslMode#VERIFY_FULL}. */
  public MaterializeSinkBuilder sslRootCert(String path) {
    this.sslRootCert = path;
    return this;
  }

  /** Materialize: change tables plus indexed views (the default). */
  public MaterializeSinkBuilder materialize() {
    return dialect(new MaterializeDialect(true));
  }

  /**
   * The Materialize dialect without indexes on the views, for a PostgreSQL server standing in for
   * Materialize (tests, benchmarks): PostgreSQL cannot index views.
   */
  public MaterializeSinkBuilder materializeWithoutIndexes() {
    return dialect(new MaterializeDialect(false));
  }

  /** Plain PostgreSQL: typed tables with primary keys, one transaction per epoch. */
  public MaterializeSinkBuilder postgres() {
    return dialect(new PostgresDialect());
  }

  public MaterializeSinkBuilder dialect(TargetDialect dialect) {
    this.dialect = dialect;
    return this;
  }

  /** The target schema holding every relation of this source; created if missing. */
  public MaterializeSinkBuilder schema(String schema) {
    this.schema = schema;
    return this;
  }

  /** Names the progress relation {@code <source>_progress}. Required. */
  public MaterializeSinkBuilder sourceName(String name) {
    this.sourceName = name;
    return this;
  }

  /** The source tables, as discovered; records name them by target name. Required. */
  public MaterializeSinkBuilder tables(List<SourceTable> tables) {
    this.tables = new ArrayList<>(tables);
    return this;
  }

  /** Rows per table per write (default 10000). */
  public MaterializeSinkBuilder batchSize(int rows) {
    this.batchSize = rows;
    return this;
  }

  /** Rows held over all tables before everything is written (default 4 x batch size). */
  public MaterializeSinkBuilder maxBufferedRows(int rows) {
    this.maxBufferedRows = rows;
    return this;
  }

  public MaterializeSinkBuilder writeMethod(WriteMethod method) {
    this.writeMethod = method;
    return this;
  }

  /**
   * Whether a job starting without state may delete what an earlier job of this source committed to
   * the target (default false: such a start fails).
   */
  public MaterializeSinkBuilder startOver(boolean startOver) {
    this.startOver = startOver;
    return this;
  }

  /** Attempts per commit before the task fails (default 10). */
  public MaterializeSinkBuilder commitAttempts(int attempts) {
    this.commitAttempts = attempts;
    return this;
  }

  /** Back-off between retries: doubles from {@code initial} up to {@code max}. */
  public MaterializeSinkBuilder retryBackoff(Duration initial, Duration max) {
    this.initialBackoff = initial;
    this.maxBackoff = max;
    return this;
  }

  /** How long connecting may keep failing before the task fails (default 2 minutes). */
  public MaterializeSinkBuilder connectTimeout(Duration timeout) {
    this.connectTimeout = timeout;
    return this;
  }

  /**
   * Compacts one table every {@code everyEpochs} commits, removing at most {@code maxGroups}
   * cancelled rows groups per run (0 turns compaction off).
   */
  public MaterializeSinkBuilder compaction(int everyEpochs, int maxGroups) {
    this.compactionEveryEpochs = everyEpochs;
    this.compactionMaxGroups = maxGroups;
    return this;
  }

  /** Progress rows kept behind the newest (default 1000). */
  public MaterializeSinkBuilder progressRetention(int epochs) {
    this.progressRetentionEpochs = epochs;
    return this;
  }

  /** Wraps every connection; for tests (rule checks, failure injection). */
  public MaterializeSinkBuilder connectionDecorator(ConnectionDecorator decorator) {
    this.decorator = decorator;
    return this;
  }

  public MaterializeSink build() {
    require(
        url != null && url.startsWith("jdbc:postgresql:"),
        "targetUrl must be a PostgreSQL-wire JDBC URL (jdbc:postgresql://host:port/db), got "
            + url);
    Objects.requireNonNull(dialect, "dialect");
    require(schema != null && !schema.isBlank(), "schema must not be empty");
    require(
        sourceName != null && SOURCE_NAME.matcher(sourceName).matches(),
        "sourceName must be a plain identifier (letters, digits, _), got " + sourceName);
    require(!tables.isEmpty(), "tables must name at least one source table");
    require(batchSize > 0, "batchSize must be positive, got " + batchSize);
    require(maxBufferedRows >= 0, "maxBufferedRows must not be negative");
    require(commitAttempts > 0, "commitAttempts must be positive, got " + commitAttempts);
    require(
        initialBackoff != null
            && !initialBackoff.isNegative()
            && maxBackoff != null
            && maxBackoff.compareTo(initialBackoff) >= 0,
        "retryBackoff needs 0 <= initial <= max");
    require(connectTimeout != null && !connectTimeout.isNegative(), "connectTimeout must be set");
    require(
        compactionEveryEpochs >= 0 && compactionMaxGroups > 0,
        "compaction needs everyEpochs >= 0 and maxGroups > 0");
    require(progressRetentionEpochs > 0, "progressRetention must be positive");
    TargetModel model = new TargetModel(schema, sourceName, tables);
    return new MaterializeSink(new SinkSettings(this, model));
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
