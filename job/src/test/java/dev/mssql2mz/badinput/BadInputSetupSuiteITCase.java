package dev.mssql2mz.badinput;

import static dev.mssql2mz.badinput.BadInputFixture.cli;
import static dev.mssql2mz.badinput.BadInputFixture.emulatorSource;
import static dev.mssql2mz.badinput.BadInputFixture.flink;
import static dev.mssql2mz.badinput.BadInputFixture.shop;
import static dev.mssql2mz.badinput.BadInputFixture.target;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mssql2mz.badinput.BadInputFixture.CliResult;
import dev.mssql2mz.badinput.BadInputFixture.RunningJob;
import dev.mssql2mz.cli.ExitCodes;
import dev.mssql2mz.demo.emulator.SqlServerEmulator;
import dev.mssql2mz.testing.PostgresExtension;
import dev.mssql2mz.testing.TargetSnapshot;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input suite, part 1: what a user meets when restarting {@code mssql2mz run} against a
 * target that already holds delivered data, with something wrong on the way. Each case asserts the
 * exit code, the one message that says what to do, and that the target is byte-for-byte what it was
 * (every relation of the schema, progress included).
 */
@Timeout(120)
class BadInputSetupSuiteITCase {

  private static final String SCHEMA = "shop";
  private static final AtomicInteger FILES = new AtomicInteger();

  private static String targetUrl;
  private static String targetDatabase;
  private static TargetSnapshot delivered;

  @TempDir Path dir;

  private SqlServerEmulator db;
  private Path passwordFile;

  /** One real delivery into the target: every case then restarts against it. */
  @BeforeAll
  static void deliverOnce(@TempDir Path tmp) throws Exception {
    targetDatabase = "badinput_setup_" + ProcessHandle.current().pid();
    targetUrl = PostgresExtension.server().createDatabase(targetDatabase);
    try (SqlServerEmulator source = shop(30)) {
      Path pw = Files.writeString(tmp.resolve("pw"), source.password());
      String yaml =
          emulatorSource(source, pw.toString(), "all")
              + target(targetUrl, "postgres", SCHEMA)
              + flink("");
      source.execute("UPDATE dbo.orders SET note = N'changed' WHERE id <= 5");
      source.execute("DELETE FROM dbo.orders WHERE id = 30");
      try (RunningJob job = BadInputFixture.start(BadInputFixture.parse(yaml), true);
          Connection target = PostgresExtension.server().connect(targetUrl)) {
        job.awaitCommitted(
            target,
            source.awaitCaptured(source.lastCommitLsn(), Duration.ofSeconds(30)),
            Duration.ofSeconds(60));
      }
    }
    delivered = snapshot();
    assertThat(delivered.rows("orders")).isEqualTo(29);
  }

  @AfterAll
  static void dropTarget() throws Exception {
    if (targetDatabase != null) {
      PostgresExtension.server().dropDatabase(targetDatabase);
    }
  }

  private static TargetSnapshot snapshot() throws Exception {
    try (Connection c = PostgresExtension.server().connect(targetUrl)) {
      return TargetSnapshot.of(c, SCHEMA);
    }
  }

  @BeforeEach
  void source() throws Exception {
    db = shop(30);
    passwordFile = Files.writeString(dir.resolve("source-password"), db.password());
  }

  @AfterEach
  void stopSource() throws Exception {
    db.close();
    assertThat(snapshot()).as("the delivered target after the failed run").isEqualTo(delivered);
  }

