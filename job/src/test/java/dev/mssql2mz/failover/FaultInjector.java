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
 * A pass-through operator between the source and the rest of the job that lets the failover suite
 * see and break the job: it counts the snapshot and stream records that pass, throws once when the
 * run's armed failure is due, and records each task attempt it runs in, so the suite can count the
 * restarts that really happened.
 *
 * <p>State is static and keyed by the run id because Flink serializes the function into its tasks
 * (all in this JVM on a MiniCluster).
 */
final class FaultInjector extends RichMapFunction<ChangeRecord, ChangeRecord> {

  private static final long serialVersionUID = 1L;

  private static final Map<String, Run> RUNS = new ConcurrentHashMap<>();

  /** What the injector saw of one run, and its armed failure. */
  static final class Run {
    final AtomicLong snapshotRecords = new AtomicLong();
    final AtomicLong streamRecords = new AtomicLong();
    final AtomicLong failuresThrown = new AtomicLong();
    private final AtomicReference<Armed> armed = new AtomicReference<>();

    /** Per job id: the highest task attempt number seen, i.e. the restarts of that job. */
    private final Map<String, Integer> highestAttempt = new ConcurrentHashMap<>();

    /** Throws in the task once {@code records} more records of {@code phase} have passed. */
    void arm(Fault.Phase phase, long records) {
      armed.set(new Armed(phase, count(phase).get() + records));
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

    private record Armed(Fault.Phase phase, long atCount) {}
  }

  private final String runId;

  FaultInjector(String runId) {
    this.runId = runId;
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
    long n = run.count(phase).incrementAndGet();
    Run.Armed armed = run.armed.get();
    if (armed != null
        && armed.phase() == phase
        && n >= armed.atCount()
        && run.armed.compareAndSet(armed, null)) {
      run.failuresThrown.incrementAndGet();
      throw new InjectedFailure(
          "Injected task failure of run " + runId + " at " + phase + " record " + n);
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
