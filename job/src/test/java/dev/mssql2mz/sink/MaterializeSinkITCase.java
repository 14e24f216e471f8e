package dev.mssql2mz.sink;

import static dev.mssql2mz.sink.SinkFixtures.count;
import static dev.mssql2mz.sink.SinkFixtures.multiset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mssql2mz.source.ChangeRecord;
import dev.mssql2mz.testing.PostgresExtension;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.restartstrategy.RestartStrategies;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
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

  @BeforeEach
  void reset() {
    GuardedConnections.reset();
    ScriptedChangeSource.FAIL_AT.set(-1);
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
      if (target == Target.MATERIALIZE) {
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
    assertExactlyOnce(target, script);
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void recoversFromAFailureDuringDdl(Target target) throws Exception {
    ChangeScript script = new ChangeScript(TRANSACTIONS, 5);
    String secondCreate =
        target == Target.MATERIALIZE ? "CREATE VIEW \"s\".\"events\"" : "\"s\".\"events\" (";
    GuardedConnections.setFault(
        GuardedConnections.failOnce(secondCreate, ConnectionDecorator.Role.WRITER, false));
    run(script, sink(target).build(), 3);
    assertExactlyOnce(target, script);
    assertThat(GuardedConnections.statements()).anyMatch(s -> s.contains(secondCreate));
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void usersNeverSeeHalfATransactionWhileTheJobRunsAndFails(Target target) throws Exception {
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
                      ResultSet rs =
                          s.executeQuery("SELECT count(*), sum(balance) FROM s.accounts")) {
                    rs.next();
                    BigDecimal sum = rs.getBigDecimal(2);
                    observed.add(rs.getLong(1) + "|" + (sum == null ? "" : sum.toPlainString()));
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
      run(script, sink(target).build(), 3);
    } finally {
      done.set(true);
      observer.join();
    }
    assertThat(observed).isNotEmpty();
    assertThat(observed).allMatch(o -> o.equals("0|") || o.equals("10|1000.00"));
    assertThat(observed).contains("10|1000.00");
    assertExactlyOnce(target, script);
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
            .connectTimeout(Duration.ofMillis(300))
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
    };
  }
}