  private Path config(String yaml) throws Exception {
    Path file = dir.resolve("job" + FILES.incrementAndGet() + ".yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private Path config(String source, String target) throws Exception {
    return config(source + target + flink(""));
  }

  private Path emulatorConfig(String tables) throws Exception {
    return config(
        emulatorSource(db, passwordFile.toString(), tables), target(targetUrl, "postgres", SCHEMA));
  }

  private static CliResult run(Path config) {
    return cli("run", "--config", config.toString());
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  // ---- reaching SQL Server and the target ------------------------------------------------

  @Test
  void aWrongSourcePasswordExitsFourNamingTheLoginAndWhatToCheck() throws Exception {
    Files.writeString(passwordFile, "not-the-password");
    CliResult r = run(emulatorConfig("all"));
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(r.err())
        .contains("Login failed for user 'mssql2mz'")
        .contains("check source.user and source.password")
        .doesNotContain("not-the-password");
  }

  @Test
  void aClosedSourcePortExitsFourNamingHostAndPort() throws Exception {
    int port = closedPort();
    CliResult r =
        run(
            config(
                "source:\n  host: 127.0.0.1\n  port: "
                    + port
                    + "\n  database: shop\n  user: mssql2mz\n  password: {file: \""
                    + passwordFile
                    + "\"}\n  ssl-mode: disabled\n",
                target(targetUrl, "postgres", SCHEMA)));
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(r.err())
        .contains("Cannot connect to SQL Server at 127.0.0.1:" + port + "/shop")
        .contains("check that SQL Server runs and is reachable from here");
  }

  @Test
  void anUnknownSourceHostExitsFourNamingTheHost() throws Exception {
    CliResult r =
        run(
            config(
                "source:\n  host: no-such-host.invalid\n  database: shop\n  user: mssql2mz\n"
                    + "  password: {file: \""
                    + passwordFile
                    + "\"}\n",
                target(targetUrl, "postgres", SCHEMA)));
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(r.err())
        .contains("no-such-host.invalid:1433/shop")
        .contains("source.host and source.port");
  }

  @Test
  void aClosedTargetPortExitsFourBeforeAnythingStarts() throws Exception {
    int port = closedPort();
    CliResult r =
        run(
            config(
                emulatorSource(db, passwordFile.toString(), "all"),
                target("jdbc:postgresql://127.0.0.1:" + port + "/nowhere", "postgres", SCHEMA)));
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(r.err())
        .contains("Cannot connect to the target jdbc:postgresql://127.0.0.1:" + port + "/nowhere")
        .contains("check that the target runs and is reachable");
  }

  @Test
  void aTargetLoginThatDoesNotExistExitsFourNamingTheUser() throws Exception {
    // The embedded server trusts local logins, so a wrong password is not refused there; an
    // unknown role is refused the same way at login.
    String target =
        target(targetUrl.replaceAll("user=[^&]*", "user=nobody_here"), "postgres", SCHEMA)
                .replaceAll("(?m)^  user: .*\\n", "")
            + "  user: nobody_here\n";
    CliResult r = run(config(emulatorSource(db, passwordFile.toString(), "all"), target));
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(r.err())
        .contains("as nobody_here")
        .contains("nobody_here")
        .contains("target.user, target.password");
  }

  @Test
  void requiringTlsFromATargetWithoutTlsExitsFourNamingTheSslMode() throws Exception {
    String target = target(targetUrl, "postgres", SCHEMA) + "  ssl-mode: required\n";
    CliResult r = run(config(emulatorSource(db, passwordFile.toString(), "all"), target));
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(r.err()).contains("does not support SSL").contains("target.ssl-mode");
  }

  @Test
  void aSourceCaFileThatIsNoCertificateExitsFourNamingSslCa() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "this is not a certificate\n");
    CliResult r =
        run(
            config(
                "source:\n  host: 127.0.0.1\n  port: "
                    + closedPort()
                    + "\n  database: shop\n  user: mssql2mz\n  password: {file: \""
                    + passwordFile
                    + "\"}\n  ssl-mode: verify-full\n  ssl-ca: "
                    + ca
                    + "\n",
                target(targetUrl, "postgres", SCHEMA)));
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(r.err())
        .contains("source.ssl-ca: cannot use " + ca + " as the certificate authority")
        .contains("check source.ssl-mode and source.ssl-ca");
  }

