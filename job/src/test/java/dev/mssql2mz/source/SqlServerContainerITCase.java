package dev.mssql2mz.source;

import static dev.mssql2mz.testing.SourceAssertions.consolidate;
import static dev.mssql2mz.testing.SourceAssertions.differences;
import static dev.mssql2mz.testing.SourceAssertions.tableRows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mssql2mz.sqlserver.CatalogDiscovery;
import dev.mssql2mz.sqlserver.SetupChecker;
import dev.mssql2mz.sqlserver.SourceTable;
import dev.mssql2mz.sqlserver.SqlServerQueries;
import dev.mssql2mz.sqlserver.TableSelection;
import dev.mssql2mz.udfs.Lsn;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.testcontainers.containers.MSSQLServerContainer;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The emulator scenarios against real SQL Server 2022 and 2019 with the agent on (the capture job
 * runs). Skipped, and reported as skipped, where no Docker engine is available.
 */
@Tag("docker")
@Testcontainers(disabledWithoutDocker = true)
@Timeout(600)
class SqlServerContainerITCase {

  @RegisterExtension
  static final MiniClusterExtension MINI_CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(4)
              .build());

  static Stream<String> images() {
    return Stream.of(
        "mcr.microsoft.com/mssql/server:2022-latest", "mcr.microsoft.com/mssql/server:2019-latest");
  }

  private static MSSQLServerContainer<?> start(String image) {
    MSSQLServerContainer<?> c =
        new MSSQLServerContainer<>(DockerImageName.parse(image))
            .acceptLicense()
            .withEnv("MSSQL_AGENT_ENABLED", "true");
    c.start();
    return c;
  }

  private static Properties tls() {
    Properties p = new Properties();
    p.setProperty("encrypt", "false");
    p.setProperty("trustServerCertificate", "true");
    return p;
  }

  private static Connection admin(MSSQLServerContainer<?> c, String db) throws Exception {
    return DriverManager.getConnection(
        c.getJdbcUrl() + ";encrypt=false" + (db == null ? "" : ";databaseName=" + db),
        c.getUsername(),
        c.getPassword());
  }

  private static void setUp(MSSQLServerContainer<?> c) throws Exception {
    try (Connection a = admin(c, null);
        Statement s = a.createStatement()) {
      s.execute("CREATE DATABASE shop");
      s.execute("ALTER DATABASE shop SET ALLOW_SNAPSHOT_ISOLATION ON");
    }
    try (Connection a = admin(c, "shop");
        Statement s = a.createStatement()) {
      s.execute("EXEC sys.sp_cdc_enable_db");
      s.execute("CREATE TABLE dbo.items (id INT NOT NULL PRIMARY KEY, name NVARCHAR(50), qty INT)");
      s.execute(
          "EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'items',"
              + " @role_name = NULL, @supports_net_changes = 0");
      try (PreparedStatement ps = a.prepareStatement("INSERT INTO dbo.items VALUES (?, ?, ?)")) {
        for (int i = 1; i <= 2000; i++) {
          ps.setInt(1, i);
          ps.setString(2, "item " + i);
          ps.setInt(3, i % 7);
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
  }

  private static SqlServerCdcSource source(MSSQLServerContainer<?> c) {
    return SqlServerCdcSource.builder()
        .host(c.getHost())
        .port(c.getMappedPort(MSSQLServerContainer.MS_SQL_SERVER_PORT))
        .database("shop")
        .user(c.getUsername())
        .password(c.getPassword())
        .driverProperties(tls())
        .tables(TableSelection.tables("dbo.items"))
        .chunkSize(100)
        .pollInterval(Duration.ofMillis(200))
        .build();
  }

  private static Lsn awaitCaptured(Connection a) throws Exception {
    Lsn[] max = new Lsn[1];
    Lsn target;
    try (Statement s = a.createStatement();
        var rs = s.executeQuery("SELECT MAX(__$start_lsn) FROM cdc.dbo_items_CT")) {
      rs.next();
      target = Lsn.fromBytes(rs.getBytes(1));
    }
    Awaitility.await()
        .atMost(Duration.ofMinutes(2))
        .until(
            () -> {
              max[0] = SqlServerQueries.maxLsn(a);
              return max[0] != null && !max[0].isBefore(target);
            });
    return max[0];
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("images")
  void snapshotThenStreamEqualsTheSourceWithWritesDuringTheSnapshot(String image) throws Exception {
    try (MSSQLServerContainer<?> c = start(image)) {
      setUp(c);
      try (Connection a = admin(c, "shop");
          CollectingJob job = CollectingJob.start(source(c), 2)) {
        Random random = new Random(1);
        try (PreparedStatement upd =
                a.prepareStatement("UPDATE dbo.items SET qty = qty + 1 WHERE id = ?");
            PreparedStatement del = a.prepareStatement("DELETE FROM dbo.items WHERE id = ?")) {
          for (int i = 0; i < 300; i++) {
            PreparedStatement ps = random.nextBoolean() ? upd : del;
            ps.setInt(1, 1 + random.nextInt(2000));
            ps.executeUpdate();
          }
        }
        job.awaitProgress(awaitCaptured(a));
        SourceTable t =
            TableSelection.tables("dbo.items")
                .resolve(CatalogDiscovery.discover(a), SqlServerQueries.tables(a))
                .get(0)
                .table();
        assertThat(differences(tableRows(a, t), consolidate(job.records, "items"))).isEmpty();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("images")
  void aCorrectSetupPassesTheChecker(String image) throws Exception {
    try (MSSQLServerContainer<?> c = start(image)) {
      setUp(c);
      try (Connection a = admin(c, "shop")) {
        assertThat(new SetupChecker(a, TableSelection.allTables()).problems()).isEmpty();
      }
    }
  }
}
