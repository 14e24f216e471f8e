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

import dev.mssql2mz.testing.PostgresExtension;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Materialize dialect's SQL against a real PostgreSQL, every statement checked by the guard.
 */
class MaterializeDialectITCase {

  @RegisterExtension final PostgresExtension pg = new PostgresExtension();

  private final MaterializeDialect dialect = new MaterializeDialect(false);
  private final TargetModel model = SinkFixtures.model("mz");
  private final GuardedConnections guard = new GuardedConnections();
  private Connection c;

  @BeforeEach
  void open() throws Exception {
    GuardedConnections.reset();
    c = guard.decorate(MaterializeGuard.wrap(pg.connect()), ConnectionDecorator.Role.WRITER);
    dialect.createMissing(c, model);
  }

  @AfterEach
  void everyStatementFollowedMaterializesRules() throws Exception {
    c.close();
    assertThat(GuardedConnections.statements()).isNotEmpty();
    assertThat(GuardedConnections.violations()).isEmpty();
  }

  private Map<String, Integer> accounts() throws Exception {
    return multiset(c, "SELECT id, owner, balance FROM mz.accounts");
  }

  private Map<String, Integer> events() throws Exception {
    return multiset(c, "SELECT kind, n FROM mz.events");
  }

  @Test
  void createsSchemaChangeTablesProgressRelationAndViews() throws Exception {
    assertThat(dialect.relations(c, "mz"))
        .containsExactlyInAnyOrder(
            "accounts", "accounts_changes", "events", "events_changes", "erp_progress");
    assertThat(accounts()).isEmpty();
    assertThat(dialect.latestCommitted(c, model)).isEmpty();
  }

