package dev.mssql2mz.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.MSSQLServerContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Smoke test against a real SQL Server 2022 with the agent on: the image starts and CDC can be
 * enabled. Reported as skipped (not passed) where no Docker engine is available.
 */
@Tag("docker")
@Testcontainers(disabledWithoutDocker = true)
class SqlServerContainerSmokeITCase {

  @Container
  static final MSSQLServerContainer<?> SQL_SERVER =
      new MSSQLServerContainer<>("mcr.microsoft.com/mssql/server:2022-latest")
          .acceptLicense()
          .withEnv("MSSQL_AGENT_ENABLED", "true");

  @Test
  void enablesCdcOnARealServer() throws Exception {
    try (Connection c =
            DriverManager.getConnection(
                SQL_SERVER.getJdbcUrl() + ";encrypt=false",
                SQL_SERVER.getUsername(),
                SQL_SERVER.getPassword());
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE smoke");
      s.execute("USE smoke");
      s.execute("EXEC sys.sp_cdc_enable_db");
      try (ResultSet rs =
          s.executeQuery("SELECT is_cdc_enabled FROM sys.databases WHERE name = N'smoke'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBoolean(1)).isTrue();
      }
    }
  }
}
