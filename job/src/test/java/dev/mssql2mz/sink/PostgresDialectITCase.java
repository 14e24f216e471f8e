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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mssql2mz.testing.PostgresExtension;
import java.sql.Connection;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The PostgreSQL dialect: typed tables, one transaction per epoch. */
class PostgresDialectITCase {

  @RegisterExtension final PostgresExtension pg = new PostgresExtension();

  private final PostgresDialect dialect = new PostgresDialect();
  private final TargetModel model = SinkFixtures.model("pgt");
  private Connection c;

  @BeforeEach
  void open() throws Exception {
    GuardedConnections.reset();
    c = new GuardedConnections().decorate(pg.connect(), ConnectionDecorator.Role.COMMITTER);
    dialect.createMissing(c, model);
  }

  @AfterEach
  void close() throws Exception {
    GuardedConnections.reset();
    c.close();
  }

  private Map<String, Integer> accounts() throws Exception {
    return multiset(c, "SELECT id, owner, balance FROM pgt.accounts");
  }

  private Map<String, Integer> events() throws Exception {
    return multiset(c, "SELECT kind, n FROM pgt.events");
  }

  @Test
  void createsTypedTablesWithTheSourcesPrimaryKeys() throws Exception {
    assertThat(
            multiset(
                c,
                "SELECT tc.table_name, kcu.column_name FROM information_schema.table_constraints tc"
                    + " JOIN information_schema.key_column_usage kcu"
                    + " ON tc.constraint_name = kcu.constraint_name AND tc.table_schema = kcu.table_schema"
                    + " WHERE tc.table_schema = 'pgt' AND tc.constraint_type = 'PRIMARY KEY'"))
        .containsOnlyKeys("accounts|id", "erp_progress|epoch");
    assertThat(
            multiset(
                c,
                "SELECT data_type FROM information_schema.columns WHERE table_schema = 'pgt'"
                    + " AND table_name = 'accounts' AND column_name = 'balance'"))
        .containsOnlyKeys("numeric");
  }

  @Test
  void commitAppliesTheEpochAndRecordsItsProgressTogether() throws Exception {
    dialect.append(
        c,
        model,
        batch(
            model,
            1,
            0,
            account(SNAPSHOT, 1, 1, "ann", "10.00"),
            account(SNAPSHOT, 1, 2, "bob", "0.00"),
            account(UPDATE_BEFORE, 2, 1, "ann", "10.00"),
            account(UPDATE_AFTER, 2, 1, "ann", "4.00"),
            account(DELETE, 3, 2, "bob", "0.00"),
            account(INSERT, 4, 2, "bob", "6.00")),
        WriteMethod.COPY);
    assertThat(accounts()).isEmpty();
    dialect.commitEpoch(c, model, 1, lsn(4), Instant.now());
    assertThat(accounts()).containsOnlyKeys("1|ann|4.00", "2|bob|6.00");
    assertThat(count(c, "SELECT count(*) FROM pgt.accounts_changes")).isZero();
    assertThat(dialect.latestCommitted(c, model).get().lsn()).isEqualTo(lsn(4));
  }

  @Test
  void changesAboveTheCommittedLsnStayStagedUntilALaterCommit() throws Exception {
    dialect.append(
        c,
        model,
        batch(
            model,
            1,
            0,
            account(INSERT, 1, 1, "ann", "1.00"),
            account(UPDATE_BEFORE, 5, 1, "ann", "1.00"),
            account(UPDATE_AFTER, 5, 1, "ann", "2.00")),
        WriteMethod.COPY);
    dialect.commitEpoch(c, model, 1, lsn(4), Instant.now());
    assertThat(accounts()).containsOnlyKeys("1|ann|1.00");
    assertThat(count(c, "SELECT count(*) FROM pgt.accounts_changes")).isEqualTo(2);
    dialect.commitEpoch(c, model, 2, lsn(5), Instant.now());
    assertThat(accounts()).containsOnlyKeys("1|ann|2.00");
  }

  @Test
  void keylessTablesDeleteExactlyTheRetractedCopies() throws Exception {
    dialect.append(
        c,
        model,
        batch(
            model,
            1,
            0,
            event(INSERT, 1, "x", 1),
            event(INSERT, 1, "x", 1),
            event(INSERT, 1, "x", 1),
            event(INSERT, 1, null, null),
            event(INSERT, 1, null, null)),
        WriteMethod.COPY);
    dialect.commitEpoch(c, model, 1, lsn(1), Instant.now());
    dialect.append(
        c,
        model,
        batch(
            model,
            2,
            0,
            event(DELETE, 2, "x", 1),
            event(DELETE, 2, "x", 1),
            event(DELETE, 2, null, null)),
        WriteMethod.COPY);
    dialect.commitEpoch(c, model, 2, lsn(2), Instant.now());
    assertThat(events()).containsEntry("x|1", 1).containsEntry("null|null", 1).hasSize(2);
  }

  @Test
  void aFailedCommitAppliesNothing() throws Exception {
    dialect.append(
        c, model, batch(model, 1, 0, account(INSERT, 1, 1, "ann", "1.00")), WriteMethod.COPY);
    GuardedConnections.setFault(
        GuardedConnections.failOnce("INSERT INTO \"pgt\".\"erp_progress\"", null, false));
    assertThatThrownBy(() -> dialect.commitEpoch(c, model, 1, lsn(1), Instant.now()))
        .hasMessageContaining("Injected failure");
    assertThat(accounts()).isEmpty();
    assertThat(dialect.latestCommitted(c, model)).isEmpty();
    dialect.commitEpoch(c, model, 1, lsn(1), Instant.now());
    assertThat(accounts()).containsOnlyKeys("1|ann|1.00");
  }

  @Test
  void refusesToStepBackWithAFix() {
    assertThatThrownBy(() -> dialect.rollBackTo(c, model, 3))
        .hasMessageContaining("cannot go back")
        .hasMessageContaining("start over");
  }

  @Test
  void startingOverEmptiesTheTypedTablesAndProgress() throws Exception {
    dialect.append(
        c, model, batch(model, 1, 0, account(INSERT, 1, 1, "ann", "1.00")), WriteMethod.COPY);
    dialect.commitEpoch(c, model, 1, lsn(1), Instant.now());
    dialect.clearCommitted(c, model);
    assertThat(accounts()).isEmpty();
    assertThat(dialect.latestCommitted(c, model)).isEmpty();
  }
}
