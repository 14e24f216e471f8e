package dev.mssql2mz.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mssql2mz.source.ChangeRecord;
import dev.mssql2mz.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The guard itself: it is in front of every connection a Materialize-dialect sink opens inside a
 * Flink job (no decorator needed), it refuses what Materialize would refuse, and it leaves other
 * sessions alone.
 */
class MaterializeGuardITCase {

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(4)
              .build());

  @RegisterExtension final PostgresExtension pg = new PostgresExtension();

  private Connection connectAs(String session) throws SQLException {
    Properties p = new Properties();
    if (pg.user() != null) {
      p.setProperty("user", pg.user());
    }
    if (pg.password() != null) {
      p.setProperty("password", pg.password());
    }
    p.setProperty("ApplicationName", session);
    return DriverManager.getConnection(pg.jdbcUrl(), p);
  }

  @Test
  void guardsTheSinksOwnConnectionsInsideAFlinkJob() throws Exception {
    long connections = MaterializeGuard.connectionsGuarded();
    long statements = MaterializeGuard.statementsChecked();
    ChangeScript script = new ChangeScript(20, 31);
    MaterializeSink sink =
        MaterializeSink.builder()
            .targetUrl(pg.jdbcUrl())
            .user(pg.user())
            .password(pg.password())
            .schema("s")
            .sourceName("erp")
            .tables(List.of(SinkFixtures.ACCOUNTS, SinkFixtures.EVENTS))
            .materializeWithoutIndexes()
            .batchSize(20)
            .build();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.enableCheckpointing(100, CheckpointingMode.EXACTLY_ONCE);
    env.addSource(
            new ScriptedChangeSource(script.transactions, script.seed, true, 40),
            TypeInformation.of(ChangeRecord.class))
        .setParallelism(1)
        .sinkTo(sink)
        .setParallelism(2);
    env.execute("guarded sink");
    assertThat(MaterializeGuard.connectionsGuarded() - connections)
        .as("two writers and the committer connect through the guard")
        .isGreaterThanOrEqualTo(3);
    // DDL, cleanup, the COPYs of 160 change rows in batches of 20, and the progress inserts.
    assertThat(MaterializeGuard.statementsChecked() - statements).isGreaterThan(15);
    try (Connection c = pg.connect()) {
      assertThat(SinkFixtures.multiset(c, "SELECT id, owner, balance FROM s.accounts"))
          .isEqualTo(script.expectedAccounts);
    }
  }

  @Test
  void refusesAndRecordsWhatMaterializeWouldRejectOnAMaterializeSession() throws Exception {
    try (Connection c = connectAs(MaterializeGuard.MATERIALIZE_SESSIONS + "writer");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE a (x int)");
      s.execute("CREATE TABLE b (x int)");
      c.setAutoCommit(false);
      s.executeUpdate("INSERT INTO a VALUES (1)");
      assertThatThrownBy(() -> s.executeUpdate("INSERT INTO b VALUES (1)"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("one table only");
      c.rollback();
      c.setAutoCommit(true);
      assertThatThrownBy(() -> s.execute("INSERT INTO a VALUES (1) ON CONFLICT DO NOTHING"))
          .hasMessageContaining("ON CONFLICT");
    }
    assertThat(MaterializeGuard.takeViolations())
        .hasSize(2)
        .allMatch(v -> v.contains("INSERT INTO"));
  }

  @Test
  void leavesOtherSessionsAlone() throws Exception {
    try (Connection c = connectAs("mssql2mz-postgres-committer");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE a (x int)");
      s.execute("CREATE TABLE b (x int)");
      c.setAutoCommit(false);
      s.executeUpdate("INSERT INTO a VALUES (1)");
      s.executeUpdate("INSERT INTO b VALUES (1)");
      s.executeUpdate("DELETE FROM a");
      c.commit();
    }
    assertThat(MaterializeGuard.violations()).isEmpty();
  }
}
