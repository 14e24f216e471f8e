package dev.mssql2mz.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mssql2mz.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The target section's connection properties against a real PostgreSQL server. */
class TargetConfigITCase {

  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  private TargetConfig target(String sslMode) throws ConfigException {
    StringBuilder yaml =
        new StringBuilder("source: {jdbc-url: 'jdbc:mssql2mz-emulator:x', user: sa}\n")
            .append("target:\n  url: '")
            .append(PG.jdbcUrl())
            .append("'\n");
    if (PG.user() != null) {
      yaml.append("  user: '").append(PG.user()).append("'\n");
    }
    if (PG.password() != null && !PG.password().isEmpty()) {
      yaml.append("  password: '").append(PG.password()).append("'\n");
    }
    if (sslMode != null) {
      yaml.append("  ssl-mode: ").append(sslMode).append("\n");
    }
    return new JobConfigLoader().parse(yaml.toString(), "test").target();
  }

  @Test
  void connectsWithTheConfiguredCredentialsAndNamesItself() throws Exception {
    TargetConfig target = target("disabled");
    assertThat(target.connectionProperties()).containsEntry("sslmode", "disable");
    try (Connection c = DriverManager.getConnection(target.url(), target.connectionProperties());
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT application_name, ssl FROM pg_stat_activity"
                    + " JOIN pg_stat_ssl USING (pid) WHERE pid = pg_backend_pid()")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("mssql2mz");
      assertThat(rs.getBoolean(2)).isFalse();
    }
  }

  @Test
  void requiredTlsFailsClearlyOnAServerWithoutTls() throws Exception {
    TargetConfig target = target("required");
    assertThat(target.connectionProperties()).containsEntry("sslmode", "require");
    assertThatThrownBy(
            () -> DriverManager.getConnection(target.url(), target.connectionProperties()))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("SSL");
  }
}