  @Test
  void anSshKeyTheBastionRefusesExitsFourNamingTheBastionAndTheFix() throws Exception {
    KeyPair accepted = rsa();
    SshServer sshd = SshServer.setUpDefaultServer();
    sshd.setHost("127.0.0.1");
    sshd.setPort(0);
    sshd.setKeyPairProvider(KeyPairProvider.wrap(rsa()));
    sshd.setPublickeyAuthenticator(
        (user, key, session) -> KeyUtils.compareKeys(key, accepted.getPublic()));
    sshd.setForwardingFilter(AcceptAllForwardingFilter.INSTANCE);
    sshd.start();
    try {
      Path key = Files.writeString(dir.resolve("id_rsa"), openSsh(rsa()));
      CliResult r =
          run(
              config(
                  "source:\n  host: 127.0.0.1\n  database: shop\n  user: mssql2mz\n"
                      + "  password: {file: \""
                      + passwordFile
                      + "\"}\n  ssh-tunnel:\n    host: 127.0.0.1\n    port: "
                      + sshd.getPort()
                      + "\n    user: tunnel\n    private-key: "
                      + key
                      + "\n",
                  target(targetUrl, "postgres", SCHEMA)));
      assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.UNREACHABLE);
      assertThat(r.err())
          .contains("SSH tunnel ssh://tunnel@127.0.0.1:" + sshd.getPort())
          .contains("the bastion refused the private key from source.ssh-tunnel.private-key")
          .contains("authorized_keys");
    } finally {
      sshd.stop(true);
    }
  }

  // ---- SQL Server set-up -------------------------------------------------------------------

  private void assertNotSetUp(CliResult r, String... expected) {
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.VALIDATION_FAILED);
    assertThat(r.err()).contains("mssql2mz run: SQL Server is not set up for this job (");
    for (String e : expected) {
      assertThat(r.err()).contains(e);
    }
  }

  @Test
  void aDatabaseWithoutCdcExitsThreeWithEnableDb() throws Exception {
    db.disableCdc();
    assertNotSetUp(
        run(emulatorConfig("all")),
        "CDC is not enabled on database shop",
        "USE [shop]; EXEC sys.sp_cdc_enable_db;");
  }

  @Test
  void aListedTableWithoutCdcExitsThreeWithEnableTable() throws Exception {
    db.execute("CREATE TABLE dbo.plain (id INT NOT NULL PRIMARY KEY)");
    assertNotSetUp(
        run(emulatorConfig("[dbo.orders, dbo.plain]")),
        "Table dbo.plain is not enabled for CDC",
        "EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'plain'");
  }

  @Test
  void snapshotIsolationOffExitsThreeWithAlterDatabase() throws Exception {
    db.setSnapshotIsolation(false);
    assertNotSetUp(
        run(emulatorConfig("all")),
        "Snapshot isolation is off on database shop",
        "ALTER DATABASE [shop] SET ALLOW_SNAPSHOT_ISOLATION ON;");
  }

  static Stream<Arguments> grants() {
    return Stream.of(
        Arguments.of("EXECUTE", "OBJECT", "sys.fn_cdc_get_min_lsn", "GRANT EXECUTE ON"),
        Arguments.of("EXECUTE", "OBJECT", "sys.fn_cdc_get_max_lsn", "GRANT EXECUTE ON"),
        Arguments.of("EXECUTE", "OBJECT", "sys.fn_cdc_increment_lsn", "GRANT EXECUTE ON"),
        Arguments.of("VIEW DATABASE STATE", "DATABASE", "shop", "GRANT VIEW DATABASE STATE TO"),
        Arguments.of("SELECT", "SCHEMA", "cdc", "GRANT SELECT ON SCHEMA::cdc TO"),
        Arguments.of("SELECT", "OBJECT", "dbo.orders", "GRANT SELECT ON [dbo].[orders] TO"),
        Arguments.of(
            "VIEW DEFINITION", "SCHEMA", "dbo", "GRANT VIEW DEFINITION ON SCHEMA::[dbo] TO"));
  }

  @ParameterizedTest(name = "missing {0} on {2}")
  @MethodSource("grants")
  void eachMissingGrantExitsThreeWithItsGrantStatement(
      String permission, String kind, String securable, String fix) throws Exception {
    db.revoke(permission, kind, securable);
    CliResult r = run(emulatorConfig("all"));
    assertNotSetUp(r, "Missing permission " + permission, fix);
    assertThat(r.err()).contains("[mssql2mz];");
  }

  @Test
  void aCaptureJobStoppedForHoursExitsThreeWithHowToStartIt() throws Exception {
    db.awaitCaptured(db.lastCommitLsn(), Duration.ofSeconds(30));
    db.stopCaptureJob();
    // Two hours pass without a capture scan: move the capture job's last entries back in time.
    try (Connection admin = db.adminConnection();
        Statement s = admin.createStatement()) {
      s.executeUpdate(
          "UPDATE cdc.lsn_time_mapping SET tran_begin_time = DATEADD(HOUR, -2, tran_begin_time),"
              + " tran_end_time = DATEADD(HOUR, -2, tran_end_time)");
      admin.commit();
    }
    assertNotSetUp(
        run(emulatorConfig("all")),
        "The CDC capture job of database shop looks stopped",
        "EXEC msdb.dbo.sp_start_job @job_name = N'cdc.shop_capture';");
  }

  @Test
  void anUnsupportedColumnTypeExitsThreeNamingTheColumnAndBothWaysOut() throws Exception {
    db.execute("CREATE TABLE dbo.docs (id INT NOT NULL PRIMARY KEY, body XML)");
    db.enableTable("dbo", "docs");
    assertNotSetUp(
        run(emulatorConfig("all")),
        "Column dbo.docs.body has type xml, which cannot be replicated",
        "EXCLUDE COLUMNS",
        "TEXT COLUMNS");
  }

  @Test
  void twoTablesWithOneTargetNameExitThreeAskingForAnAlias() throws Exception {
    db.execute("CREATE SCHEMA sales");
    db.execute("CREATE TABLE sales.orders (id INT NOT NULL PRIMARY KEY)");
    db.enableTable("sales", "orders");
    assertNotSetUp(
        run(emulatorConfig("all")),
        "Tables dbo.orders and sales.orders would both be named 'orders' in the target",
        "give one an alias");
  }

  // ---- the config file -----------------------------------------------------------------

  static Stream<Arguments> malformedConfigs() {
    return Stream.of(
        Arguments.of(
            "ssl-mode: verify",
            "source.ssl-mode: 'verify' is not allowed. Allowed values: disabled, required,"
                + " verify-ca, verify-full."),
        Arguments.of("port: 70000", "source.port"),
        Arguments.of("ssl-mod: required", "source.ssl-mod: unknown key. Did you mean 'ssl-mode'?"),
        Arguments.of("tables: [orders]", "source.tables"),
        Arguments.of("user: [a, b]", "source.user"),
        Arguments.of("password: {vault: x}", "source.password"));
  }

  @ParameterizedTest(name = "source.{0}")
  @MethodSource("malformedConfigs")
  void aMalformedSourceValueExitsTwoNamingTheKey(String line, String expected) throws Exception {
    String source =
        "source:\n  jdbc-url: "
            + db.jdbcUrl()
            + "\n  user: mssql2mz\n  password: {file: \""
            + passwordFile
            + "\"}\n";
    String key = line.substring(0, line.indexOf(':'));
    source = source.replaceAll("(?m)^  " + key + ": .*\\n", "") + "  " + line + "\n";
    CliResult r = run(config(source, target(targetUrl, "postgres", SCHEMA)));
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("Invalid config ").contains(expected);
  }

  @Test
  void malformedFlinkAndTargetValuesAreAllListedAtOnce() throws Exception {
    String yaml =
        emulatorSource(db, passwordFile.toString(), "all")
            + target("mysql://localhost/x", "mysql", SCHEMA)
            + "flink:\n  parallelism: 0\n  checkpoint-interval: 5 parsecs\n  chunk-size: -1\n";
    CliResult r = run(config(yaml));
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .contains("target.url")
        .contains("target.dialect: 'mysql' is not allowed")
        .contains("flink.parallelism")
        .contains("flink.checkpoint-interval")
        .contains("flink.chunk-size");
  }

  @Test
  void aPasswordFromAnUnsetVariableExitsWithTheVariablesName() throws Exception {
    String source =
        emulatorSource(db, passwordFile.toString(), "all")
            .replaceAll("(?m)^  password: .*$", "  password: {env: MSSQL2MZ_BAD_INPUT_NEVER_SET}");
    CliResult r = run(config(source, target(targetUrl, "postgres", SCHEMA)));
    assertThat(r.code()).as(r.toString()).isNotZero();
    assertThat(r.err())
        .contains("source.password: environment variable MSSQL2MZ_BAD_INPUT_NEVER_SET is not set");
  }

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    return g.generateKeyPair();
  }

  private static String openSsh(KeyPair key) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "test", null, out);
    return out.toString(StandardCharsets.UTF_8);
  }
}
