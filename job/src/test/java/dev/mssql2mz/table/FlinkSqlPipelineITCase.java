package dev.mssql2mz.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mssql2mz.demo.TargetVerifier;
import dev.mssql2mz.demo.emulator.EmulatorWorkload;
import dev.mssql2mz.demo.emulator.SqlServerEmulator;
import dev.mssql2mz.source.SqlServerCdcSource;
import dev.mssql2mz.sqlserver.SourceTable;
import dev.mssql2mz.sqlserver.TableSelection;
import dev.mssql2mz.testing.PostgresExtension;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Flink SQL path end to end: {@code mssql2mz-sqlserver} tables over the SQL Server emulator
 * with a live workload, {@code INSERT INTO} {@code materialize} tables on a real PostgreSQL server,
 * then the target compared with the source row by row (multisets) once the workload has stopped.
 * Covers a keyed table of many types, one with large values CDC omits on update, and a keyless
 * table with duplicate rows, through the Materialize dialect, and the keyed table once more through
 * the PostgreSQL dialect (typed table with the declared primary key).
 */
@Timeout(180)
class FlinkSqlPipelineITCase {

  @RegisterExtension final PostgresExtension pg = new PostgresExtension();

  private static final String SCHEMA = "flink_sql";

  /** Where the postgres dialect writes a second copy of dbo.customers, as a typed table. */
  private static final String PG_SCHEMA = "flink_sql_pg";

  /** Flink SQL declarations of the workload tables replicated here, in SQL Server column order. */
  private static final Map<String, String> TABLES =
      Map.of(
          "dbo.customers",
          "`id` INT NOT NULL, `name` STRING, `email` STRING, `balance` DECIMAL(19, 4),"
              + " `credit` DECIMAL(10, 4), `active` BOOLEAN, `rating` SMALLINT, `score` BIGINT,"
              + " `level` SMALLINT, `created` TIMESTAMP(6), `birthday` DATE, `guid` STRING,"
              + " PRIMARY KEY (`id`) NOT ENFORCED",
          "dbo.documents",
          "`code` STRING NOT NULL, `title` STRING, `body` STRING, `notes` STRING, `payload` BYTES,"
              + " `old_text` STRING, `old_ntext` STRING, `old_image` BYTES, `hash` BYTES, `sig` BYTES,"
              + " `meta` STRING, `version` INT, PRIMARY KEY (`code`) NOT ENFORCED",
          "dbo.events",
          "`kind` STRING NOT NULL, `amount` INT NOT NULL, `note` STRING NOT NULL");

  private SqlServerEmulator emulator;
  private EmulatorWorkload workload;
  private JobClient job;

