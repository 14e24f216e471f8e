package dev.mssql2mz.sink;

import static dev.mssql2mz.sink.SinkFixtures.count;
import static dev.mssql2mz.sink.SinkFixtures.event;
import static dev.mssql2mz.sink.SinkFixtures.lsn;
import static dev.mssql2mz.sink.SinkFixtures.multiset;
import static dev.mssql2mz.source.ChangeOperation.INSERT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mssql2mz.testing.PostgresExtension;
import dev.mssql2mz.udfs.Lsn;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.runtime.metrics.groups.InternalSinkCommitterMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The committer on its own, as Flink drives it after restarts: the same committables again, out of
 * order, and epochs with nothing new. Both dialects.
 */
@Timeout(120)
class EpochCommitterITCase {

  @RegisterExtension final PostgresExtension pg = new PostgresExtension();

  private MaterializeSink sink(boolean postgres) {
    return sink(postgres, 0);
  }

  private MaterializeSink sink(boolean postgres, int compactEveryEpochs) {
    MaterializeSinkBuilder b =
        MaterializeSink.builder()
            .targetUrl(pg.jdbcUrl())
            .user(pg.user())
            .password(pg.password())
            .schema("s")
            .sourceName("erp")
            .tables(List.of(SinkFixtures.ACCOUNTS, SinkFixtures.EVENTS))
            .compaction(compactEveryEpochs, 10)
            .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(20));
    return (postgres ? b.postgres() : b.materializeWithoutIndexes()).build();
  }

  private static EpochCommitter committer(MaterializeSink sink) {
    return new EpochCommitter(
        sink.settings(),
        InternalSinkCommitterMetricGroup.wrap(
            UnregisteredMetricGroups.createUnregisteredOperatorMetricGroup()));
  }

  private static EpochCommittable epoch(long epoch, int lsn, long rows) {
    return new EpochCommittable(epoch, lsn(lsn), 1, rows, rows * 10, Set.of("events"));
  }

  /** Stages one event of {@code epoch} at {@code lsn}, as writer 0 would. */
  private void stage(MaterializeSink sink, Connection c, long epoch, int lsn) throws Exception {
    TargetModel model = sink.model();
    sink.settings()
        .dialect
        .append(
            c,
            model,
            SinkFixtures.batch(model, epoch, 0, event(INSERT, lsn, "e" + epoch, lsn)),
            WriteMethod.COPY);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void committingTheSameEpochAgainWritesNothingAndSaysItWasCommitted(boolean postgres)
      throws Exception {
    MaterializeSink sink = sink(postgres);
    try (Connection c = postgres ? pg.connect() : MaterializeGuard.wrap(pg.connect());
        EpochCommitter committer = committer(sink)) {
      TargetPreparer.prepare(c, sink.settings(), 0, 1, OptionalLong.empty());
      stage(sink, c, 1, 5);
      Request first = new Request(epoch(1, 5, 1));
      committer.commit(List.of(first));
      assertThat(first.alreadyCommitted).isFalse();

      // Flink hands the committable over again after a restart (commit done, ack lost).
      Request again = new Request(epoch(1, 5, 1));
      committer.commit(List.of(again));
      assertThat(again.alreadyCommitted).isTrue();
      assertThat(count(c, "SELECT count(*) FROM s.erp_progress")).isEqualTo(1);
      assertThat(multiset(c, "SELECT kind, n FROM s.events")).containsOnlyKeys("e1|5");
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void epochsAreCommittedInOrderAndAnOlderOneIsNeverWrittenAfterANewer(boolean postgres)
      throws Exception {
    MaterializeSink sink = sink(postgres);
    try (Connection c = postgres ? pg.connect() : MaterializeGuard.wrap(pg.connect());
        EpochCommitter committer = committer(sink)) {
      TargetPreparer.prepare(c, sink.settings(), 0, 1, OptionalLong.empty());
      stage(sink, c, 1, 5);
      stage(sink, c, 2, 6);
      Request two = new Request(epoch(2, 6, 1));
      Request one = new Request(epoch(1, 5, 1));
      committer.commit(List.of(two, one));
      assertThat(multiset(c, "SELECT epoch FROM s.erp_progress")).containsOnlyKeys("1", "2");
      assertThat(one.alreadyCommitted || two.alreadyCommitted).isFalse();

      Request late = new Request(epoch(1, 5, 1));
      committer.commit(List.of(late));
      assertThat(late.alreadyCommitted).isTrue();
      assertThat(dialectLatest(sink, c)).isEqualTo(lsn(6));
      assertThat(multiset(c, "SELECT kind FROM s.events")).containsOnlyKeys("e1", "e2");
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void anEpochWithNoRowsAndNoNewLsnWritesNoProgressRowAndTheLsnNeverGoesBack(boolean postgres)
      throws Exception {
    MaterializeSink sink = sink(postgres);
    try (Connection c = postgres ? pg.connect() : MaterializeGuard.wrap(pg.connect());
        EpochCommitter committer = committer(sink)) {
      TargetPreparer.prepare(c, sink.settings(), 0, 1, OptionalLong.empty());
      stage(sink, c, 1, 8);
      committer.commit(List.of(new Request(epoch(1, 8, 1))));
      Request idle = new Request(epoch(2, 8, 0));
      committer.commit(List.of(idle));
      assertThat(idle.alreadyCommitted).as("nothing to show: not written").isTrue();
      // A later epoch whose markers lag (a rescaled source) keeps the committed LSN.
      stage(sink, c, 3, 8);
      committer.commit(List.of(new Request(epoch(3, 7, 1))));
      assertThat(count(c, "SELECT count(*) FROM s.erp_progress")).isEqualTo(2);
      assertThat(dialectLatest(sink, c)).isEqualTo(lsn(8));
    }
  }

  @Test
  void aSlowCompactionNeverHoldsUpTheNextCommits() throws Exception {
    MaterializeSink sink = sink(false, 1);
    try (Connection c = MaterializeGuard.wrap(pg.connect());
        Connection blocker = pg.connect();
        EpochCommitter committer = committer(sink)) {
      TargetPreparer.prepare(c, sink.settings(), 0, 1, OptionalLong.empty());
      for (int e = 1; e <= 3; e++) {
        stage(sink, c, e, 4 + e);
      }
      // Compaction's DELETE waits for this lock for as long as the test holds it.
      blocker.setAutoCommit(false);
      try (Statement st = blocker.createStatement()) {
        for (TableModel t : sink.model().tables()) {
          st.execute("LOCK TABLE s.\"" + t.changeTable() + "\" IN ACCESS EXCLUSIVE MODE");
        }
      }
      // Commits run on a thread of their own, so a commit stuck behind compaction fails the test.
      ExecutorService commits = Executors.newSingleThreadExecutor();
      try {
        Future<?> first =
            commits.submit(
                () -> {
                  committer.commit(List.of(new Request(epoch(1, 5, 1))));
                  return null;
                });
        Awaitility.await("epoch 1 committed, its compaction blocked")
            .atMost(Duration.ofSeconds(20))
            .until(() -> first.isDone() && committer.isCompacting());
        first.get();
        // Epochs keep committing while compaction waits.
        Future<?> next =
            commits.submit(
                () -> {
                  committer.commit(
                      List.of(new Request(epoch(2, 6, 1)), new Request(epoch(3, 7, 1))));
                  return null;
                });
        Awaitility.await("epochs 2 and 3 committed while compaction is blocked")
            .atMost(Duration.ofSeconds(20))
            .until(next::isDone);
        next.get();
        assertThat(committer.isCompacting()).as("still blocked by the lock").isTrue();
        try (Connection reader = pg.connect()) {
          assertThat(multiset(reader, "SELECT epoch FROM s.erp_progress"))
              .containsOnlyKeys("1", "2", "3");
        }
      } finally {
        blocker.rollback();
        commits.shutdownNow();
      }
      Awaitility.await("compaction done once the lock is gone")
          .atMost(Duration.ofSeconds(20))
          .until(() -> !committer.isCompacting());
    }
  }

  private static Lsn dialectLatest(MaterializeSink sink, Connection c) throws Exception {
    return sink.settings().dialect.latestCommitted(c, sink.model()).orElseThrow().lsn();
  }

  /** A commit request as Flink's committer operator hands it over. */
  private static final class Request implements Committer.CommitRequest<EpochCommittable> {
    private final EpochCommittable committable;
    boolean alreadyCommitted;
    final Collection<Throwable> failures = new ArrayList<>();

    Request(EpochCommittable committable) {
      this.committable = committable;
    }

    @Override
    public EpochCommittable getCommittable() {
      return committable;
    }

    @Override
    public int getNumberOfRetries() {
      return 0;
    }

    @Override
    public void signalFailedWithKnownReason(Throwable t) {
      failures.add(t);
    }

    @Override
    public void signalFailedWithUnknownReason(Throwable t) {
      failures.add(t);
    }

    @Override
    public void retryLater() {
      failures.add(new IllegalStateException("retryLater"));
    }

    @Override
    public void updateAndRetryLater(EpochCommittable committable) {
      failures.add(new IllegalStateException("updateAndRetryLater"));
    }

    @Override
    public void signalAlreadyCommitted() {
      alreadyCommitted = true;
    }
  }
}
