package dev.mssql2mz.failover;

import dev.mssql2mz.source.ChangeOperation;
import dev.mssql2mz.source.ChangeRecord;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * A pass-through operator that lets the failover suite see and break the job. One sits right after
 * the source (in the source task) and counts the snapshot and stream records that pass; one sits
 * right before the sink's writer (in the writer task). Either throws once when the run's armed
 * failure for its site is due, and each records the task attempts it runs in, so the suite can
 * count the restarts that really happened.
 *
 * <p>State is static and keyed by the run id because Flink serializes the function into its tasks
 * (all in this JVM on a MiniCluster).
 */
final class FaultInjector extends RichMapFunction<ChangeRecord, ChangeRecord> {

  private static final long serialVersionUID = 1L;

  private static final Map<String, Run> RUNS = new ConcurrentHashMap<>();

  /** Where an injector sits, and so which task its failure kills first. */
  enum Site {
    SOURCE_TASK,
    WRITER_TASK
  }

  /** What the injector saw of one run, and its armed failure. */
  static final class Run {
    final AtomicLong snapshotRecords = new AtomicLong();
    final AtomicLong streamRecords = new AtomicLong();
    final AtomicLong failuresThrown = new AtomicLong();
    private final AtomicReference<Armed> armed = new AtomicReference<>();

    /** Per job id: the highest task attempt number seen, i.e. the restarts of that job. */
    private final Map<String, Integer> highestAttempt = new ConcurrentHashMap<>();

    /**
     * Throws in the task of {@code site} once {@code records} more records of {@code phase} have
     * left the source.
     */
    void arm(Site site, Fault.Phase phase, long records) {
      armed.set(new Armed(site, phase, count(phase).get() + records));
    }

    boolean armedFailurePending() {
      return armed.get() != null;
    }

    AtomicLong count(Fault.Phase phase) {
      return phase == Fault.Phase.SNAPSHOT ? snapshotRecords : streamRecords;
    }

    /** The phase the job is in as seen here: streaming once any stream record has passed. */
    Fault.Phase phase() {
      return streamRecords.get() > 0 ? Fault.Phase.STREAMING : Fault.Phase.SNAPSHOT;
    }

    /** Restarts observed over every job of this run (attempt numbers count restarts per job). */
    long restarts() {
      return highestAttempt.values().stream().mapToLong(Integer::longValue).sum();
    }

    private record Armed(Site site, Fault.Phase phase, long atCount) {}
  }

  private final String runId;
  private final Site site;

  FaultInjector(String runId, Site site) {
    this.runId = runId;
    this.site = site;
  }

  static Run register(String runId) {
    Run run = new Run();
    RUNS.put(runId, run);
    return run;
  }

  static void forget(String runId) {
    RUNS.remove(runId);
  }

  @Override
  public void open(OpenContext context) {
    Run run = RUNS.get(runId);
    if (run != null) {
      run.highestAttempt.merge(
          getRuntimeContext().getJobInfo().getJobId().toString(),
          getRuntimeContext().getTaskInfo().getAttemptNumber(),
          Math::max);
    }
  }

  @Override
  public ChangeRecord map(ChangeRecord record) {
    Run run = RUNS.get(runId);
    if (run == null || record.isProgress()) {
      return record;
    }
    Fault.Phase phase =
        record.operation() == ChangeOperation.SNAPSHOT
            ? Fault.Phase.SNAPSHOT
            : Fault.Phase.STREAMING;
    long n = site == Site.SOURCE_TASK ? run.count(phase).incrementAndGet() : run.count(phase).get();
    Run.Armed armed = run.armed.get();
    if (armed != null
        && armed.site() == site
        && armed.phase() == phase
        && n >= armed.atCount()
        && run.armed.compareAndSet(armed, null)) {
      run.failuresThrown.incrementAndGet();
      throw new InjectedFailure(
          "Injected failure in the " + site + " of run " + runId + " at " + phase + " record " + n);
    }
    return record;
  }

  /** The exception of an injected failure, recognisable in logs. */
  static final class InjectedFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InjectedFailure(String message) {
      super(message);
    }
  }
}
