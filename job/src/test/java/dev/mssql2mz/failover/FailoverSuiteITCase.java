package dev.mssql2mz.failover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mssql2mz.demo.EmbeddedPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The failover suite: for each seed, the replication job runs from the SQL Server emulator into
 * PostgreSQL (Materialize dialect for even seeds, PostgreSQL dialect for odd ones) with checkpoints
 * every 100-200 ms and tiny snapshot chunks while a seeded workload writes, and the seed's faults
 * strike: task failures and TaskManager losses during the snapshot and during streaming,
 * stop-with-savepoint and resume, restarts of the PostgreSQL server, and the CDC cleanup job
 * deleting changes the target already holds. Afterwards the target must equal the source, every
 * table as a multiset, at the committed LSN of the workload's last transaction.
 *
 * <p>{@code -Dfailover.seeds=N} runs seeds 1..N (default 20); {@code -Dfailover.seed=N} runs only
 * seed N, as every failure message says ({@code -Dfailover.repeat=K} runs it K times, for failures
 * that depend on timing). Results go to {@code target/failover/summary.json}.
 */
class FailoverSuiteITCase {

  private static final int DEFAULT_SEEDS = 20;
  private static final Path SUMMARY = Path.of("target", "failover", "summary.json");

  private static MiniCluster miniCluster;
  private static EmbeddedPostgresServer postgres;
  private static Path workDir;
  private static int taskManager;
  private static final FailoverSummary SUMMARY_DATA = new FailoverSummary();

