package dev.mssql2mz.sink;

import static dev.mssql2mz.sink.SinkFixtures.account;
import static dev.mssql2mz.sink.SinkFixtures.batch;
import static dev.mssql2mz.sink.SinkFixtures.count;
import static dev.mssql2mz.sink.SinkFixtures.event;
import static dev.mssql2mz.sink.SinkFixtures.lsn;
import static dev.mssql2mz.sink.SinkFixtures.multiset;
import static dev.mssql2mz.source.ChangeOperation.DELETE;
import static dev.mssql2mz.source.ChangeOperation.INSERT;
import static dev.mssql2mz.source.ChangeOperation.SNAPSHOT;
import static dev.mssql2mz.source.ChangeOperation.UPDATE_AFTER;
import static dev.mssql2mz.source.ChangeOperation.UPDATE_BEFORE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mssql2mz.source.ChangeRecord;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.restartstrategy.RestartStrategies;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The Materialize dialect against a real Materialize ({@value #IMAGE}, the single-container
 * emulator: SQL on port 6875, user {@code materialize}, no password): DDL including indexes on the
 * views, COPY and INSERT appends, progress commits, views that show committed rows only, a
 * compaction run, and restarts that roll back uncommitted epochs, from the dialect up to a Flink
 * job that fails and recovers. Every connection goes through the {@link MaterializeGuard}. Skipped,
 * and reported as skipped, where no Docker engine is available.
 */
@Tag("docker")
@Testcontainers(disabledWithoutDocker = true)
@Timeout(600)
class MaterializeContainerITCase {

  static final String IMAGE = "materialize/materialized:v26.43.0";

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(4)
              .build());

  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static GenericContainer<?> materialize;

  private final MaterializeDialect dialect = new MaterializeDialect(true);
  private String schema;
  private TargetModel model;

  @BeforeAll
  static void startMaterialize() {
    materialize =
        new GenericContainer<>(DockerImageName.parse(IMAGE))
            .withExposedPorts(6875)
            .waitingFor(Wait.forListeningPort().withStartupTimeout(Duration.ofMinutes(3)));
    materialize.start();
    // The port opens before the catalog is ready: wait until a query succeeds.
    Awaitility.await("Materialize answers queries")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .until(
            () -> {
              try (Connection c = DriverManager.getConnection(url(), "materialize", "")) {
                return count(c, "SELECT 1") == 1;
              }
            });
  }

  @AfterAll
  static void stopMaterialize() {
    if (materialize != null) {
      materialize.stop();
    }
  }

  private static String url() {
    return "jdbc:postgresql://"
        + materialize.getHost()
        + ":"
        + materialize.getMappedPort(6875)
        + "/materialize?sslmode=disable";
  }

  /** A guarded connection, as the sink's own connections are. */
  private static Connection connect() throws Exception {
    return MaterializeGuard.wrap(DriverManager.getConnection(url(), "materialize", ""));
  }

  @BeforeEach
  void freshSchema() {
    schema = "mz" + SCHEMAS.incrementAndGet();
    model = SinkFixtures.model(schema);
  }

  private MaterializeSinkBuilder sink() {
    return MaterializeSink.builder()
        .targetUrl(url())
        .user("materialize")
        .schema(schema)
        .sourceName("erp")
        .tables(List.of(SinkFixtures.ACCOUNTS, SinkFixtures.EVENTS))
        .materialize()
        .batchSize(50)
        .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(500));
  }

  @Test
  void createsRelationsAndIndexesThenShowsCommittedRowsOnly() throws Exception {
    try (Connection c = connect()) {
      dialect.createMissing(c, model);
      dialect.createMissing(c, model); // again: nothing to do, nothing fails
      assertThat(dialect.relations(c, schema))
          .contains("accounts", "accounts_changes", "events", "events_changes", "erp_progress");
      assertThat(
              count(
                  c,
                  "SELECT count(*) FROM mz_catalog.mz_indexes i JOIN mz_catalog.mz_views v"
                      + " ON i.on_id = v.id JOIN mz_catalog.mz_schemas s ON v.schema_id = s.id"
                      + " WHERE s.name = '"
                      + schema
                      + "'"))
          .as("an index on each view")
          .isEqualTo(2);

      dialect.append(
          c,
          model,
          batch(
              model,
              1,
              0,
              account(SNAPSHOT, 3, 1, "ann", "10.00"),
              account(SNAPSHOT, 3, 2, "bob", "0.00"),
              account(UPDATE_BEFORE, 10, 1, "ann", "10.00"),
              account(UPDATE_AFTER, 10, 1, "ann", "5.00")),
          WriteMethod.COPY);
      dialect.append(
          c,
          model,
          batch(
              model,
              1,
              0,
              event(INSERT, 3, "click", 1),
              event(INSERT, 3, "click", 1),
              event(INSERT, 10, "transfer", 5)),
          WriteMethod.INSERT);
      assertThat(multiset(c, "SELECT id FROM " + schema + ".accounts"))
          .as("nothing before the commit")
          .isEmpty();

      dialect.commitEpoch(c, model, 1, lsn(9), Instant.now());
      assertThat(multiset(c, "SELECT id, owner, balance FROM " + schema + ".accounts"))
          .as("the transaction at LSN 10 is above the committed LSN")
          .containsOnlyKeys("1|ann|10", "2|bob|0");
      assertThat(multiset(c, "SELECT kind, n FROM " + schema + ".events"))
          .containsExactly(java.util.Map.entry("click|1", 2));

      dialect.append(
          c,
          model,
          batch(
              model,
              2,
              0,
              account(UPDATE_BEFORE, 10, 2, "bob", "0.00"),
              account(UPDATE_AFTER, 10, 2, "bob", "5.00")),
          WriteMethod.COPY);
      dialect.commitEpoch(c, model, 2, lsn(10), Instant.now());
      assertThat(multiset(c, "SELECT id, owner, balance FROM " + schema + ".accounts"))
          .containsOnlyKeys("1|ann|5", "2|bob|5");
      assertThat(dialect.latestCommitted(c, model).orElseThrow().epoch()).isEqualTo(2);
    }
  }

  @Test
  void compactionRemovesCancelledRowsAndLeavesTheViewsUnchanged() throws Exception {
    try (Connection c = connect()) {
      dialect.createMissing(c, model);
      List<ChangeRecord> rows = new ArrayList<>();
      rows.add(account(INSERT, 1, 1, "a", "0.00"));
      for (int i = 1; i <= 10; i++) {
        rows.add(account(UPDATE_BEFORE, 1 + i, 1, "a", (i - 1) + ".00"));
        rows.add(account(UPDATE_AFTER, 1 + i, 1, "a", i + ".00"));
      }
      rows.add(account(INSERT, 20, 2, "b", "1.00"));
      rows.add(account(DELETE, 21, 2, "b", "1.00"));
      dialect.append(
          c, model, batch(model, 1, 0, rows.toArray(new ChangeRecord[0])), WriteMethod.COPY);
      dialect.commitEpoch(c, model, 1, lsn(21), Instant.now());
      String view = "SELECT id, owner, balance FROM " + schema + ".accounts";
      var before = multiset(c, view);
      long removed =
          dialect.compact(
              c, model, model.table("accounts"), dialect.latestCommitted(c, model).get(), 1000);
      assertThat(removed).isEqualTo(22);
      assertThat(multiset(c, view)).isEqualTo(before).containsOnlyKeys("1|a|10");
      assertThat(count(c, "SELECT count(*) FROM " + schema + ".accounts_changes")).isEqualTo(1);
    }
  }

  @Test
  void aRestartedWriterRollsBackItsUncommittedEpochAndAnOlderRestoreStepsTheViewsBack()
      throws Exception {
    MaterializeSink sink = sink().build();
    try (Connection c = connect()) {
      TargetPreparer.prepare(c, sink.settings(), 0, 1, OptionalLong.empty());
      dialect.append(c, model, batch(model, 1, 0, event(INSERT, 1, "one", 1)), WriteMethod.COPY);
      dialect.commitEpoch(c, model, 1, lsn(1), Instant.now());
      dialect.append(c, model, batch(model, 2, 0, event(INSERT, 2, "two", 2)), WriteMethod.COPY);
      dialect.commitEpoch(c, model, 2, lsn(2), Instant.now());
      dialect.append(c, model, batch(model, 3, 0, event(INSERT, 3, "lost", 3)), WriteMethod.COPY);
      String view = "SELECT kind FROM " + schema + ".events";
      assertThat(multiset(c, view)).containsOnlyKeys("one", "two");

      // Restored from checkpoint 2: epoch 3 never committed, its rows go.
      TargetPreparer.prepare(c, sink.settings(), 0, 1, OptionalLong.of(2));
      assertThat(multiset(c, "SELECT kind FROM " + schema + ".events_changes"))
          .containsOnlyKeys("one", "two");

      // Restored from an older savepoint (1): the views step back in one statement.
      TargetPreparer.prepare(c, sink.settings(), 0, 1, OptionalLong.of(1));
      assertThat(multiset(c, view)).containsOnlyKeys("one");
      assertThat(dialect.latestCommitted(c, model).orElseThrow().epoch()).isEqualTo(1);
    }
  }

  @Test
  void aFlinkJobThatFailsMidEpochEndsExactlyOnceInMaterialize() throws Exception {
    ChangeScript script = new ChangeScript(60, 41);
    ScriptedChangeSource.FAIL_AT.set(script.records.size() / 2);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.enableCheckpointing(200, CheckpointingMode.EXACTLY_ONCE);
    env.setRestartStrategy(RestartStrategies.fixedDelayRestart(3, 100));
    env.addSource(
            new ScriptedChangeSource(script.transactions, script.seed, true, 40),
            TypeInformation.of(ChangeRecord.class))
        .setParallelism(1)
        .sinkTo(sink().compaction(1, 1000).build())
        .setParallelism(2);
    env.execute("sink into Materialize");
    assertThat(ScriptedChangeSource.FAIL_AT.get()).as("the failure happened").isEqualTo(-1);
    try (Connection c = connect()) {
      assertThat(multiset(c, "SELECT id, owner, balance FROM " + schema + ".accounts"))
          .isEqualTo(materializeNumbers(script.expectedAccounts));
      assertThat(multiset(c, "SELECT kind, n FROM " + schema + ".events"))
          .isEqualTo(script.expectedEvents);
      assertThat(
              count(
                  c,
                  "SELECT count(*) FROM (SELECT epoch FROM "
                      + schema
                      + ".erp_progress GROUP BY epoch HAVING count(*) > 1) d"))
          .as("no epoch committed twice")
          .isZero();
    }
  }

  /** Materialize prints numerics without trailing zeros: {@code 100.00} reads as {@code 100}. */
  private static java.util.Map<String, Integer> materializeNumbers(
      java.util.Map<String, Integer> rows) {
    java.util.Map<String, Integer> out = new java.util.TreeMap<>();
    rows.forEach(
        (row, n) -> {
          int bar = row.lastIndexOf('|');
          String number =
              new java.math.BigDecimal(row.substring(bar + 1)).stripTrailingZeros().toPlainString();
          out.merge(row.substring(0, bar + 1) + number, n, Integer::sum);
        });
    return out;
  }
}
