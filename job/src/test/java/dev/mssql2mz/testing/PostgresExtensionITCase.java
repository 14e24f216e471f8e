package dev.mssql2mz.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The test infrastructure itself: a real PostgreSQL server, and a fresh database per test. */
class PostgresExtensionITCase {

  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  private static final Set<String> SEEN_DATABASES = new HashSet<>();

  @Test
  void connectsToARealPostgresServer() throws Exception {
    try (Connection c = PG.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_database(), version()")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo(PG.database());
      assertThat(rs.getString(2)).startsWith("PostgreSQL");
    }
  }

  @RepeatedTest(3)
  void eachTestGetsAFreshEmptyDatabase() throws Exception {
    assertThat(SEEN_DATABASES.add(PG.database())).as("database names are unique").isTrue();
    try (Connection c = PG.connect();
        Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery(
              "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")) {
        rs.next();
        assertThat(rs.getInt(1)).as("no tables left over from an earlier test").isZero();
      }
      s.execute("CREATE TABLE left_behind (id int)");
    }
  }

  @Test
  void allowsPreparedTransactionsForTheXaPeer() throws Exception {
    try (Connection c = PG.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW max_prepared_transactions")) {
      rs.next();
      assertThat(Integer.parseInt(rs.getString(1))).isPositive();
    }
  }
}
