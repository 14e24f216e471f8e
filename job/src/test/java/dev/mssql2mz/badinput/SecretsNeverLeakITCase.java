package dev.mssql2mz.badinput;

import static dev.mssql2mz.badinput.BadInputFixture.cli;
import static dev.mssql2mz.badinput.BadInputFixture.insertOrders;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mssql2mz.ReplicationJob;
import dev.mssql2mz.badinput.BadInputFixture.CliResult;
import dev.mssql2mz.config.JobConfig;
import dev.mssql2mz.demo.emulator.SqlServerEmulator;
import dev.mssql2mz.metrics.InMemoryMetricReporter;
import dev.mssql2mz.sink.CommittedEpoch;
import dev.mssql2mz.sink.MaterializeDialect;
import dev.mssql2mz.sink.MaterializeSink;
import dev.mssql2mz.sink.TargetModel;
import dev.mssql2mz.testing.LogCapture;
import dev.mssql2mz.testing.PostgresExtension;
import dev.mssql2mz.testing.SharedMiniCluster;
import dev.mssql2mz.testing.StoppedJobs;
import dev.mssql2mz.udfs.Lsn;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.InstantiationUtil;
import org.apache.logging.log4j.Level;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets never leave the place they are used: with distinctive source and target passwords and an
 * SSH private key, nothing the job or the CLI produces contains them: not the log (every event of
 * every logger at DEBUG, with stack traces), not error messages, not the metrics, not the Flink
 * configuration and job parameters the web UI shows (read through the MiniCluster's REST API), and
 * not even the serialized job graph that travels to the task managers.
 */
@Timeout(120)
class SecretsNeverLeakITCase {

  private static final String SOURCE_PASSWORD = "SrcPw-7f3a9c1e-LEAKCHECK";
  private static final String TARGET_PASSWORD = "TgtPw-91b2d4a0-LEAKCHECK";
  private static final String WRONG_PASSWORD = "WrongPw-55c0ffee-LEAKCHECK";

  @RegisterExtension final PostgresExtension pg = new PostgresExtension();

  @TempDir Path dir;

  private SqlServerEmulator emulator() throws Exception {
    SqlServerEmulator db =
        SqlServerEmulator.builder()
            .database("vault")
            .password(SOURCE_PASSWORD)
            .captureInterval(Duration.ofMillis(50))
            .cdcEnabled(true)
            .snapshotIsolation(true)
            .build();
    db.execute(BadInputFixture.ORDERS_DDL);
    db.enableTable("dbo", "orders");
    insertOrders(db, 1, 20);
    return db;
  }

  private String yaml(SqlServerEmulator db, String sourcePassword) throws Exception {
    Path sourceSecret = Files.createTempFile(dir, "source-pw", "");
    Files.writeString(sourceSecret, sourcePassword);
    Path targetSecret = Files.createTempFile(dir, "target-pw", "");
    Files.writeString(targetSecret, TARGET_PASSWORD);
    String target =
        BadInputFixture.target(pg.jdbcUrl(), "materialize", "vault")
            .replaceAll("(?m)^  password: .*\\n", "");
    return "source:\n  jdbc-url: "
        + db.jdbcUrl()
        + "\n  user: "
        + db.user()
        + "\n  password: {file: \""
        + sourceSecret
        + "\"}\n  tables: all\n"
        + target
        + "  password: {file: \""
        + targetSecret
        + "\"}\n"
        + BadInputFixture.flink("");
  }

  private static void assertNoSecret(String what, String text, String... secrets) {
    for (String secret : secrets) {
      assertThat(text).as("%s must not contain the secret %s", what, secret).doesNotContain(secret);
    }
  }

  @Test
  void aRunningJobShowsNoSecretInLogsMetricsConfigurationRestOrItsSerializedGraph()
      throws Exception {
    Map<String, String> exposed = new LinkedHashMap<>();
    try (LogCapture logs = LogCapture.start(Level.DEBUG);
        SqlServerEmulator db = emulator()) {
      JobConfig config = BadInputFixture.parse(yaml(db, SOURCE_PASSWORD));
      ReplicationJob job = new ReplicationJob(config, true).withoutViewIndexes();
      Configuration flink = job.flinkConfiguration();
      exposed.put("job configuration", flink.toMap().toString());

      InMemoryMetricReporter.clear();
      MiniCluster mini = SharedMiniCluster.get();
      StreamExecutionEnvironment env = SharedMiniCluster.environment(flink, 1);
      ReplicationJob.Assembly assembly = job.addTo(env);
      exposed.put("environment configuration", env.getConfiguration().toMap().toString());
      exposed.put(
          "global job parameters", env.getConfig().getGlobalJobParameters().toMap().toString());
      JobGraph graph = env.getStreamGraph().getJobGraph();
      exposed.put("job graph configuration", graph.getJobConfiguration().toMap().toString());
      exposed.put(
          "serialized execution config",
          new String(
              graph.getSerializedExecutionConfig().getByteArray(), StandardCharsets.ISO_8859_1));
      exposed.put(
          "serialized job graph",
          new String(InstantiationUtil.serializeObject(graph), StandardCharsets.ISO_8859_1));

      JobID id = mini.submitJob(graph).get().getJobID();
      try {
        awaitCommitted(
            assembly.sink().model(), db.awaitCaptured(db.lastCommitLsn(), Duration.ofSeconds(30)));
        exposed.putAll(rest(mini.getRestAddress().get(), id));
        exposed.put("metrics", InMemoryMetricReporter.identifiersAndValues().toString());
      } finally {
        StoppedJobs.cancel(mini, id);
      }
      exposed.put("log", logs.text());
      assertThat(logs.text()).contains("Replicating 1 tables");
    }

    // The capture saw what it should: otherwise "no secret" would prove nothing.
    assertThat(exposed.get("metrics")).contains("updates_committed");
    assertThat(exposed.get("GET /jobs/<id>/config")).contains("execution-config");
    assertThat(exposed.get("GET /jobmanager/config")).contains("rest.bind-port");
    for (Map.Entry<String, String> e : exposed.entrySet()) {
      assertNoSecret(e.getKey(), e.getValue(), SOURCE_PASSWORD, TARGET_PASSWORD);
    }
  }

  @Test
  void theProbeFindsALiteralPasswordThatTravelsWithTheSink() throws Exception {
    // The control for the test above: a literal password in the config (warned about) is its own
    // reference and so does travel with the job, and the byte search finds it.
    try (SqlServerEmulator db = emulator()) {
      String yaml =
          yaml(db, SOURCE_PASSWORD)
              .replaceAll(
                  "(?m)^  password: \\{file: \"[^\"]*target-pw[^\"]*\"\\}$",
                  "  password: \"" + TARGET_PASSWORD + "\"");
      assertThat(yaml).contains(TARGET_PASSWORD);
      ReplicationJob job = new ReplicationJob(BadInputFixture.parse(yaml), true);
      MaterializeSink sink = job.buildSink(job.buildSource().tablesAtBuild());
      assertThat(new String(InstantiationUtil.serializeObject(sink), StandardCharsets.ISO_8859_1))
          .contains(TARGET_PASSWORD);
    }
  }

  @Test
  void cliCommandsAndTheirFailuresShowNoSecret() throws Exception {
    List<CliResult> results = new ArrayList<>();
    String log;
    Path sshKey = dir.resolve("id_ecdsa");
    String keyText = openSsh();
    Files.writeString(sshKey, keyText);
    String keyBody = keyText.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
    try (LogCapture logs = LogCapture.start(Level.DEBUG);
        SqlServerEmulator db = emulator()) {
      Path good = Files.writeString(dir.resolve("good.yaml"), yaml(db, SOURCE_PASSWORD));
      Path wrong = Files.writeString(dir.resolve("wrong.yaml"), yaml(db, WRONG_PASSWORD));
      Path tunnel =
          Files.writeString(
              dir.resolve("tunnel.yaml"),
              yaml(db, SOURCE_PASSWORD)
                  .replaceAll("(?m)^  jdbc-url: .*$", "  host: 127.0.0.1\n  database: vault")
                  .replace(
                      "  tables: all\n",
                      "  tables: all\n  ssh-tunnel:\n    host: 127.0.0.1\n    port: "
                          + closedPort()
                          + "\n    user: tunnel\n    private-key: {file: \""
                          + sshKey
                          + "\"}\n"));
      results.add(cli("validate", "--config", good.toString()));
      results.add(cli("setup-sql", "--config", good.toString()));
      results.add(cli("status", "--config", good.toString()));
      results.add(cli("validate", "--config", wrong.toString()));
      results.add(cli("run", "--config", wrong.toString()));
      results.add(cli("status", "--config", wrong.toString()));
      results.add(cli("validate", "--config", tunnel.toString()));
      log = logs.text();
    }
    assertThat(results.get(0).code()).as(results.get(0).toString()).isZero();
    assertThat(results.get(3).out() + results.get(3).err()).contains("Login failed");
    assertThat(results.get(6).err()).contains("SSH tunnel");
    for (CliResult r : results) {
      assertNoSecret("CLI output", r.out() + r.err(), SOURCE_PASSWORD, TARGET_PASSWORD, keyBody);
      // A wrong password is still a password: never echoed either.
      assertNoSecret("CLI output", r.out() + r.err(), WRONG_PASSWORD);
    }
    assertNoSecret("log", log, SOURCE_PASSWORD, TARGET_PASSWORD, WRONG_PASSWORD, keyBody);
  }

  private void awaitCommitted(TargetModel model, Lsn lsn) throws Exception {
    MaterializeDialect dialect = new MaterializeDialect(false);
    try (Connection target = pg.connect()) {
      Awaitility.await("commit of " + lsn)
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                try {
                  Optional<CommittedEpoch> c = dialect.latestCommitted(target, model);
                  return c.isPresent() && !c.get().lsn().isBefore(lsn);
                } catch (java.sql.SQLException e) {
                  return false;
                }
              });
    }
  }

  /** What the web UI shows of the job, read from the REST API it uses. */
  private static Map<String, String> rest(URI base, JobID id) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Map<String, String> out = new LinkedHashMap<>();
    List<String> paths =
        new ArrayList<>(
            List.of(
                "/jobs/" + id,
                "/jobs/" + id + "/config",
                "/jobs/" + id + "/plan",
                "/jobs/" + id + "/exceptions",
                "/jobs/" + id + "/checkpoints",
                "/jobs/" + id + "/checkpoints/config",
                "/jobs/" + id + "/jobmanager/config",
                "/jobmanager/config",
                "/taskmanagers",
                "/jobs/overview"));
    String job = get(http, base, "/jobs/" + id);
    Matcher vertex = Pattern.compile("\"id\":\"([0-9a-f]{32})\"").matcher(job);
    while (vertex.find()) {
      paths.add("/jobs/" + id + "/vertices/" + vertex.group(1));
      paths.add("/jobs/" + id + "/vertices/" + vertex.group(1) + "/metrics");
      paths.add("/jobs/" + id + "/vertices/" + vertex.group(1) + "/accumulators");
    }
    for (String path : paths) {
      out.put("GET " + path.replace(id.toString(), "<id>"), get(http, base, path));
    }
    return out;
  }

  private static String get(HttpClient http, URI base, String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(base.resolve(path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
    return r.body();
  }

  private static int closedPort() throws Exception {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String openSsh() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    KeyPair key = g.generateKeyPair();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "leak-check", null, out);
    return out.toString(StandardCharsets.UTF_8);
  }
}
