package dev.mssql2mz.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JobConfigLoaderTest {

  private static final String TARGET =
      "target:\n  url: jdbc:postgresql://localhost:6875/materialize\n  user: materialize\n";

  private static final String SOURCE =
      "source:\n"
          + "  host: sql.example.com\n"
          + "  database: shop\n"
          + "  user: mssql2mz\n"
          + "  password: {env: MSSQL2MZ_SOURCE_PASSWORD}\n";

  private static JobConfig load(String yaml) throws ConfigException {
    return new JobConfigLoader().parse(yaml, "test.yaml");
  }

  private static List<String> problemsOf(String yaml) {
    try {
      load(yaml);
    } catch (ConfigException e) {
      return e.problems();
    }
    throw new AssertionError("expected the config to be rejected:\n" + yaml);
  }

  @Test
  void minimalConfigGetsTheDocumentedDefaults() throws Exception {
    JobConfig config = load(SOURCE + TARGET);

    SourceConfig source = config.source();
    assertThat(source.host()).contains("sql.example.com");
    assertThat(source.port()).isEqualTo(1433);
    assertThat(source.database()).contains("shop");
    assertThat(source.sslMode()).isEqualTo(SslMode.REQUIRED);
    assertThat(source.sshTunnel()).isEmpty();
    assertThat(source.selection().allTables()).isTrue();
    assertThat(source.password().orElseThrow().kind()).isEqualTo(Secret.Kind.ENV);
    assertThat(config.target().dialect()).isEqualTo(TargetDialectKind.MATERIALIZE);
    assertThat(config.target().schema()).isEqualTo("public");
    assertThat(config.target().sourceName()).isEqualTo("mssql2mz");
    assertThat(config.target().sslMode()).isEmpty();
    assertThat(config.flink().parallelism()).isEqualTo(1);
    assertThat(config.flink().checkpointInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.flink().chunkSize()).isEqualTo(8096);
    assertThat(config.flink().pollInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.flink().stateBackend()).isEqualTo(StateBackendKind.HASHMAP);
    assertThat(config.warnings()).isEmpty();
  }

  @Test
  void fullConfigReadsEveryOption() throws Exception {
    JobConfig config =
        load(
            "source:\n"
                + "  host: 10.0.0.5\n"
                + "  port: 14330\n"
                + "  database: shop\n"
                + "  user: mssql2mz\n"
                + "  password: {file: /run/secrets/sql}\n"
                + "  ssl-mode: verify-full\n"
                + "  ssl-ca: /etc/ssl/sql-ca.pem\n"
                + "  ssh-tunnel:\n"
                + "    host: bastion.example.com\n"
                + "    port: 2222\n"
                + "    user: tunnel\n"
                + "    private-key: /etc/mssql2mz/id_rsa\n"
                + "    known-hosts: /etc/mssql2mz/known_hosts\n"
                + "  tables:\n"
                + "    - dbo.orders\n"
                + "    - sales.orders as sales_orders\n"
                + "    - '[my schema].[odd]]name] as odd'\n"
                + "  schemas: [inventory]\n"
                + "  exclude-columns: [dbo.orders.notes]\n"
                + "  text-columns: ['sales.orders.[total value]']\n"
                + "target:\n"
                + "  url: jdbc:postgresql://mz:6875/materialize\n"
                + "  user: materialize\n"
                + "  password: {env: MZ_PASSWORD}\n"
                + "  dialect: postgres\n"
                + "  schema: replica\n"
                + "  source-name: shop_cdc\n"
                + "  ssl-mode: required\n"
                + "flink:\n"
                + "  parallelism: 4\n"
                + "  checkpoint-interval: 500ms\n"
                + "  chunk-size: 1000\n"
                + "  poll-interval: 2s\n"
                + "  state-backend: rocksdb\n"
                + "  checkpoint-dir: file:///var/lib/mssql2mz/checkpoints\n"
                + "  savepoint: s3://bucket/savepoints/sp-1\n");

    SourceConfig s = config.source();
    assertThat(s.port()).isEqualTo(14330);
    assertThat(s.sslMode()).isEqualTo(SslMode.VERIFY_FULL);
    assertThat(s.sslCa()).contains("/etc/ssl/sql-ca.pem");
    SshTunnelConfig ssh = s.sshTunnel().orElseThrow();
    assertThat(ssh.host()).isEqualTo("bastion.example.com");
    assertThat(ssh.port()).isEqualTo(2222);
    assertThat(ssh.user()).isEqualTo("tunnel");
    assertThat(ssh.privateKey().kind()).isEqualTo(Secret.Kind.FILE);
    assertThat(ssh.knownHosts()).contains("/etc/mssql2mz/known_hosts");
    TableSelection sel = s.selection();
    assertThat(sel.allTables()).isFalse();
    assertThat(sel.tables())
        .containsExactly(
            new SelectedTable(new TableRef("dbo", "orders"), null),
            new SelectedTable(new TableRef("sales", "orders"), "sales_orders"),
            new SelectedTable(new TableRef("my schema", "odd]name"), "odd"));
    assertThat(sel.schemas()).containsExactly("inventory");
    assertThat(sel.includes(new TableRef("INVENTORY", "stock"))).isTrue();
    assertThat(sel.includes(new TableRef("dbo", "items"))).isFalse();
    assertThat(sel.targetName(new TableRef("sales", "orders"))).isEqualTo("sales_orders");
    assertThat(sel.excludeColumns())
        .containsExactly(new ColumnRef(new TableRef("dbo", "orders"), "notes"));
    assertThat(sel.textColumns())
        .containsExactly(new ColumnRef(new TableRef("sales", "orders"), "total value"));
    assertThat(config.target().dialect()).isEqualTo(TargetDialectKind.POSTGRES);
    assertThat(config.target().schema()).isEqualTo("replica");
    assertThat(config.target().sourceName()).isEqualTo("shop_cdc");
    assertThat(config.target().pgjdbcSslMode()).contains("require");
    assertThat(config.flink().parallelism()).isEqualTo(4);
    assertThat(config.flink().checkpointInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.flink().chunkSize()).isEqualTo(1000);
    assertThat(config.flink().pollInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.flink().stateBackend()).isEqualTo(StateBackendKind.ROCKSDB);
    assertThat(config.flink().checkpointDir()).contains("file:///var/lib/mssql2mz/checkpoints");
    assertThat(config.flink().savepoint()).contains("s3://bucket/savepoints/sp-1");
  }

  @Test
  void jdbcUrlReplacesHostAndDatabase() throws Exception {
    JobConfig config =
        load("source:\n  jdbc-url: jdbc:mssql2mz-emulator:demo\n  user: sa\n" + TARGET);
    assertThat(config.source().jdbcUrl()).contains("jdbc:mssql2mz-emulator:demo");
    assertThat(config.source().host()).isEmpty();
  }

  @Test
  void literalPasswordWorksWithAWarningThatDoesNotShowIt() throws Exception {
    JobConfig config =
        load(SOURCE.replace("{env: MSSQL2MZ_SOURCE_PASSWORD}", "hunter2-secret") + TARGET);
    assertThat(config.source().password().orElseThrow().reveal()).isEqualTo("hunter2-secret");
    assertThat(config.warnings())
        .singleElement()
        .asString()
        .contains("source.password is written into the config file")
        .doesNotContain("hunter2");
    assertThat(config.toString()).doesNotContain("hunter2").contains("****");
  }

  @Test
  void secretsNeverAppearInErrorsEvenNextToOtherProblems() {
    ConfigException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ConfigException.class,
            () ->
                load(
                    SOURCE.replace("{env: MSSQL2MZ_SOURCE_PASSWORD}", "hunter2-secret")
                        + "  port: not-a-port\n"
                        + TARGET
                        + "  password: [hunter2-list]\n"));
    assertThat(e.getMessage()).contains("not-a-port").doesNotContain("hunter2");
    assertThat(e.problems()).hasSize(2);
  }

  @Test
  void yamlSyntaxErrorsDoNotQuoteTheConfigText() {
    for (String broken :
        List.of(
            "source:\n  password: \"hunter2-unclosed\n  user: u\n",
            "source:\n  password: hunter2-x: y: z\n",
            "source: {password: hunter2-brace\n")) {
      ConfigException e =
          org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> load(broken));
      assertThat(e.getMessage()).as(broken).contains("not valid YAML").doesNotContain("hunter2");
    }
  }

  @Test
  void loadsAFileAndNamesItInErrors(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("job.yaml");
    Files.writeString(file, SOURCE + TARGET);
    assertThat(new JobConfigLoader().load(file).source().database()).contains("shop");

    Path missing = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> new JobConfigLoader().load(missing))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("cannot read the config file");
  }

  @Test
  void reportsAllProblemsAtOnce() {
    List<String> problems =
        problemsOf(
            "source:\n  host: h\n  database: d\n  user: u\n  port: 0\n  ssl-mode: on\n"
                + "target:\n  url: jdbc:mysql://x\n  dialect: oracle\n"
                + "flink:\n  parallelism: -1\n");
    assertThat(problems)
        .hasSize(5)
        .anyMatch(p -> p.startsWith("source.port:"))
        .anyMatch(p -> p.startsWith("source.ssl-mode:"))
        .anyMatch(p -> p.startsWith("target.url:"))
        .anyMatch(p -> p.startsWith("target.dialect:"))
        .anyMatch(p -> p.startsWith("flink.parallelism:"));
  }

  static Stream<Arguments> badConfigs() {
    return Stream.of(
        bad("emptyFile", "", "the config is empty; it needs at least 'source' and 'target'."),
        bad("notAMapping", "- a\n- b\n", "the config must be a mapping"),
        bad("brokenYaml", "source: [\n", "not valid YAML at line"),
        bad("duplicateKey", SOURCE + "  user: again\n" + TARGET, "not valid YAML"),
        bad("missingSource", TARGET, "source: required: the SQL Server to read from."),
        bad("missingTarget", SOURCE, "target: required"),
        bad(
            "unknownTopLevelKey",
            SOURCE + TARGET + "flnk: {}\n",
            "flnk: unknown key. Did you mean 'flink'? Allowed keys: source, target, flink."),
        bad(
            "misspelledSourceKey",
            SOURCE + "  hots: x\n" + TARGET,
            "source.hots: unknown key. Did you mean 'host'? Allowed keys of source: host, port,"),
        bad(
            "unknownSshKey",
            SOURCE
                + "  ssh-tunnel:\n    host: b\n    user: u\n    private-key: /k\n    pass: x\n"
                + TARGET,
            "source.ssh-tunnel.pass: unknown key."),
        bad(
            "missingHost",
            "source:\n  database: d\n  user: u\n" + TARGET,
            "source.host: required (or give source.jdbc-url)."),
        bad(
            "missingDatabase",
            "source:\n  host: h\n  user: u\n" + TARGET,
            "source.database: required (or give source.jdbc-url)."),
        bad(
            "missingUser",
            "source:\n  host: h\n  database: d\n" + TARGET,
            "source.user: required: the SQL Server login to connect as."),
        bad(
            "portNotANumber",
            SOURCE + "  port: fourteen\n" + TARGET,
            "source.port: expected an integer between 1 and 65535, got 'fourteen'."),
        bad(
            "portOutOfRange",
            SOURCE + "  port: 70000\n" + TARGET,
            "source.port: expected an integer between 1 and 65535, got 70000."),
        bad(
            "unknownSslMode",
            SOURCE + "  ssl-mode: verify\n" + TARGET,
            "source.ssl-mode: 'verify' is not allowed. Allowed values: disabled, required,"
                + " verify-ca, verify-full."),
        bad(
            "sslCaWithoutVerification",
            SOURCE + "  ssl-mode: required\n  ssl-ca: /ca.pem\n" + TARGET,
            "source.ssl-ca: is only used with ssl-mode verify-ca or verify-full, but ssl-mode is"
                + " required."),
        bad(
            "jdbcUrlWithHost",
            SOURCE + "  jdbc-url: jdbc:sqlserver://x\n" + TARGET,
            "source.host: cannot be combined with source.jdbc-url"),
        bad(
            "jdbcUrlWithoutJdbcPrefix",
            "source:\n  jdbc-url: sqlserver://x\n  user: u\n" + TARGET,
            "source.jdbc-url: must start with 'jdbc:'"),
        bad(
            "passwordFromEnvWithBadName",
            SOURCE.replace("MSSQL2MZ_SOURCE_PASSWORD", "'MY-PASSWORD'") + TARGET,
            "source.password: 'MY-PASSWORD' is not an environment variable name"),
        bad(
            "passwordWithUnknownSecretKind",
            SOURCE.replace("{env: MSSQL2MZ_SOURCE_PASSWORD}", "{vault: x}") + TARGET,
            "source.password: a secret is {env: VARIABLE}, {file: /path/to/file} or a string; got"
                + " a mapping with key(s) vault."),
        bad(
            "passwordAsList",
            SOURCE.replace("{env: MSSQL2MZ_SOURCE_PASSWORD}", "[a, b]") + TARGET,
            "source.password: expected {env: VARIABLE}, {file: /path/to/file} or a string, got a"
                + " list."),
        bad(
            "sshTunnelWithoutKey",
            SOURCE + "  ssh-tunnel:\n    host: b\n    user: u\n" + TARGET,
            "source.ssh-tunnel.private-key: required"),
        bad(
            "sshTunnelNotAMapping",
            SOURCE + "  ssh-tunnel: bastion:22\n" + TARGET,
            "source.ssh-tunnel: expected a mapping of keys, got 'bastion:22'."),
        bad(
            "tablesNeitherAllNorList",
            SOURCE + "  tables: everything\n" + TARGET,
            "source.tables: expected 'all' or a list of schema.table [as name], got"
                + " 'everything'."),
        bad(
            "tableWithoutSchema",
            SOURCE + "  tables: [orders]\n" + TARGET,
            "source.tables: item 1 'orders': expected schema.table (2 parts), got 1 part(s)."),
        bad(
            "tableNameNeedsQuoting",
            SOURCE + "  tables: ['dbo.order items']\n" + TARGET,
            "'order items' is not a plain identifier; quote it as [order items]"),
        bad(
            "unclosedBracket",
            SOURCE + "  tables: ['[dbo.orders']\n" + TARGET,
            "a quoted name is not closed with ]"),
        bad(
            "tableListedTwice",
            SOURCE + "  tables: [dbo.orders, DBO.Orders]\n" + TARGET,
            "source.tables: DBO.Orders is listed more than once."),
        bad(
            "targetNameCollision",
            SOURCE + "  tables: [dbo.orders, sales.orders]\n" + TARGET,
            "source.tables: dbo.orders and sales.orders would both be 'orders' in the target;"
                + " rename one with 'as', e.g. 'sales.orders as sales_orders'."),
        bad(
            "emptyTableList",
            SOURCE + "  tables: []\n" + TARGET,
            "source.tables: the list is empty"),
        bad(
            "schemasWithAllTables",
            SOURCE + "  tables: all\n  schemas: [sales]\n" + TARGET,
            "source.schemas: cannot be combined with 'tables: all'"),
        bad(
            "excludeColumnWithTwoParts",
            SOURCE + "  exclude-columns: [orders.notes]\n" + TARGET,
            "source.exclude-columns: item 1 'orders.notes': expected schema.table.column (3"
                + " parts), got 2 part(s)."),
        bad(
            "excludeColumnOfUnselectedTable",
            SOURCE + "  tables: [dbo.orders]\n  exclude-columns: [dbo.items.notes]\n" + TARGET,
            "source.exclude-columns: dbo.items.notes names table dbo.items, which is not selected"),
        bad(
            "columnBothExcludedAndText",
            SOURCE + "  exclude-columns: [dbo.t.c]\n  text-columns: [dbo.t.c]\n" + TARGET,
            "source.text-columns: dbo.t.c is also in exclude-columns"),
        bad(
            "textColumnsNotAList",
            SOURCE + "  text-columns: dbo.t.c\n" + TARGET,
            "source.text-columns: expected a list, e.g. [dbo.orders.payload], got 'dbo.t.c'."),
        bad(
            "targetUrlNotPostgres",
            SOURCE + "target:\n  url: jdbc:mysql://x/db\n",
            "target.url: must start with 'jdbc:postgresql:'"),
        bad("targetWithoutUrl", SOURCE + "target:\n  user: u\n", "target.url: required"),
        bad(
            "unknownDialect",
            SOURCE + TARGET + "  dialect: materialise\n",
            "target.dialect: 'materialise' is not allowed. Allowed values: materialize, postgres."
                + " Did you mean 'materialize'?"),
        bad(
            "targetSchemaNotAnIdentifier",
            SOURCE + TARGET + "  schema: My Schema\n",
            "target.schema: 'My Schema' is not a plain lower-case identifier"),
        bad(
            "parallelismZero",
            SOURCE + TARGET + "flink:\n  parallelism: 0\n",
            "flink.parallelism: expected an integer between 1 and 32768, got 0."),
        bad(
            "checkpointIntervalWithoutUnit",
            SOURCE + TARGET + "flink:\n  checkpoint-interval: 1000\n",
            "flink.checkpoint-interval: expected a duration such as 500ms, 10s, 2m or 1h, got the"
                + " number 1000 (add a unit: 1000ms or 1000s)."),
        bad(
            "checkpointIntervalTooShort",
            SOURCE + TARGET + "flink:\n  checkpoint-interval: 10ms\n",
            "flink.checkpoint-interval: must be between 100ms and 24h, got '10ms'."),
        bad(
            "pollIntervalBadUnit",
            SOURCE + TARGET + "flink:\n  poll-interval: 1 second\n",
            "flink.poll-interval: expected a duration such as 500ms, 10s, 2m or 1h, got '1"
                + " second'."),
        bad(
            "chunkSizeNotANumber",
            SOURCE + TARGET + "flink:\n  chunk-size: big\n",
            "flink.chunk-size: expected an integer at least 1, got 'big'."),
        bad(
            "unknownStateBackend",
            SOURCE + TARGET + "flink:\n  state-backend: memory\n",
            "flink.state-backend: 'memory' is not allowed. Allowed values: hashmap, rocksdb."),
        bad(
            "relativeCheckpointDir",
            SOURCE + TARGET + "flink:\n  checkpoint-dir: checkpoints\n",
            "flink.checkpoint-dir: expected an absolute path or a URI with a scheme"),
        bad(
            "flinkNotAMapping",
            SOURCE + TARGET + "flink: fast\n",
            "flink: expected a mapping of keys, got 'fast'."));
  }

  private static Arguments bad(String name, String yaml, String expectedProblem) {
    return Arguments.of(name, yaml, expectedProblem);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badConfigs")
  void rejectsBadConfigWithThePathAndTheFix(String name, String yaml, String expected) {
    assertThat(problemsOf(yaml)).anySatisfy(p -> assertThat(p).contains(expected));
  }

  @Test
  void exceptionMessageListsEachProblemUnderTheOrigin() {
    assertThatThrownBy(() -> load("source:\n  host: h\n  database: d\n  user: u\n  port: x\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("Invalid config test.yaml (2 problems):")
        .hasMessageContaining("\n  - source.port: ")
        .hasMessageContaining("\n  - target: required");
  }
}
