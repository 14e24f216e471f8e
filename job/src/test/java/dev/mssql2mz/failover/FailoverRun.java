package dev.mssql2mz.failover;

import dev.mssql2mz.ReplicationJob;
import dev.mssql2mz.config.JobConfig;
import dev.mssql2mz.config.JobConfigLoader;
import dev.mssql2mz.demo.EmbeddedPostgresServer;
import dev.mssql2mz.demo.TargetVerifier;
import dev.mssql2mz.demo.emulator.EmulatorWorkload;
import dev.mssql2mz.demo.emulator.SqlServerEmulator;
import dev.mssql2mz.sink.CommittedEpoch;
import dev.mssql2mz.sink.MaterializeDialect;
import dev.mssql2mz.sink.MaterializeSink;
import dev.mssql2mz.sink.PostgresDialect;
import dev.mssql2mz.sink.TargetDialect;
import dev.mssql2mz.sink.TargetModel;
import dev.mssql2mz.source.ChangeRecord;
import dev.mssql2mz.source.ChangeRecordTypeInfo;
import dev.mssql2mz.source.SqlServerCdcSource;
import dev.mssql2mz.sqlserver.SourceTable;
import dev.mssql2mz.testing.StoppedJobs;
import dev.mssql2mz.udfs.Lsn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.executiongraph.ErrorInfo;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.scheduler.stopwithsavepoint.StopWithSavepointStoppingException;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.apache.flink.util.ExceptionUtils;
import org.apache.flink.util.SerializedThrowable;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One seed of the failover suite: an emulated SQL Server with a seeded workload, the replication
 * job on the suite's MiniCluster writing into a fresh PostgreSQL database, the seed's faults
 * injected while the workload writes, then the catch-up to the workload's last commit and a
 * row-by-row comparison of every table.
 */
final class FailoverRun {

  private static final Logger LOG = LoggerFactory.getLogger(FailoverRun.class);

  private static final String TARGET_SCHEMA = "mz_failover";
  private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration POLL = Duration.ofMillis(20);

  /** A fault as it happened: its kind, the phase planned and the phase the job was really in. */
  record Injected(Fault.Kind kind, Fault.Phase planned, Fault.Phase phase, String detail) {}

  /** The outcome of one seed. */
  record Result(
      FaultPlan plan,
      List<Injected> faults,
      long restarts,
      long rows,
      long missing,
      long extra,
      List<String> examples,
      String committedLsn,
      long millis) {}

  /** What the suite shares between seeds: the Flink cluster and the PostgreSQL server. */
  interface Cluster {
    MiniCluster miniCluster();

    /** Kills the TaskManager running the job and starts a replacement. */
    void replaceTaskManager() throws Exception;

    EmbeddedPostgresServer postgres();

    /** Takes the target down and up again: a server restart, or its connections cut. */
    String restartTarget(String database) throws Exception;
  }

  private final FaultPlan plan;
  private final Cluster cluster;
  private final Path workDir;
  private final String runId;
  private JobClient client;

  /** The connection {@link #committedLsn} polls over; reopened after the target restarts. */
  private volatile Connection probe;

  FailoverRun(FaultPlan plan, Cluster cluster, Path workDir) {
    this.plan = plan;
    this.cluster = cluster;
    this.workDir = workDir;
    this.runId = "failover-seed-" + plan.seed() + "-" + System.nanoTime();
  }

