package dev.mssql2mz.bench;

import dev.mssql2mz.demo.EmbeddedPostgresServer;
import dev.mssql2mz.sink.MaterializeSink;
import dev.mssql2mz.sink.MaterializeSinkBuilder;
import dev.mssql2mz.source.ChangeOperation;
import dev.mssql2mz.source.ChangeRecord;
import dev.mssql2mz.sqlserver.ChangePosition;
import dev.mssql2mz.sqlserver.SourceColumn;
import dev.mssql2mz.sqlserver.SourceTable;
import dev.mssql2mz.udfs.Lsn;
import java.io.File;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExactlyOnceOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.connector.jdbc.core.datastream.Jdbc;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.source.RichParallelSourceFunction;
import org.apache.flink.util.Collector;
import org.postgresql.xa.PGXADataSource;

/**
 * Writes the same N change rows into the same PostgreSQL server through four sinks and prints
 * rows/s for each: ours with the Materialize dialect, ours with the PostgreSQL dialect,
 * flink-connector-jdbc's at-least-once sink (batched) and its XA exactly-once sink. Each run gets a
 * fresh database and a local Flink environment with the same parallelism, checkpoint interval and
 * batch size; the time is the whole job, and the row count in the target is checked afterwards.
 *
 * <p>{@code -Dbench.rows} (default 1,000,000), {@code -Dbench.parallelism} (2), {@code
 * -Dbench.batch} (5000), {@code -Dbench.checkpointMs} (1000), {@code -Dbench.warmupRows} (50,000
 * per sink in an untimed first round), {@code -Dbench.only} (e.g. {@code ours_mz,jdbc_alo}).
 * Results go to {@code job/target/bench/sink.json}. Run from the worktree root:
 *
 * <pre>
 * mvn -B -o -q -pl job -am -DskipTests test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -Xmx2g -Dbench.rows=200000 \
 *     -cp job/target/test-classes:job/target/classes:$(cat /tmp/cp.txt) \
 *     dev.mssql2mz.bench.SinkBenchmark
 * </pre>
 */
public final class SinkBenchmark {

  private static final int WARMUP_ROWS = Integer.getInteger("bench.warmupRows", 50_000);
  private static final String ONLY = System.getProperty("bench.only", "");
  private static int rows = Integer.getInteger("bench.rows", 1_000_000);
  private static final int PARALLELISM = Integer.getInteger("bench.parallelism", 2);
  private static final int BATCH = Integer.getInteger("bench.batch", 5000);
  private static final long CHECKPOINT_MS = Long.getLong("bench.checkpointMs", 1000);
  private static final int MARKER_EVERY = 1000;

  static final SourceTable TABLE =
      new SourceTable(
          "dbo",
          "bench",
          "bench",
          List.of(
              new SourceColumn("id", "bigint", 8, 19, 0, false, false),
              new SourceColumn("name", "nvarchar", 200, 0, 0, true, false),
              new SourceColumn("amount", "decimal", 9, 18, 2, true, false),
              new SourceColumn("ts", "datetime2", 8, 27, 7, true, false)),
          List.of("id"));

  /** The row the JDBC peers write: the same values as our change records. */
  public static final class BenchRow {
    public long id;
    public String name;
    public BigDecimal amount;
    public LocalDateTime ts;

    public BenchRow() {}

    static BenchRow of(long i) {
      BenchRow r = new BenchRow();
      r.id = i;
      r.name = "customer " + i;
      r.amount = BigDecimal.valueOf(i % 100_000, 2);
      r.ts = LocalDateTime.of(2024, 1, 1, 0, 0).plusNanos(i * 1_000L);
      return r;
    }
  }

