package dev.mssql2mz.sink;

import static dev.mssql2mz.sink.SinkFixtures.count;
import static dev.mssql2mz.sink.SinkFixtures.multiset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mssql2mz.metrics.InMemoryMetricReporter;
import dev.mssql2mz.metrics.StatisticNames;
import dev.mssql2mz.source.ChangeRecord;
import dev.mssql2mz.testing.LogCapture;
import dev.mssql2mz.testing.PostgresExtension;
import dev.mssql2mz.testing.TcpProxy;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.restartstrategy.RestartStrategies;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The sink in Flink jobs on a MiniCluster: a scripted source of change records and progress
 * markers, two writers, checkpoints every 100 ms, failures injected at chosen points; the target
 * must end equal to the expected multiset, with every change row written exactly once.
 */
class MaterializeSinkITCase {

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setConfiguration(metricsReported())
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(4)
              .build());

  @RegisterExtension final PostgresExtension pg = new PostgresExtension();

  /** The two dialects, each with what "the commit statement" means for failure injection. */
  enum Target {
    MATERIALIZE("INSERT INTO \"s\".\"erp_progress\""),
    POSTGRES("COMMIT");

    final String commitStatement;

    Target(String commitStatement) {
      this.commitStatement = commitStatement;
    }
  }

  private static final int TRANSACTIONS = 200;

  private static Configuration metricsReported() {
    Configuration c = new Configuration();
    InMemoryMetricReporter.register(c);
    return c;
  }

  @BeforeEach
  void reset() {
    GuardedConnections.reset();
    ScriptedChangeSource.FAIL_AT.set(-1);
    InMemoryMetricReporter.clear();
  }

  @AfterEach
  void materializeRulesHeld() {
    assertThat(GuardedConnections.violations()).isEmpty();
    GuardedConnections.reset();
  }

  private MaterializeSinkBuilder sink(Target target) {
    MaterializeSinkBuilder b =
        MaterializeSink.builder()
            .targetUrl(pg.jdbcUrl())
            .user(pg.user())
            .password(pg.password())
            .schema("s")
            .sourceName("erp")
            .tables(List.of(SinkFixtures.ACCOUNTS, SinkFixtures.EVENTS))
            .batchSize(50)
            .compaction(0, 1)
            .commitAttempts(2)
            .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(50))
            .connectionDecorator(new GuardedConnections());
    return target == Target.MATERIALIZE ? b.materializeWithoutIndexes() : b.postgres();
  }

  private void run(ChangeScript script, MaterializeSink sink, int restarts) throws Exception {
    run(script, sink, restarts, true);
  }

  private void run(ChangeScript script, MaterializeSink sink, int restarts, boolean markers)
      throws Exception {
    run(script, sink, restarts, markers, 100);
  }

  private void run(
      ChangeScript script, MaterializeSink sink, int restarts, boolean markers, long checkpointMs)
      throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.enableCheckpointing(checkpointMs, CheckpointingMode.EXACTLY_ONCE);
    env.setRestartStrategy(RestartStrategies.fixedDelayRestart(restarts, 50));
    env.addSource(
            new ScriptedChangeSource(script.transactions, script.seed, markers, 40),
            TypeInformation.of(ChangeRecord.class))
        .setParallelism(1)
        .sinkTo(sink)
        .setParallelism(2);
    env.execute("sink test");
  }

  private void assertExactlyOnce(Target target, ChangeScript script) throws Exception {
    assertExactlyOnce(target, script, false);
  }

  /** With {@code compacted}, cancelled change rows may have been removed from the change tables. */
  private void assertExactlyOnce(Target target, ChangeScript script, boolean compacted)
      throws Exception {
    try (Connection c = pg.connect()) {
      assertThat(multiset(c, "SELECT id, owner, balance FROM s.accounts"))
          .isEqualTo(script.expectedAccounts);
      assertThat(multiset(c, "SELECT kind, n FROM s.events")).isEqualTo(script.expectedEvents);
      assertThat(
              count(
                  c,
                  "SELECT count(*) FROM (SELECT epoch FROM s.erp_progress GROUP BY epoch"
                      + " HAVING count(*) > 1) d"))
          .as("no epoch committed twice")
          .isZero();
      long staged =
          count(c, "SELECT count(*) FROM s.accounts_changes")
              + count(c, "SELECT count(*) FROM s.events_changes");
      if (target == Target.MATERIALIZE && compacted) {
        assertThat(staged).as("never more change rows than written").isLessThan(script.dataRecords);
      } else if (target == Target.MATERIALIZE) {
        assertThat(staged)
            .as("every change row written exactly once")
            .isEqualTo(script.dataRecords);
      } else {
        assertThat(staged).as("every staged row applied").isZero();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void deliversEveryChangeExactlyOnce(Target target) throws Exception {
    ChangeScript script = new ChangeScript(TRANSACTIONS, 1);
    run(script, sink(target).build(), 0);
    assertExactlyOnce(target, script);
    assertThat(GuardedConnections.statements()).isNotEmpty();
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void recoversFromAWriterFailureInTheMiddleOfAnEpoch(Target target) throws Exception {
    ChangeScript script = new ChangeScript(TRANSACTIONS, 2);
    ScriptedChangeSource.FAIL_AT.set(script.records.size() / 2 + 3);
    run(script, sink(target).build(), 3);
    assertThat(ScriptedChangeSource.FAIL_AT.get()).as("the failure happened").isEqualTo(-1);
    assertExactlyOnce(target, script);
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void recoversFromAFailureBetweenPrepareAndCommit(Target target) throws Exception {
    ChangeScript script = new ChangeScript(TRANSACTIONS, 3);
    GuardedConnections.Fault fault =
        GuardedConnections.failOnce(
            target.commitStatement, ConnectionDecorator.Role.COMMITTER, false);
    GuardedConnections.setFault(skipFirst(fault, 3));
    run(script, sink(target).commitAttempts(1).build(), 3);
    assertThat(fault.fired()).as("the commit failed once before it ran").isEqualTo(1);
    assertExactlyOnce(target, script);
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void recoversFromAFailureAfterCommitBeforeTheCheckpointIsAcknowledged(Target target)
      throws Exception {
    ChangeScript script = new ChangeScript(TRANSACTIONS, 4);
    GuardedConnections.Fault fault =
        GuardedConnections.failOnce(
            target.commitStatement, ConnectionDecorator.Role.COMMITTER, true);
    GuardedConnections.setFault(skipFirst(fault, 3));
    run(script, sink(target).commitAttempts(1).build(), 3);
    assertThat(fault.fired()).as("the task failed once right after a commit").isEqualTo(1);
    assertExactlyOnce(target, script);
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void recoversFromAFailureDuringDdl(Target target) throws Exception {
    ChangeScript script = new ChangeScript(TRANSACTIONS, 5);
    String secondCreate =
        target == Target.MATERIALIZE ? "CREATE VIEW \"s\".\"events\"" : "\"s\".\"events\" (";
    GuardedConnections.Fault fault =
        GuardedConnections.failOnce(secondCreate, ConnectionDecorator.Role.WRITER, false);
    GuardedConnections.setFault(fault);
    run(script, sink(target).build(), 3);
    assertThat(fault.fired()).as("a writer failed half-way through the DDL").isEqualTo(1);
    assertExactlyOnce(target, script);
    assertThat(GuardedConnections.statements()).anyMatch(s -> s.contains(secondCreate));
  }

  /**
   * A reader polls both tables in one statement while the job runs, fails, restarts and (on
   * Materialize) compacts after every commit: each read must be the two tables at one transaction
   * boundary of the source, never an uncommitted epoch, half a transaction, or tables at different
   * LSNs.
   */
  @ParameterizedTest
  @EnumSource(Target.class)
  void usersOnlyEverSeeBothTablesAtOneSourceTransactionBoundary(Target target) throws Exception {
    ChangeScript script = new ChangeScript(TRANSACTIONS, 6);
    ScriptedChangeSource.FAIL_AT.set(script.records.size() / 3);
    List<String> observed = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean done = new AtomicBoolean();
    Thread observer =
        new Thread(
            () -> {
              try (Connection c = pg.connect()) {
                while (!done.get()) {
                  try (Statement s = c.createStatement();
                      ResultSet rs = s.executeQuery(ChangeScript.STATE_QUERY)) {
                    rs.next();
                    observed.add(rs.getString(1));
                  } catch (java.sql.SQLException e) {
                    // Relations not created yet.
                  }
                }
              } catch (java.sql.SQLException e) {
                observed.add("connection failed: " + e.getMessage());
              }
            });
    observer.start();
    try {
      run(script, sink(target).compaction(1, 1000).build(), 3);
    } finally {
      done.set(true);
      observer.join();
    }
    assertThat(ScriptedChangeSource.FAIL_AT.get()).as("the failure happened").isEqualTo(-1);
    assertThat(observed).isNotEmpty();
    List<String> inconsistent =
        observed.stream().filter(o -> !script.consistentStates.contains(o)).distinct().toList();
    assertThat(inconsistent).as("reads that match no transaction boundary").isEmpty();
    assertThat(new java.util.HashSet<>(observed))
        .as("the reader saw the target move through several epochs")
        .hasSizeGreaterThan(2);
    assertExactlyOnce(target, script, target == Target.MATERIALIZE);
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void refusesATargetHoldingThisSourcesDataWhenStartingWithoutState(Target target)
      throws Exception {
    ChangeScript script = new ChangeScript(20, 7);
    run(script, sink(target).build(), 0);
    assertThatThrownBy(() -> run(script, sink(target).build(), 0))
        .satisfies(
            e ->
                assertThat(ExceptionUtils.stringifyException(e))
                    .contains("already holds data of source erp")
                    .contains("start-over"));
    assertExactlyOnce(target, script);
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void startingOverReplacesWhatAnEarlierJobCommitted(Target target) throws Exception {
    run(new ChangeScript(50, 8), sink(target).build(), 0);
    ChangeScript second = new ChangeScript(40, 9);
    run(second, sink(target).startOver(true).build(), 0);
    assertExactlyOnce(target, second);
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void retriesAFailedCommitWithBackoffWithoutRestartingTheJob(Target target) throws Exception {
    ChangeScript script = new ChangeScript(60, 12);
    GuardedConnections.setFault(
        GuardedConnections.sqlErrors(
            "INSERT INTO \"s\".\"erp_progress\"", ConnectionDecorator.Role.COMMITTER, 2));
    run(script, sink(target).commitAttempts(3).build(), 0);
    assertExactlyOnce(target, script);
    long attempts =
        GuardedConnections.statements().stream()
            .filter(sql -> sql.startsWith("INSERT INTO \"s\".\"erp_progress\""))
            .count();
    try (Connection c = pg.connect()) {
      assertThat(attempts)
          .as("two failed attempts, each retried")
          .isEqualTo(count(c, "SELECT count(*) FROM s.erp_progress") + 2);
    }
  }

  @Test
  void anUnreachableTargetIsRetriedThenReportedWithItsUrl() {
    MaterializeSink sink =
        sink(Target.MATERIALIZE)
            .targetUrl("jdbc:postgresql://127.0.0.1:1/nowhere")
            // Refused connections fail at once; 2 s leaves room for retries on a loaded machine.
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    assertThatThrownBy(() -> run(new ChangeScript(5, 13), sink, 0))
        .satisfies(
            e ->
                assertThat(ExceptionUtils.stringifyException(e))
                    .contains("Cannot connect to the target jdbc:postgresql://127.0.0.1:1/nowhere")
                    .containsPattern("after [2-9]\\d* attempts")
                    .contains("Check that the target is running"));
  }

  @Test
  void writersFlushAtTheBatchSizeInsteadOfBufferingAWholeEpoch() throws Exception {
    ChangeScript script = new ChangeScript(40, 14);
    // One checkpoint interval longer than the run: everything is one epoch until the end.
    run(script, sink(Target.MATERIALIZE).batchSize(10).build(), 0, true, 60_000);
    List<Integer> copies = GuardedConnections.copyRows();
    assertThat(copies).allMatch(n -> n <= 10);
    assertThat(copies.stream().mapToInt(Integer::intValue).sum()).isEqualTo(script.dataRecords);
    assertThat(copies.size()).isGreaterThanOrEqualTo(script.dataRecords / 10);
    assertExactlyOnce(Target.MATERIALIZE, script);
  }

  @Test
  void compactionDuringTheRunLeavesTheViewsCorrect() throws Exception {
    ChangeScript script = new ChangeScript(TRANSACTIONS, 10);
    run(script, sink(Target.MATERIALIZE).compaction(1, 1000).build(), 0);
    try (Connection c = pg.connect()) {
      assertThat(multiset(c, "SELECT id, owner, balance FROM s.accounts"))
          .isEqualTo(script.expectedAccounts);
      assertThat(multiset(c, "SELECT kind, n FROM s.events")).isEqualTo(script.expectedEvents);
      assertThat(count(c, "SELECT count(*) FROM s.accounts_changes"))
          .as("compaction removed cancelled rows")
          .isLessThan(script.dataRecords);
    }
  }

  @Test
  void rowsStayInvisibleWithoutProgressMarkers() throws Exception {
    ChangeScript script = new ChangeScript(30, 11);
    run(script, sink(Target.MATERIALIZE).build(), 0, false);
    try (Connection c = pg.connect()) {
      assertThat(count(c, "SELECT count(*) FROM s.accounts_changes")).isPositive();
      assertThat(count(c, "SELECT count(*) FROM s.accounts")).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void reportsUpdatesStagedAndCommittedCommitLatencyRowsAndBytesWritten(Target target)
      throws Exception {
    ChangeScript script = new ChangeScript(60, 15);
    run(script, sink(target).build(), 0);
    assertExactlyOnce(target, script);
    Map<String, Double> m = InMemoryMetricReporter.totals();
    assertThat(m)
        .containsEntry(StatisticNames.UPDATES_STAGED, (double) script.dataRecords)
        .containsEntry(StatisticNames.ROWS_WRITTEN, (double) script.dataRecords)
        .containsEntry(StatisticNames.UPDATES_COMMITTED, (double) script.dataRecords)
        .containsEntry(StatisticNames.COMMIT_RETRIES, 0.0)
        .containsKey(StatisticNames.COMMIT_LATENCY_MS);
    long copied = GuardedConnections.copyBytes().stream().mapToLong(Integer::longValue).sum();
    assertThat(m.get(StatisticNames.BYTES_WRITTEN))
        .as("bytes written: exactly the COPY payloads sent")
        .isPositive()
        .isEqualTo((double) copied);
    assertThat(m.get(StatisticNames.COMMIT_LATENCY_MS)).isNotNegative();
    try (Connection c = pg.connect()) {
      assertThat(m.get(StatisticNames.EPOCHS_COMMITTED))
          .as("one progress row per committed epoch")
          .isEqualTo((double) count(c, "SELECT count(*) FROM s.erp_progress"));
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void retriesAFailedCommitWithGrowingBackoffThenCommitsTheSameEpoch(Target target)
      throws Exception {
    ChangeScript script = new ChangeScript(60, 16);
    List<Long> attempts = Collections.synchronizedList(new ArrayList<>());
    GuardedConnections.Fault errors =
        GuardedConnections.sqlErrors(
            "INSERT INTO \"s\".\"erp_progress\"", ConnectionDecorator.Role.COMMITTER, 2);
    GuardedConnections.setFault(
        new GuardedConnections.Fault() {
          @Override
          public void before(String sql, ConnectionDecorator.Role role) {
            if (role == ConnectionDecorator.Role.COMMITTER
                && sql.startsWith("INSERT INTO \"s\".\"erp_progress\"")) {
              attempts.add(System.nanoTime());
            }
            errors.before(sql, role);
          }
        });
    try (LogCapture log = LogCapture.start(Level.WARN)) {
      run(
          script,
          sink(target)
              .commitAttempts(3)
              .retryBackoff(Duration.ofMillis(200), Duration.ofMillis(300))
              .build(),
          0);
      String warnings = log.text();
      assertThat(warnings)
          .contains("failed (Injected connection loss before: INSERT INTO")
          .contains("retrying in 200 ms")
          .contains("retrying in 300 ms");
      if (pg.password() != null && !pg.password().isEmpty()) {
        assertThat(warnings).doesNotContain(pg.password());
      }
    }
    assertThat(errors.fired()).isEqualTo(2);
    assertExactlyOnce(target, script);
    assertThat(attempts).hasSizeGreaterThanOrEqualTo(3);
    assertThat((attempts.get(1) - attempts.get(0)) / 1_000_000L).isGreaterThanOrEqualTo(200);
    assertThat((attempts.get(2) - attempts.get(1)) / 1_000_000L).isGreaterThanOrEqualTo(300);
    assertThat(InMemoryMetricReporter.totals()).containsEntry(StatisticNames.COMMIT_RETRIES, 2.0);
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aCommitThatRunsOutOfAttemptsFailsTheTaskAndTheRestoredCommitterCommitsTheEpoch(Target target)
      throws Exception {
    ChangeScript script = new ChangeScript(60, 17);
    GuardedConnections.Fault errors =
        GuardedConnections.sqlErrors(
            "INSERT INTO \"s\".\"erp_progress\"", ConnectionDecorator.Role.COMMITTER, 2);
    GuardedConnections.setFault(errors);
    try (LogCapture log = LogCapture.start(Level.WARN)) {
      run(script, sink(target).commitAttempts(2).build(), 1);
      assertThat(log.text())
          .contains("failed 2 times")
          .contains("The epoch stays prepared and is committed after the job restarts");
    }
    assertThat(errors.fired()).isEqualTo(2);
    assertExactlyOnce(target, script);
  }

  @Test
  void buffersAtMostMaxBufferedRowsOverAllTables() throws Exception {
    ChangeScript script = new ChangeScript(40, 18);
    // Batches per table never fill up (1000 rows); the buffer limit over both tables does.
    run(
        script,
        sink(Target.MATERIALIZE).batchSize(1000).maxBufferedRows(7).build(),
        0,
        true,
        60_000);
    List<Integer> copies = GuardedConnections.copyRows();
    assertThat(copies).allMatch(n -> n <= 7);
    assertThat(copies.stream().mapToInt(Integer::intValue).sum()).isEqualTo(script.dataRecords);
    assertExactlyOnce(Target.MATERIALIZE, script);
  }

  /**
   * The target goes away for a second just as the committer writes a progress row: every open
   * connection is reset and so are new ones. The committer retries with back-off on a fresh
   * connection, writers that lose theirs fail their task and reconnect after the restart, and the
   * prepared epoch is committed once the target is back.
   */
  @ParameterizedTest
  @EnumSource(Target.class)
  void survivesATargetOutageMidRunWithoutLosingAPreparedEpoch(Target target) throws Exception {
    ChangeScript script = new ChangeScript(TRANSACTIONS, 19);
    URI pgUri = URI.create(pg.jdbcUrl().substring("jdbc:".length()));
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    AtomicInteger outages = new AtomicInteger();
    try (TcpProxy proxy = new TcpProxy(pgUri.getHost(), pgUri.getPort());
        LogCapture log = LogCapture.start(Level.WARN)) {
      String viaProxy =
          pg.jdbcUrl()
              .replace(pgUri.getHost() + ":" + pgUri.getPort(), "127.0.0.1:" + proxy.port());
      AtomicInteger progressInserts = new AtomicInteger();
      GuardedConnections.setFault(
          new GuardedConnections.Fault() {
            @Override
            public void before(String sql, ConnectionDecorator.Role role) {
              if (role == ConnectionDecorator.Role.COMMITTER
                  && sql.startsWith("INSERT INTO \"s\".\"erp_progress\"")
                  && progressInserts.incrementAndGet() == 3) {
                outages.incrementAndGet();
                proxy.cut();
                timer.schedule(proxy::restore, 1, TimeUnit.SECONDS);
              }
            }
          });
      run(
          script,
          sink(target)
              .targetUrl(viaProxy)
              .commitAttempts(5)
              .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(400))
              .build(),
          5);
      assertThat(outages.get()).as("the target went away once").isEqualTo(1);
      assertThat(log.text())
          .contains("Commit of epoch")
          .containsPattern("failed \\(.*\\), retrying in \\d+ ms")
          .contains("127.0.0.1:" + proxy.port());
    } finally {
      timer.shutdownNow();
    }
    assertExactlyOnce(target, script);
  }

  /** Lets the first {@code n} matching statements pass so the failure hits a running job. */
  private static GuardedConnections.Fault skipFirst(GuardedConnections.Fault fault, int n) {
    java.util.concurrent.atomic.AtomicInteger seen =
        new java.util.concurrent.atomic.AtomicInteger();
    return new GuardedConnections.Fault() {
      @Override
      public void before(String sql, ConnectionDecorator.Role role) {
        if (role == ConnectionDecorator.Role.COMMITTER && seen.get() >= n) {
          fault.before(sql, role);
        }
      }

      @Override
      public void after(String sql, ConnectionDecorator.Role role) {
        if (role == ConnectionDecorator.Role.COMMITTER && seen.incrementAndGet() > n) {
          fault.after(sql, role);
        }
      }

      @Override
      public int fired() {
        return fault.fired();
      }
    };
  }
}