  Result run() throws Exception {
    long started = System.nanoTime();
    FaultInjector.Run seen = FaultInjector.register(runId);
    String database = "failover_" + plan.seed();
    ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
    AtomicReference<Exception> writeFailure = new AtomicReference<>();
    try (SqlServerEmulator db =
            SqlServerEmulator.builder()
                .database("failover" + plan.seed())
                .captureInterval(Duration.ofMillis(50))
                .captureDelay(Duration.ofMillis(plan.captureDelayMs()))
                .build();
        // Closed before the emulator, in this order: the workload and the job stop while their
        // source still exists.
        AutoCloseable stopJob = this::stopJob;
        AutoCloseable stopWriter = writer::shutdownNow) {
      EmulatorWorkload workload =
          EmulatorWorkload.builder(db)
              .seed(plan.seed())
              .initialRows(plan.initialRows())
              .largeTransactionEvery(40)
              .largeTransactionSize(250)
              .build();
      workload.setUp();
      String targetUrl = cluster.postgres().createDatabase(database);
      JobConfig config = config(db, targetUrl);
      TargetDialect dialect =
          plan.postgresDialect() ? new PostgresDialect() : new MaterializeDialect(false);
      Submitted job = submit(config, null);
      // The workload writes all through the run, also during outages: a fixed-delay schedule of
      // single transactions (~50/s), not a busy loop.
      writer.scheduleWithFixedDelay(
          () -> {
            try {
              workload.step();
            } catch (Exception e) {
              writeFailure.compareAndSet(null, e);
              throw new IllegalStateException(e);
            }
          },
          0,
          20,
          TimeUnit.MILLISECONDS);

      List<Injected> injected = new ArrayList<>();
      for (Fault fault : plan.faults()) {
        injected.add(inject(fault, seen, db, job.model, dialect, targetUrl, database, config));
      }
      long streamed = seen.streamRecords.get();
      awaitUntil(
          "50 more stream records after the last fault",
          () -> seen.streamRecords.get() >= streamed + 50);

      writer.shutdown();
      if (!writer.awaitTermination(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the workload did not stop within 30 s");
      }
      if (writeFailure.get() != null) {
        throw new IllegalStateException("the workload failed", writeFailure.get());
      }
      EmulatorWorkload.Report report = workload.report();
      workload.close();
      Lsn last = report.lastCommitLsn;
      db.awaitCaptured(last, PHASE_TIMEOUT);
      Lsn committed = awaitCommitted(dialect, job.model, targetUrl, last);

      long rows = 0;
      long missing = 0;
      long extra = 0;
      List<String> examples = new ArrayList<>();
      try (Connection source = db.connect();
          Connection target = cluster.postgres().connect(targetUrl)) {
        TargetVerifier verifier = new TargetVerifier(source, target, TARGET_SCHEMA);
        for (SourceTable t : job.tables) {
          TargetVerifier.TableResult r = verifier.verify(t);
          rows += r.sourceRows();
          missing += r.missing();
          extra += r.extra();
          if (r.missing() + r.extra() > 0) {
            examples.add(
                r.table()
                    + ": missing="
                    + r.missing()
                    + " extra="
                    + r.extra()
                    + " "
                    + r.examples());
          }
        }
      }
      LOG.info(
          "Failover seed {}: {} after {}; {} restarts; {} rows, missing={} extra={}",
          plan.seed(),
          report,
          injected,
          seen.restarts(),
          rows,
          missing,
          extra);
      return new Result(
          plan,
          injected,
          seen.restarts(),
          rows,
          missing,
          extra,
          examples,
          committed.toString(),
          (System.nanoTime() - started) / 1_000_000);
    } finally {
      writer.shutdownNow();
      stopJob();
      closeProbe();
      FaultInjector.forget(runId);
      try {
        cluster.postgres().dropDatabase(database);
      } catch (SQLException e) {
        LOG.warn("could not drop database {}", database, e);
      }
    }
  }

  /**
   * The savepoint of a stop-with-savepoint that wrote it and then failed while the job stopped, as
   * the client sees it: the exception itself, or serialized when it crossed an RPC boundary.
   */
  static Optional<StopWithSavepointStoppingException> failedStopping(Throwable e) {
    Optional<StopWithSavepointStoppingException> direct =
        ExceptionUtils.findThrowable(e, StopWithSavepointStoppingException.class);
    if (direct.isPresent()) {
      return direct;
    }
    return ExceptionUtils.findThrowable(
            e,
            t ->
                t instanceof SerializedThrowable
                    && StopWithSavepointStoppingException.class
                        .getName()
                        .equals(((SerializedThrowable) t).getOriginalErrorClassName()))
        .map(t -> ((SerializedThrowable) t).deserializeError(FailoverRun.class.getClassLoader()))
        .filter(StopWithSavepointStoppingException.class::isInstance)
        .map(StopWithSavepointStoppingException.class::cast);
  }

  private void stopJob() {
    if (client != null) {
      try {
        StoppedJobs.cancel(client);
      } catch (Exception | AssertionError e) {
        // Cleanup goes on, and the run's own failure, if any, stays the one reported.
        LOG.warn("Cancelling the job of seed {} failed", plan.seed(), e);
      }
    }
  }

  private Injected inject(
      Fault fault,
      FaultInjector.Run seen,
      SqlServerEmulator db,
      TargetModel model,
      TargetDialect dialect,
      String targetUrl,
      String database,
      JobConfig config)
      throws Exception {
    if (fault.kind() == Fault.Kind.SOURCE_TASK_FAILURE
        || fault.kind() == Fault.Kind.WRITER_TASK_FAILURE) {
      FaultInjector.Site site =
          fault.kind() == Fault.Kind.SOURCE_TASK_FAILURE
              ? FaultInjector.Site.SOURCE_TASK
              : FaultInjector.Site.WRITER_TASK;
      long restarts = seen.restarts();
      seen.arm(site, fault.phase(), fault.afterRecords());
      awaitUntil("the injected failure " + fault, () -> !seen.armedFailurePending());
      awaitRestart(seen, restarts, fault);
      // The failure was thrown on a record of the planned phase, so that is the phase it hit.
      return new Injected(fault.kind(), fault.phase(), fault.phase(), "thrown in the " + site);
    }
    long target = seen.count(fault.phase()).get() + fault.afterRecords();
    if (fault.phase() == Fault.Phase.SNAPSHOT) {
      // The snapshot may end before the trigger count: then the fault hits the stream instead.
      awaitUntil(
          "snapshot record " + target + " or the stream",
          () -> seen.snapshotRecords.get() >= target || seen.streamRecords.get() > 0);
    } else {
      awaitUntil("stream record " + target, () -> seen.streamRecords.get() >= target);
    }
    Fault.Phase phase = seen.phase();
    String detail;
    switch (fault.kind()) {
      case TASK_MANAGER_LOSS -> {
        long restarts = seen.restarts();
        cluster.replaceTaskManager();
        awaitRestart(seen, restarts, fault);
        detail = "TaskManager killed and replaced";
      }
      case SAVEPOINT_RESUME -> {
        String savepoint = stopWithSavepoint();
        submit(config, savepoint);
        detail = "resumed from " + Path.of(java.net.URI.create(savepoint)).getFileName();
      }
      case TARGET_RESTART -> detail = cluster.restartTarget(database);
      case CHANGE_CLEANUP -> detail = cleanup(db, dialect, model, targetUrl);
      default -> throw new IllegalStateException("unexpected fault " + fault);
    }
    return new Injected(fault.kind(), fault.phase(), phase, detail);
  }

  /**
   * Waits until the job runs again after a fault that failed it. The next fault is armed only then:
   * armed earlier, it could strike a task of the attempt that is already failing (another subtask
   * still processing), and two faults would make one restart.
   */
  private void awaitRestart(FaultInjector.Run seen, long restartsBefore, Fault fault) {
    awaitUntil("the job's restart after " + fault, () -> seen.restarts() > restartsBefore);
  }

  /**
   * Stops the job with a savepoint, retrying while the job is not fully running (just restarted:
   * Flink refuses a savepoint then, and the job goes on). A savepoint written by a stop that then
   * failed is returned too: Flink ends that job, and the savepoint is complete.
   */
  private String stopWithSavepoint() {
    AtomicReference<String> savepoint = new AtomicReference<>();
    String dir = workDir.resolve("savepoints").toUri().toString();
    awaitUntil(
        "a stop-with-savepoint to succeed",
        () -> {
          try {
            savepoint.set(
                client
                    .stopWithSavepoint(false, dir, SavepointFormatType.CANONICAL)
                    .get(PHASE_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            return true;
          } catch (ExecutionException | TimeoutException e) {
            Optional<StopWithSavepointStoppingException> failedStopping = failedStopping(e);
            if (failedStopping.isPresent()) {
              // Flink wrote the savepoint, then a task failed while the job stopped; the job
              // fails for good and, as Flink's message says, resuming from that savepoint is
              // what a user does. The comparison at the end checks that nothing is lost.
              LOG.warn(
                  "Seed {}: the savepoint was written but the job failed while stopping;"
                      + " resuming from it: {}",
                  plan.seed(),
                  failedStopping.get().getMessage());
              savepoint.set(failedStopping.get().getSavepointPath());
              return true;
            }
            LOG.info("Savepoint of seed {} refused, retrying: {}", plan.seed(), e.getMessage());
            return false;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        });
    return savepoint.get();
  }

  /**
   * Cleanup at the target's committed LSN: only changes the target already holds go. Waits until
   * that LSN has passed the lowest start LSN of the capture instances, so the cleanup deletes
   * something, and checks that it raised that start LSN.
   */
  private String cleanup(
      SqlServerEmulator db, TargetDialect dialect, TargetModel model, String targetUrl) {
    AtomicReference<Lsn> committed = new AtomicReference<>();
    Lsn before = lowestMinLsn(db);
    awaitUntil(
        "a committed LSN in the target above the change tables' min LSN " + before,
        () -> {
          committed.set(committedLsn(dialect, model, targetUrl).orElse(null));
          return committed.get() != null && committed.get().isAfter(before);
        });
    try {
      db.cleanupAll(committed.get());
    } catch (SQLException e) {
      throw new IllegalStateException("cleanup at " + committed.get() + " failed", e);
    }
    Lsn after = lowestMinLsn(db);
    if (!after.isAfter(before)) {
      throw new IllegalStateException(
          "cleanup at committed LSN " + committed.get() + " left the min LSN at " + before);
    }
    return "min LSN " + before + " -> " + after + " (committed " + committed.get() + ")";
  }

  private static Lsn lowestMinLsn(SqlServerEmulator db) {
    return db.captureInstances().stream().map(db::minLsn).min(Lsn::compareTo).orElseThrow();
  }

  private Lsn awaitCommitted(TargetDialect dialect, TargetModel model, String targetUrl, Lsn last)
      throws Exception {
    AtomicReference<Lsn> committed = new AtomicReference<>();
    awaitUntil(
        "the target's committed LSN reaching the last source commit " + last,
        CATCH_UP_TIMEOUT,
        () -> {
          committed.set(committedLsn(dialect, model, targetUrl).orElse(null));
          return committed.get() != null && committed.get().compareTo(last) >= 0;
        });
    return committed.get();
  }

  /**
   * The target's committed LSN, over one connection kept between polls: a new one per poll (every
   * 20 ms) would fork a server process each time and take CPU from the job it waits for.
   */
  private Optional<Lsn> committedLsn(TargetDialect dialect, TargetModel model, String targetUrl) {
    try {
      if (probe == null) {
        probe = cluster.postgres().connect(targetUrl);
      }
      return dialect.latestCommitted(probe, model).map(CommittedEpoch::lsn);
    } catch (SQLException e) {
      closeProbe(); // not created yet, or the target is restarting: reconnect on the next poll
      return Optional.empty();
    }
  }

  private void closeProbe() {
    if (probe != null) {
      try {
        probe.close();
      } catch (SQLException ignored) {
        // broken already
      }
      probe = null;
    }
  }

  private void awaitUntil(String what, BooleanSupplier condition) {
    awaitUntil(what, PHASE_TIMEOUT, condition);
  }

  /**
   * Polls {@code condition} until it holds; fails when the deadline passes or the job has ended (a
   * job out of restart attempts would otherwise look like a slow one) with its failure.
   */
  private void awaitUntil(String what, Duration timeout, BooleanSupplier condition) {
    try {
      awaitOrTimeOut(what, timeout, condition);
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException(
          "timed out after " + timeout + " waiting for " + what + "; " + lastJobFailure(), e);
    }
  }

  private void awaitOrTimeOut(String what, Duration timeout, BooleanSupplier condition) {
    Awaitility.await(what)
        .atMost(timeout)
        .pollDelay(Duration.ZERO)
        .pollInterval(POLL)
        .until(
            () -> {
              if (condition.getAsBoolean()) {
                return true;
              }
              if (client.getJobStatus().get(30, TimeUnit.SECONDS).isGloballyTerminalState()) {
                client.getJobExecutionResult().get(30, TimeUnit.SECONDS);
                throw new IllegalStateException("the job ended while waiting for " + what);
              }
              return false;
            });
  }

  /** The latest failure of the running job, for messages: its first and last cause lines. */
  private String lastJobFailure() {
    try {
      ErrorInfo info =
          cluster
              .miniCluster()
              .getExecutionGraph(client.getJobID())
              .get(30, TimeUnit.SECONDS)
              .getFailureInfo();
      if (info == null) {
        return "the job has not failed";
      }
      List<String> lines = info.getExceptionAsString().lines().toList();
      String cause =
          lines.stream().filter(l -> l.startsWith("Caused by:")).reduce((a, b) -> b).orElse("");
      return "the job's last failure: " + lines.get(0) + (cause.isEmpty() ? "" : " ... " + cause);
    } catch (Exception e) {
      return "the job's last failure is unknown (" + e + ")";
    }
  }

  /** The job as submitted: its tables and the sink's target relations. */
  private record Submitted(List<SourceTable> tables, TargetModel model) {}

  private Submitted submit(JobConfig config, String savepoint) throws Exception {
    // start-over only matters without state: a job resumed from a savepoint keeps its target.
    ReplicationJob job = new ReplicationJob(config, true).withoutViewIndexes();
    Configuration conf = job.flinkConfiguration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10_000);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
    if (savepoint != null) {
      conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
    }
    StreamExecutionEnvironment env =
        new TestStreamEnvironment(
            cluster.miniCluster(), conf, plan.parallelism(), List.of(), List.of());
    // The job's own source, with a change page size the config does not expose.
    SqlServerCdcSource source =
        SqlServerCdcSource.builder()
            .connection(config.source())
            .tables(ReplicationJob.selection(config))
            .chunkSize(config.flink().chunkSize())
            .pollInterval(config.flink().pollInterval())
            .pageSize(plan.pageSize())
            .build();
    DataStream<ChangeRecord> changes =
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "SQL Server CDC")
            .uid("failover-source")
            .map(new FaultInjector(runId, FaultInjector.Site.SOURCE_TASK))
            .returns(ChangeRecordTypeInfo.INSTANCE)
            .uid("failover-source-fault-injector")
            .name("source fault injector");
    MaterializeSink sink = job.buildSink(source.tablesAtBuild());
    source
        .withLargeValuesFilled(changes)
        .map(new FaultInjector(runId, FaultInjector.Site.WRITER_TASK))
        .returns(ChangeRecordTypeInfo.INSTANCE)
        .uid("failover-writer-fault-injector")
        .name("writer fault injector")
        .sinkTo(sink)
        .uid("failover-sink")
        .name("target");
    client = env.executeAsync("failover seed " + plan.seed());
    return new Submitted(source.tablesAtBuild(), sink.model());
  }

  private JobConfig config(SqlServerEmulator db, String targetUrl) throws Exception {
    Path checkpoints = Files.createDirectories(workDir.resolve("checkpoints"));
    EmbeddedPostgresServer pg = cluster.postgres();
    String yaml =
        "source:\n"
            + "  jdbc-url: "
            + db.jdbcUrl()
            + "\n"
            + "  user: "
            + db.user()
            + "\n"
            + "  password: \""
            + db.password()
            + "\"\n"
            + "  tables: all\n"
            + "target:\n"
            + "  url: \""
            + targetUrl
            + "\"\n"
            + (pg.user() != null ? "  user: " + pg.user() + "\n" : "")
            + (pg.password() != null && !pg.password().isEmpty()
                ? "  password: \"" + pg.password() + "\"\n"
                : "")
            + "  dialect: "
            + plan.dialectName()
            + "\n"
            + "  schema: "
            + TARGET_SCHEMA
            + "\n"
            + "  source-name: failover\n"
            + "flink:\n"
            + "  parallelism: "
            + plan.parallelism()
            + "\n"
            + "  checkpoint-interval: "
            + plan.checkpointIntervalMs()
            + " ms\n"
            + "  chunk-size: "
            + plan.chunkSize()
            + "\n"
            + "  poll-interval: 100 ms\n"
            + "  checkpoint-dir: \""
            + checkpoints.toUri()
            + "\"\n";
    return new JobConfigLoader().parse(yaml, "failover seed " + plan.seed());
  }

  /** Connections of the target database other than the caller's are cut (external servers). */
  static String cutConnections(Connection admin, String database) throws SQLException {
    try (PreparedStatement ps =
        admin.prepareStatement(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                + " WHERE datname = ? AND pid <> pg_backend_pid()")) {
      ps.setString(1, database);
      try (var rs = ps.executeQuery()) {
        rs.next();
        return "cut " + rs.getLong(1) + " target connections";
      }
    }
  }
}