  @BeforeAll
  static void start() throws Exception {
    workDir = Files.createTempDirectory("mssql2mz-failover-");
    Configuration conf = new Configuration();
    // Any free port: a developer's own Flink cluster (or a parallel build) may hold 8081.
    conf.set(RestOptions.BIND_PORT, "0");
    conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(16));
    conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.ofMebiBytes(16));
    conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.ofMebiBytes(16));
    // One TaskManager at a time, so killing it always hits the running job.
    miniCluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(2)
                .build());
    miniCluster.start();
    String external = System.getenv(EmbeddedPostgresServer.URL_ENV);
    postgres =
        external != null && !external.isBlank()
            ? EmbeddedPostgresServer.external(external.trim())
            : EmbeddedPostgresServer.startRestartable(workDir.resolve("pgdata"));
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      SUMMARY_DATA.write(SUMMARY);
    } finally {
      if (miniCluster != null) {
        miniCluster.close();
      }
      if (postgres != null) {
        postgres.close();
      }
      if (workDir != null) {
        // Checkpoints, savepoints and the server's data of every seed.
        try (Stream<Path> paths = Files.walk(workDir)) {
          for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> targetEqualsSourceAfterRandomFaults() {
    List<Long> seeds = seeds();
    Stream<DynamicTest> perSeed =
        seeds.stream()
            .map(
                seed ->
                    DynamicTest.dynamicTest(
                        "seed " + seed + " (" + FaultPlan.of(seed).dialectName() + ")",
                        () -> runSeed(seed)));
    if (seeds.size() < DEFAULT_SEEDS) {
      return perSeed;
    }
    return Stream.concat(
        perSeed,
        Stream.of(
            DynamicTest.dynamicTest(
                "faults of every kind struck in every phase", this::faultsCoveredEveryKind)));
  }

  private void runSeed(long seed) {
    FaultPlan plan = FaultPlan.of(seed);
    long started = System.nanoTime();
    FailoverRun.Result result = null;
    String problem;
    Throwable cause = null;
    try {
      result = new FailoverRun(plan, new SharedCluster(), workDir.resolve("seed-" + seed)).run();
      problem = check(result);
    } catch (Throwable e) {
      cause = e;
      problem = e.toString();
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    SUMMARY_DATA.add(new FailoverSummary.Entry(plan, result, problem, millis));
    if (problem != null) {
      throw new AssertionError(
          "seed "
              + seed
              + " failed (rerun only it: mvn -B -pl job -am -Dspotless.check.skip=true"
              + " -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false"
              + " -Dit.test=FailoverSuiteITCase -Dfailover.seed="
              + seed
              + " verify, and -Dfailover.repeat=5 if it then passes: timing matters; plan "
              + plan
              + "): "
              + problem,
          cause);
    }
  }

  /** What is wrong with a finished run, or null. */
  private static String check(FailoverRun.Result r) {
    List<String> problems = new ArrayList<>();
    if (r.missing() != 0 || r.extra() != 0) {
      problems.add(
          "target differs from source: missing="
              + r.missing()
              + " extra="
              + r.extra()
              + " of "
              + r.rows()
              + " rows at committed LSN "
              + r.committedLsn()
              + " "
              + r.examples());
    }
    long failures = r.faults().stream().filter(f -> f.kind().failsTheJob).count();
    if (r.restarts() < failures) {
      problems.add(
          "only "
              + r.restarts()
              + " restarts observed for "
              + failures
              + " injected failures: a fault did not strike");
    }
    if (r.rows() == 0) {
      problems.add("no rows compared");
    }
    return problems.isEmpty() ? null : String.join("; ", problems);
  }

  private void faultsCoveredEveryKind() {
    Set<String> struck =
        SUMMARY_DATA.entries().stream()
            .filter(e -> e.result() != null)
            .flatMap(e -> e.result().faults().stream())
            .map(f -> f.kind() + "@" + f.phase())
            .collect(Collectors.toSet());
    List<String> expected = new ArrayList<>();
    for (Fault.Kind k : Fault.Kind.values()) {
      expected.add(k + "@" + Fault.Phase.STREAMING);
    }
    expected.add(Fault.Kind.SOURCE_TASK_FAILURE + "@" + Fault.Phase.SNAPSHOT);
    expected.add(Fault.Kind.WRITER_TASK_FAILURE + "@" + Fault.Phase.SNAPSHOT);
    expected.add(Fault.Kind.TASK_MANAGER_LOSS + "@" + Fault.Phase.SNAPSHOT);
    assertThat(struck).as("fault kinds and phases that struck").containsAll(expected);
  }

  private static List<Long> seeds() {
    String one = System.getProperty("failover.seed", "");
    if (!one.isBlank()) {
      // A timing-dependent failure may need several runs of its seed: -Dfailover.repeat=N.
      String repeat = System.getProperty("failover.repeat", "");
      return Collections.nCopies(
          repeat.isBlank() ? 1 : Integer.parseInt(repeat.trim()), Long.parseLong(one.trim()));
    }
    String n = System.getProperty("failover.seeds", "");
    int count = n.isBlank() ? DEFAULT_SEEDS : Integer.parseInt(n.trim());
    return LongStream.rangeClosed(1, count).boxed().toList();
  }

  /** The suite's MiniCluster and PostgreSQL server as a run sees them. */
  private static final class SharedCluster implements FailoverRun.Cluster {
    @Override
    public MiniCluster miniCluster() {
      return miniCluster;
    }

    @Override
    public void replaceTaskManager() throws Exception {
      // MiniCluster never reuses a TaskManager index: the replacement is the next one.
      miniCluster.terminateTaskManager(taskManager).get(60, TimeUnit.SECONDS);
      miniCluster.startTaskManager();
      taskManager++;
    }

    @Override
    public EmbeddedPostgresServer postgres() {
      return postgres;
    }

    @Override
    public String restartTarget(String database) throws Exception {
      if (postgres.isEmbedded()) {
        long started = System.nanoTime();
        postgres.restart();
        return "server restarted in " + (System.nanoTime() - started) / 1_000_000 + " ms";
      }
      try (Connection admin = postgres.connectAdmin()) {
        return FailoverRun.cutConnections(admin, database);
      }
    }
  }
}