  @AfterEach
  void stop() throws Exception {
    if (job != null) {
      job.cancel().get();
      // Readers still polling a closed emulator would only log noise. The local cluster shuts
      // down with its only job, which ends the wait as well.
      try {
        job.getJobExecutionResult().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException expected) {
        // cancelled
      }
    }
    if (workload != null) {
      workload.close();
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  @Test
  void insertIntoMaterializeTablesReplicatesSqlServerTablesExactlyOnceUnderALiveWorkload()
      throws Exception {
    emulator =
        SqlServerEmulator.builder()
            .database("flinksql")
            .captureInterval(Duration.ofMillis(100))
            .build();
    workload =
        EmulatorWorkload.builder(emulator)
            .seed(11)
            .initialRows(150)
            .pauseBetweenTransactions(Duration.ofMillis(5))
            .build();
    workload.setUp();

    Configuration conf = new Configuration();
    conf.setString("execution.checkpointing.interval", "300 ms");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
    StreamTableEnvironment tEnv = StreamTableEnvironment.create(env);
    StatementSet inserts = tEnv.createStatementSet();
    for (Map.Entry<String, String> t : TABLES.entrySet()) {
      String name = t.getKey().substring(t.getKey().indexOf('.') + 1);
      tEnv.executeSql(
          "CREATE TABLE src_"
              + name
              + " ("
              + t.getValue()
              + ") WITH ("
              + sourceOptions(t.getKey())
              + ")");
      tEnv.executeSql(
          "CREATE TABLE dst_" + name + " (" + t.getValue() + ") WITH (" + sinkOptions(name) + ")");
      inserts.addInsertSql("INSERT INTO dst_" + name + " SELECT * FROM src_" + name);
    }
    tEnv.executeSql(
        "CREATE TABLE pg_customers ("
            + TABLES.get("dbo.customers")
            + ") WITH ("
            + sinkOptions("customers").replace(SCHEMA, PG_SCHEMA)
            + ", 'dialect' = 'postgres')");
    inserts.addInsertSql("INSERT INTO pg_customers SELECT * FROM src_customers");
    TableResult result = inserts.execute();
    job = result.getJobClient().orElseThrow();

    workload.start();
    Awaitility.await("80 workload transactions")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> workload.report().transactions >= 80);
    EmulatorWorkload.Report report = workload.stop();
    assertThat(report.updates).as("the workload updated rows").isPositive();
    assertThat(report.deletes).as("the workload deleted rows").isPositive();
    emulator.awaitCaptured(report.lastCommitLsn, Duration.ofSeconds(60));

    List<SourceTable> tables = discovered();
    try (Connection source = emulator.connect();
        Connection target = pg.connect()) {
      TargetVerifier verifier = new TargetVerifier(source, target, SCHEMA);
      TargetVerifier typedTables = new TargetVerifier(source, target, PG_SCHEMA);
      Awaitility.await("target equal to the source, row by row")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                assertThat(job.getJobStatus().get().isGloballyTerminalState())
                    .as("job ended early")
                    .isFalse();
                for (SourceTable t : tables) {
                  TargetVerifier.TableResult r = verifier.verify(t);
                  assertThat(r.sourceRows()).as("rows of %s", t.qualifiedName()).isPositive();
                  assertThat(r.missing()).as("missing in %s: %s", t, r.examples()).isZero();
                  assertThat(r.extra()).as("extra in %s: %s", t, r.examples()).isZero();
                  if (t.name().equals("customers")) {
                    TargetVerifier.TableResult typed = typedTables.verify(t);
                    assertThat(typed.missing() + typed.extra())
                        .as("postgres dialect: %s", typed.examples())
                        .isZero();
                  }
                }
              });
    }
  }

  @Test
  void aggregateChangelogFromABoundedQueryEndsAsItsFinalResult() throws Exception {
    Configuration conf = new Configuration();
    conf.setString("execution.checkpointing.interval", "200 ms");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
    StreamTableEnvironment tEnv = StreamTableEnvironment.create(env);
    // The aggregate retracts each count (-U) before it emits the next (+U); the keyless table of
    // duplicates must keep its multiplicities.
    tEnv.executeSql(
        "CREATE TABLE counts (k STRING, n BIGINT, PRIMARY KEY (k) NOT ENFORCED) WITH ("
            + sinkOptions("counts")
            + ")");
    tEnv.executeSql("CREATE TABLE dupes (k STRING, v INT) WITH (" + sinkOptions("dupes") + ")");
    String values =
        "(VALUES ('a', 1), ('b', 2), ('a', 1), ('c', 3), ('a', 1), ('b', 2)) AS t(k, v)";
    StatementSet inserts = tEnv.createStatementSet();
    inserts.addInsertSql("INSERT INTO counts SELECT k, COUNT(*) FROM " + values + " GROUP BY k");
    inserts.addInsertSql("INSERT INTO dupes SELECT k, v FROM " + values);
    inserts.execute().await();

    try (Connection target = pg.connect();
        java.sql.Statement s = target.createStatement()) {
      assertThat(rows(s, "SELECT k, n FROM " + SCHEMA + ".counts ORDER BY k"))
          .containsExactly("a=3", "b=2", "c=1");
      assertThat(rows(s, "SELECT k, v FROM " + SCHEMA + ".dupes ORDER BY k, v"))
          .containsExactly("a=1", "a=1", "a=1", "b=2", "b=2", "c=3");
    }
  }

  private static List<String> rows(java.sql.Statement s, String query) throws Exception {
    List<String> out = new ArrayList<>();
    try (java.sql.ResultSet rs = s.executeQuery(query)) {
      while (rs.next()) {
        out.add(rs.getString(1) + "=" + rs.getString(2));
      }
    }
    return out;
  }

  /** The SQL Server side of the tables, as the verifier needs them (target name = table name). */
  private List<SourceTable> discovered() {
    List<SourceTable> out = new ArrayList<>();
    SqlServerCdcSource source =
        SqlServerCdcSource.builder()
            .jdbcUrl(emulator.jdbcUrl())
            .user(emulator.user())
            .password(emulator.password())
            .tables(TableSelection.tables(TABLES.keySet().toArray(new String[0])))
            .build();
    out.addAll(source.tablesAtBuild());
    assertThat(out).hasSize(TABLES.size());
    return out;
  }

  private String sourceOptions(String table) {
    return "'connector' = 'mssql2mz-sqlserver', 'jdbc-url' = '"
        + emulator.jdbcUrl()
        + "', 'username' = '"
        + emulator.user()
        + "', 'password' = '"
        + emulator.password()
        + "', 'table-name' = '"
        + table
        + "', 'scan.incremental.snapshot.chunk.size' = '100',"
        + " 'scan.change.poll.interval' = '100 ms'";
  }

  private String sinkOptions(String name) {
    return "'connector' = 'materialize', 'url' = '"
        + pg.jdbcUrl()
        + "'"
        + (pg.user() != null ? ", 'username' = '" + pg.user() + "'" : "")
        + (pg.password() != null && !pg.password().isEmpty()
            ? ", 'password' = '" + pg.password() + "'"
            : "")
        + ", 'schema' = '"
        + SCHEMA
        + "', 'table-name' = '"
        + name
        + "', 'view-indexes' = 'false'";
  }
}