  private SinkBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, Double> results = new LinkedHashMap<>();
    int measured = rows;
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.startOrConnect()) {
      // One untimed round first, so no sink pays for the JIT and a cold server.
      rows = WARMUP_ROWS;
      if (rows > 0) {
        runAll(server, "warm_", new LinkedHashMap<>());
      }
      rows = measured;
      runAll(server, "", results);
    }
    StringBuilder json = new StringBuilder("{\n");
    json.append(String.format(Locale.ROOT, "  \"sink.rows\": %d,%n", rows));
    int i = 0;
    for (Map.Entry<String, Double> e : results.entrySet()) {
      json.append(String.format(Locale.ROOT, "  \"%s\": %.0f", e.getKey(), e.getValue()));
      json.append(++i < results.size() ? ",\n" : "\n");
    }
    json.append("}\n");
    File out =
        new File(
            new File("job/pom.xml").exists() ? "job/target/bench" : "target/bench", "sink.json");
    out.getParentFile().mkdirs();
    Files.write(out.toPath(), json.toString().getBytes(StandardCharsets.UTF_8));
    System.out.print(json);
    System.out.println("written to " + out.getAbsolutePath());
  }

  private static void runAll(
      EmbeddedPostgresServer server, String prefix, Map<String, Double> results) throws Exception {
    if (ONLY.isEmpty() || ONLY.contains("ours_mz")) {
      results.put(
          "sink.ours_materialize_rows_per_s",
          runOurs(server, prefix + "ours_mz", b -> b.materializeWithoutIndexes()));
    }
    if (ONLY.isEmpty() || ONLY.contains("ours_pg")) {
      results.put(
          "sink.ours_postgres_rows_per_s", runOurs(server, prefix + "ours_pg", b -> b.postgres()));
    }
    if (ONLY.isEmpty() || ONLY.contains("jdbc_alo")) {
      results.put(
          "sink.jdbc_at_least_once_rows_per_s", runJdbc(server, prefix + "jdbc_alo", false));
    }
    if (ONLY.isEmpty() || ONLY.contains("jdbc_xa")) {
      results.put("sink.jdbc_xa_rows_per_s", runJdbc(server, prefix + "jdbc_xa", true));
    }
  }

  private static StreamExecutionEnvironment env() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(PARALLELISM);
    env.enableCheckpointing(CHECKPOINT_MS, CheckpointingMode.EXACTLY_ONCE);
    env.setRestartStrategy(
        org.apache.flink.api.common.restartstrategy.RestartStrategies.noRestart());
    return env;
  }

  private static double runOurs(
      EmbeddedPostgresServer server,
      String database,
      Function<MaterializeSinkBuilder, MaterializeSinkBuilder> dialect)
      throws Exception {
    String url = server.createDatabase(database);
    MaterializeSink sink =
        dialect
            .apply(
                MaterializeSink.builder()
                    .targetUrl(url)
                    .user(server.user())
                    .password(server.password())
                    .schema("bench")
                    .sourceName("bench")
                    .tables(List.of(TABLE))
                    .batchSize(BATCH)
                    .compaction(0, 1))
            .build();
    StreamExecutionEnvironment env = env();
    DataStream<ChangeRecord> records =
        numbers(env)
            .flatMap(new ToChangeRecords())
            .returns(TypeInformation.of(ChangeRecord.class))
            .startNewChain();
    double rate = time(database, env, records, sink);
    long visible = count(server, url, "SELECT count(*) FROM bench.bench");
    check(database, visible);
    return rate;
  }

  private static double runJdbc(EmbeddedPostgresServer server, String database, boolean xa)
      throws Exception {
    String url = server.createDatabase(database);
    try (Connection c = server.connect(url);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE bench (id bigint PRIMARY KEY, name text, amount numeric(18,2),"
              + " ts timestamp(6))");
    }
    String sql = "INSERT INTO bench (id, name, amount, ts) VALUES (?, ?, ?, ?)";
    JdbcStatementBuilder<BenchRow> statement =
        (ps, r) -> {
          ps.setLong(1, r.id);
          ps.setString(2, r.name);
          ps.setBigDecimal(3, r.amount);
          ps.setTimestamp(4, Timestamp.valueOf(r.ts));
        };
    JdbcExecutionOptions execution =
        JdbcExecutionOptions.builder()
            .withBatchSize(BATCH)
            .withBatchIntervalMs(0)
            .withMaxRetries(xa ? 0 : 3)
            .build();
    String user = server.user();
    String password = server.password();
    Sink<BenchRow> sink;
    if (xa) {
      sink =
          Jdbc.<BenchRow>sinkBuilder()
              .withQueryStatement(sql, statement)
              .withExecutionOptions(execution)
              .buildExactlyOnce(
                  JdbcExactlyOnceOptions.builder().withTransactionPerConnection(true).build(),
                  () -> {
                    PGXADataSource ds = new PGXADataSource();
                    ds.setUrl(url);
                    if (user != null) {
                      ds.setUser(user);
                      ds.setPassword(password);
                    }
                    return ds;
                  });
    } else {
      sink =
          Jdbc.<BenchRow>sinkBuilder()
              .withQueryStatement(sql, statement)
              .withExecutionOptions(execution)
              .buildAtLeastOnce(
                  new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                      .withUrl(url)
                      .withDriverName("org.postgresql.Driver")
                      .withUsername(user)
                      .withPassword(password)
                      .build());
    }
    StreamExecutionEnvironment env = env();
    DataStream<BenchRow> input =
        numbers(env)
            .flatMap(new ToRow())
            .returns(TypeInformation.of(BenchRow.class))
            .startNewChain();
    double rate = time(database, env, input, sink);
    check(database, count(server, url, "SELECT count(*) FROM bench"));
    return rate;
  }

  private static DataStream<Long> numbers(StreamExecutionEnvironment env) {
    return env.addSource(new NumberSource(rows), TypeInformation.of(Long.class)).forward();
  }

  private static <T> double time(
      String name, StreamExecutionEnvironment env, DataStream<T> input, Sink<T> sink)
      throws Exception {
    input.sinkTo(sink).name(name);
    long start = System.nanoTime();
    env.execute("sink benchmark " + name);
    double seconds = (System.nanoTime() - start) / 1e9;
    double rate = rows / seconds;
    System.out.printf(
        Locale.ROOT, "%-10s %,d rows in %.1f s: %,.0f rows/s%n", name, rows, seconds, rate);
    return rate;
  }

  private static long count(EmbeddedPostgresServer server, String url, String sql)
      throws Exception {
    try (Connection c = server.connect(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void check(String name, long rows) {
    if (rows != rows) {
      throw new IllegalStateException(name + " left " + rows + " rows, expected " + rows);
    }
  }

  /**
   * Subtask s of p emits the numbers s+1, s+1+p, ... up to {@code rows}, then {@link #END}. A
   * legacy source cannot be chained with a Sink V2 writer (the writer needs the mailbox), so the
   * numbers cross one forward network edge and every sink turns them into its records in the same
   * chain as its writer: all four pay the same for the edge.
   */
  private static final class NumberSource extends RichParallelSourceFunction<Long> {
    private final long rows;
    private volatile boolean running = true;

    NumberSource(long rows) {
      this.rows = rows;
    }

    @Override
    public void run(SourceContext<Long> ctx) {
      int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
      int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
      for (long i = subtask + 1; i <= rows && running; i += parallelism) {
        synchronized (ctx.getCheckpointLock()) {
          ctx.collect(i);
        }
      }
      synchronized (ctx.getCheckpointLock()) {
        ctx.collect(END);
      }
    }

    @Override
    public void cancel() {
      running = false;
    }
  }

  static final long END = -1L;

  private static final class ToRow implements FlatMapFunction<Long, BenchRow> {
    @Override
    public void flatMap(Long i, Collector<BenchRow> out) {
      if (i != END) {
        out.collect(BenchRow.of(i));
      }
    }
  }

  /**
   * One INSERT change per number, each its own source transaction (LSN = the number), and a
   * progress marker after every {@value #MARKER_EVERY} rows: this subtask, fed in order by one
   * source subtask, has emitted all its changes up to there. At the end it will emit nothing more
   * at all (LSN max).
   */
  private static final class ToChangeRecords extends RichFlatMapFunction<Long, ChangeRecord> {
    private transient long n;

    @Override
    public void flatMap(Long i, Collector<ChangeRecord> out) {
      int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
      int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
      if (i == END) {
        out.collect(ChangeRecord.progress(Lsn.MAX, subtask, parallelism));
        return;
      }
      BenchRow r = BenchRow.of(i);
      Lsn lsn = Lsn.of(i >>> 32, i & 0xFFFFFFFFL, 0);
      out.collect(
          new ChangeRecord(
              "bench",
              ChangeOperation.INSERT,
              new ChangePosition(lsn, 1, lsn, 2),
              new Object[] {r.id, r.name, r.amount, r.ts}));
      if (++n % MARKER_EVERY == 0) {
        out.collect(ChangeRecord.progress(lsn, subtask, parallelism));
      }
    }
  }
}