  @Test
  void createsWhatIsMissingAgainAndFromConcurrentWriters() throws Exception {
    TargetModel fresh = SinkFixtures.model("fresh");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        done.add(
            pool.submit(
                () -> {
                  try (Connection own = MaterializeGuard.wrap(pg.connect())) {
                    dialect.createMissing(own, fresh);
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    dialect.createMissing(c, fresh);
    assertThat(dialect.relations(c, "fresh")).hasSize(5);
  }

  @Test
  void refusesAnExistingChangeTableWithOtherColumns() throws Exception {
    TargetModel changed =
        new TargetModel(
            "mz",
            "erp",
            List.of(
                new dev.mssql2mz.sqlserver.SourceTable(
                    "dbo",
                    "accounts",
                    "accounts",
                    List.of(
                        new dev.mssql2mz.sqlserver.SourceColumn(
                            "id", "int", 4, 10, 0, false, false),
                        new dev.mssql2mz.sqlserver.SourceColumn(
                            "email", "nvarchar", 100, 0, 0, true, false)),
                    List.of("id"))));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> dialect.createMissing(c, changed))
        .hasMessageContaining("mz.accounts_changes")
        .hasMessageContaining("dbo.accounts")
        .hasMessageContaining("start over");
  }

  @Test
  void viewShowsNothingOfAnEpochBeforeItIsCommitted() throws Exception {
    dialect.append(
        c, model, batch(model, 1, 0, account(SNAPSHOT, 5, 1, "ann", "10.00")), WriteMethod.COPY);
    assertThat(accounts()).isEmpty();
    dialect.commitEpoch(c, model, 1, lsn(5), Instant.now());
    assertThat(accounts()).containsOnlyKeys("1|ann|10.00");
    dialect.append(
        c, model, batch(model, 2, 0, account(INSERT, 6, 2, "bob", "1.00")), WriteMethod.COPY);
    assertThat(accounts()).containsOnlyKeys("1|ann|10.00");
  }

  @Test
  void viewNeverShowsHalfASourceTransaction() throws Exception {
    // Transaction at LSN 10 moves 5.00 from ann to bob and logs an event; epoch 1 holds only part
    // of it, and the source's markers said it was complete up to LSN 9 at that checkpoint.
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
    dialect.commitEpoch(c, model, 1, lsn(9), Instant.now());
    assertThat(accounts()).containsOnlyKeys("1|ann|10.00", "2|bob|0.00");
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
    dialect.append(
        c, model, batch(model, 2, 0, event(INSERT, 10, "transfer", 5)), WriteMethod.COPY);
    assertThat(accounts()).containsOnlyKeys("1|ann|10.00", "2|bob|0.00");
    assertThat(events()).isEmpty();
    dialect.commitEpoch(c, model, 2, lsn(10), Instant.now());
    assertThat(accounts()).containsOnlyKeys("1|ann|5.00", "2|bob|5.00");
    assertThat(events()).containsOnlyKeys("transfer|5");
  }

  @Test
  void keylessDuplicateRowsKeepTheirMultiplicity() throws Exception {
    dialect.append(
        c,
        model,
        batch(
            model,
            1,
            0,
            event(INSERT, 1, "click", 1),
            event(INSERT, 2, "click", 1),
            event(INSERT, 3, "click", 1),
            event(DELETE, 4, "click", 1),
            event(INSERT, 4, null, null)),
        WriteMethod.COPY);
    dialect.commitEpoch(c, model, 1, lsn(4), Instant.now());
    assertThat(events()).containsEntry("click|1", 2).containsEntry("null|null", 1).hasSize(2);
  }

  @Test
  void updatesConsolidateToTheNewestRow() throws Exception {
    dialect.append(
        c,
        model,
        batch(
            model,
            1,
            0,
            account(INSERT, 1, 7, "eve", "1.00"),
            account(UPDATE_BEFORE, 2, 7, "eve", "1.00"),
            account(UPDATE_AFTER, 2, 7, "eve", "2.00"),
            account(UPDATE_BEFORE, 3, 7, "eve", "2.00"),
            account(UPDATE_AFTER, 3, 7, "Eve ü😀", "3.00")),
        WriteMethod.COPY);
    dialect.commitEpoch(c, model, 1, lsn(3), Instant.now());
    assertThat(accounts()).containsExactly(Map.entry("7|Eve ü😀|3.00", 1));
  }

  @Test
  void compactionRemovesCancelledRowsWithoutChangingTheViews() throws Exception {
    List<dev.mssql2mz.source.ChangeRecord> rows = new ArrayList<>();
    rows.add(account(INSERT, 1, 1, "a", "0.00"));
    for (int i = 1; i <= 20; i++) {
      rows.add(account(UPDATE_BEFORE, 1 + i, 1, "a", (i - 1) + ".00"));
      rows.add(account(UPDATE_AFTER, 1 + i, 1, "a", i + ".00"));
    }
    rows.add(account(INSERT, 30, 2, "b", "1.00"));
    dialect.append(
        c,
        model,
        batch(model, 1, 0, rows.toArray(new dev.mssql2mz.source.ChangeRecord[0])),
        WriteMethod.COPY);
    // Uncommitted rows of the next epoch cancel committed ones but must survive compaction.
    dialect.append(
        c, model, batch(model, 2, 0, account(DELETE, 40, 2, "b", "1.00")), WriteMethod.COPY);
    dialect.commitEpoch(c, model, 1, lsn(30), Instant.now());
    Map<String, Integer> before = accounts();
    long removed =
        dialect.compact(
            c, model, model.table("accounts"), dialect.latestCommitted(c, model).get(), 1000);
    assertThat(removed).isEqualTo(40);
    assertThat(accounts()).isEqualTo(before);
    assertThat(count(c, "SELECT count(*) FROM mz.accounts_changes")).isEqualTo(3);
    dialect.commitEpoch(c, model, 2, lsn(40), Instant.now());
    assertThat(accounts()).containsOnlyKeys("1|a|20.00");
  }

  @Test
  void compactionWorkIsBoundedPerRun() throws Exception {
    dialect.append(
        c,
        model,
        batch(
            model,
            1,
            0,
            event(INSERT, 1, "x", 1),
            event(DELETE, 2, "x", 1),
            event(INSERT, 3, "y", 1),
            event(DELETE, 4, "y", 1),
            event(INSERT, 5, "z", 1)),
        WriteMethod.COPY);
    dialect.commitEpoch(c, model, 1, lsn(5), Instant.now());
    CommittedEpoch at = dialect.latestCommitted(c, model).get();
    assertThat(dialect.compact(c, model, model.table("events"), at, 1)).isEqualTo(2);
    assertThat(events()).containsOnlyKeys("z|1");
    assertThat(dialect.compact(c, model, model.table("events"), at, 1)).isEqualTo(2);
    assertThat(dialect.compact(c, model, model.table("events"), at, 1)).isZero();
    assertThat(events()).containsOnlyKeys("z|1");
  }

  @Test
  void deletesOnlyItsOwnUncommittedRowsAboveTheRestoredEpoch() throws Exception {
    dialect.append(c, model, batch(model, 1, 0, event(INSERT, 1, "keep", 0)), WriteMethod.COPY);
    dialect.append(c, model, batch(model, 2, 0, event(INSERT, 2, "gone", 0)), WriteMethod.COPY);
    dialect.append(
        c, model, batch(model, 2, 1, event(INSERT, 2, "other writer", 1)), WriteMethod.COPY);
    dialect.append(
        c, model, batch(model, 2, 5, event(INSERT, 2, "gone writer", 5)), WriteMethod.COPY);
    dialect.deleteUncommitted(c, model, 0, 2, 1);
    assertThat(multiset(c, "SELECT kind FROM mz.events_changes"))
        .containsOnlyKeys("keep", "other writer");
  }

  @Test
  void rollingBackToAnOlderEpochStepsTheViewsBack() throws Exception {
    dialect.append(c, model, batch(model, 1, 0, event(INSERT, 1, "one", 1)), WriteMethod.COPY);
    dialect.commitEpoch(c, model, 1, lsn(1), Instant.now());
    dialect.append(c, model, batch(model, 2, 0, event(INSERT, 2, "two", 2)), WriteMethod.COPY);
    dialect.commitEpoch(c, model, 2, lsn(2), Instant.now());
    assertThat(events()).hasSize(2);
    dialect.rollBackTo(c, model, 1);
    assertThat(events()).containsOnlyKeys("one|1");
    assertThat(dialect.latestCommitted(c, model).get().epoch()).isEqualTo(1);
  }

  @Test
  void insertWriteMethodWritesTheSameRowsAsCopy() throws Exception {
    dev.mssql2mz.source.ChangeRecord[] rows = {
      account(INSERT, 1, 1, "tab\there", "1.00"),
      account(INSERT, 1, 2, "new\nline \\ back", "2.00"),
      account(INSERT, 1, 3, null, null)
    };
    dialect.append(c, model, batch(model, 1, 0, rows), WriteMethod.COPY);
    dialect.commitEpoch(c, model, 1, lsn(1), Instant.now());
    Map<String, Integer> viaCopy = accounts();
    dialect.clearCommitted(c, model);
    dialect.deleteUncommitted(c, model, 0, 0, 0);
    dialect.append(c, model, batch(model, 1, 0, rows), WriteMethod.INSERT);
    dialect.commitEpoch(c, model, 1, lsn(1), Instant.now());
    assertThat(accounts()).isEqualTo(viaCopy).hasSize(3).containsKey("1|tab\there|1.00");
  }

  @Test
  void trimmingProgressKeepsTheNewestEpochVisible() throws Exception {
    for (int e = 1; e <= 5; e++) {
      dialect.append(c, model, batch(model, e, 0, event(INSERT, e, "e", e)), WriteMethod.COPY);
      dialect.commitEpoch(c, model, e, lsn(e), Instant.now());
    }
    Map<String, Integer> before = events();
    assertThat(dialect.trimProgress(c, model, 4)).isEqualTo(3);
    assertThat(events()).isEqualTo(before).hasSize(5);
  }

  /**
   * The progress relation is a plain table users (and {@code status}) read with SQL, like
   * Materialize's progress subsource: one row per committed epoch, the LSN as SQL Server's 10
   * bytes, the commit time.
   */
  @Test
  void progressRelationIsPlainSqlWithTheCommittedLsnAndTime() throws Exception {
    Instant before = Instant.now().minusSeconds(1);
    dialect.append(c, model, batch(model, 1, 0, event(INSERT, 5, "x", 1)), WriteMethod.COPY);
    dialect.commitEpoch(c, model, 1, lsn(5), Instant.now());
    dialect.commitEpoch(c, model, 2, lsn(7), Instant.now());
    try (java.sql.Statement s = c.createStatement();
        java.sql.ResultSet rs =
            s.executeQuery(
                "SELECT epoch, lsn, committed_at FROM mz.erp_progress ORDER BY epoch DESC")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong("epoch")).isEqualTo(2);
      assertThat(rs.getBytes("lsn")).isEqualTo(lsn(7).toBytes()).hasSize(10);
      assertThat(rs.getTimestamp("committed_at").toInstant()).isAfter(before);
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong("epoch")).isEqualTo(1);
      assertThat(rs.next()).isFalse();
    }
    assertThat(dialect.latestCommitted(c, model).orElseThrow().lsn()).isEqualTo(lsn(7));
  }
}
