package dev.mssql2mz.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mssql2mz.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.containers.MSSQLServerContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * Interop: Flink CDC's own {@code sqlserver-cdc} source (3.5.0, the fat SQL connector jar) feeding
 * mssql2mz's {@code materialize} sink, against real SQL Server 2022 with the agent on, into a real
 * PostgreSQL server. Inserts, updates and deletes made while the job runs must all arrive. Skipped,
 * and reported as skipped, where no Docker engine is available.
 *
 * <p>Flink CDC takes its chunk watermarks from {@code sys.fn_cdc_get_max_lsn()} (the race of
 * apache/flink-cdc#2853), so this proves the two connectors fit together, not that Flink CDC's
 * snapshot is exact under concurrent writes: the writes here start after its snapshot.
 */
@Tag("docker")
@Testcontainers(disabledWithoutDocker = true)
@Timeout(600)
class FlinkCdcInteropITCase {

  @Container
  static final MSSQLServerContainer<?> SQL_SERVER =
      new MSSQLServerContainer<>(
              DockerImageName.parse("mcr.microsoft.com/mssql/server:2022-latest"))
          .acceptLicense()
          .withEnv("MSSQL_AGENT_ENABLED", "true");

  @RegisterExtension final PostgresExtension pg = new PostgresExtension();

  @Test
  void flinkCdcSqlServerSourceFeedsTheMaterializeSinkWithEveryChange() throws Exception {
    try (Connection admin = admin(null);
        Statement s = admin.createStatement()) {
      s.execute("CREATE DATABASE shop");
    }
    try (Connection db = admin("shop")) {
      try (Statement s = db.createStatement()) {
        s.execute("EXEC sys.sp_cdc_enable_db");
        s.execute(
            "CREATE TABLE dbo.items (id INT NOT NULL PRIMARY KEY, name NVARCHAR(50),"
                + " qty INT, price DECIMAL(10, 2))");
        s.execute(
            "EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'items',"
                + " @role_name = NULL, @supports_net_changes = 0");
      }
      insert(db, 1, 500);

      Configuration conf = new Configuration();
      conf.setString("execution.checkpointing.interval", "500 ms");
      StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
      StreamTableEnvironment tEnv = StreamTableEnvironment.create(env);
      String columns =
          "id INT NOT NULL, name STRING, qty INT, price DECIMAL(10, 2), PRIMARY KEY (id) NOT"
              + " ENFORCED";
      tEnv.executeSql(
          "CREATE TABLE items_cdc ("
              + columns
              + ") WITH ('connector' = 'sqlserver-cdc', 'hostname' = '"
              + SQL_SERVER.getHost()
              + "', 'port' = '"
              + SQL_SERVER.getMappedPort(MSSQLServerContainer.MS_SQL_SERVER_PORT)
              + "', 'username' = '"
              + SQL_SERVER.getUsername()
              + "', 'password' = '"
              + SQL_SERVER.getPassword()
              + "', 'database-name' = 'shop', 'table-name' = 'dbo.items',"
              + " 'scan.startup.mode' = 'initial',"
              // mssql-jdbc 13 encrypts by default; the container's certificate is self-signed.
              + " 'debezium.database.encrypt' = 'false',"
              + " 'debezium.database.trustServerCertificate' = 'true')");
      tEnv.executeSql(
          "CREATE TABLE items_target ("
              + columns
              + ") WITH ('connector' = 'materialize', 'url' = '"
              + pg.jdbcUrl()
              + "'"
              + (pg.user() != null ? ", 'username' = '" + pg.user() + "'" : "")
              + (pg.password() != null && !pg.password().isEmpty()
                  ? ", 'password' = '" + pg.password() + "'"
                  : "")
              + ", 'table-name' = 'items', 'view-indexes' = 'false')");
      JobClient job =
          tEnv.executeSql("INSERT INTO items_target SELECT * FROM items_cdc")
              .getJobClient()
              .orElseThrow();
      try (Connection target = pg.connect()) {
        awaitEqual(db, target, job);
        insert(db, 501, 100);
        try (Statement s = db.createStatement()) {
          s.execute("UPDATE dbo.items SET qty = qty + 10, price = price * 2 WHERE id % 3 = 0");
          s.execute("DELETE FROM dbo.items WHERE id % 10 = 0");
          s.execute("UPDATE dbo.items SET id = id + 10000 WHERE id = 7"); // a key change
        }
        awaitEqual(db, target, job);
      } finally {
        job.cancel().get();
      }
    }
  }

  private static void awaitEqual(Connection source, Connection target, JobClient job) {
    Awaitility.await("target equal to dbo.items")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptionsInstanceOf(SQLException.class)
        .untilAsserted(
            () -> {
              assertThat(job.getJobStatus().get().isGloballyTerminalState())
                  .as("job ended")
                  .isFalse();
              List<String> expected =
                  rows(source, "SELECT id, name, qty, price FROM dbo.items ORDER BY id");
              assertThat(rows(target, "SELECT id, name, qty, price FROM public.items ORDER BY id"))
                  .isEqualTo(expected);
            });
  }

  private static List<String> rows(Connection c, String query) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      while (rs.next()) {
        out.add(
            rs.getInt(1)
                + "|"
                + rs.getString(2)
                + "|"
                + rs.getObject(3)
                + "|"
                + rs.getBigDecimal(4).toPlainString());
      }
    }
    return out;
  }

  private static void insert(Connection db, int first, int n) throws SQLException {
    try (PreparedStatement ps = db.prepareStatement("INSERT INTO dbo.items VALUES (?, ?, ?, ?)")) {
      for (int i = first; i < first + n; i++) {
        ps.setInt(1, i);
        ps.setString(2, "item " + i);
        ps.setInt(3, i % 7);
        ps.setBigDecimal(4, java.math.BigDecimal.valueOf(i, 2));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static Connection admin(String database) throws SQLException {
    return DriverManager.getConnection(
        SQL_SERVER.getJdbcUrl()
            + ";encrypt=false"
            + (database == null ? "" : ";databaseName=" + database),
        SQL_SERVER.getUsername(),
        SQL_SERVER.getPassword());
  }
}
