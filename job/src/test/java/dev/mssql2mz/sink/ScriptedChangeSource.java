package dev.mssql2mz.sink;

import dev.mssql2mz.source.ChangeRecord;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.source.SourceFunction;

/**
 * Emits a fixed script of change records and progress markers (parallelism 1), remembering its
 * position in checkpoints. Every {@code pauseEvery} records it waits for a checkpoint to complete
 * (bounded by a deadline), so a run spans many epochs and barriers fall inside source transactions.
 * It throws once at record {@link #FAIL_AT} when that is set.
 */
final class ScriptedChangeSource
    implements SourceFunction<ChangeRecord>, CheckpointedFunction, CheckpointListener {

  private static final long serialVersionUID = 1L;

  /** Index of the record to fail at once, or -1. Static: tasks are deserialized copies. */
  static final AtomicInteger FAIL_AT = new AtomicInteger(-1);

  private final int transactions;
  private final long seed;
  private final boolean markers;
  private final int pauseEvery;
  private transient List<ChangeRecord> script;
  private transient ListState<Integer> positionState;
  private transient volatile long completedCheckpoints;
  private volatile boolean running = true;
  private int position;

  /** Replays {@code new ChangeScript(transactions, seed)}, with or without its markers. */
  ScriptedChangeSource(int transactions, long seed, boolean markers, int pauseEvery) {
    this.transactions = transactions;
    this.seed = seed;
    this.markers = markers;
    this.pauseEvery = pauseEvery;
  }

  @Override
  public void run(SourceContext<ChangeRecord> ctx) throws Exception {
    script = new ChangeScript(transactions, seed).records;
    if (!markers) {
      script.removeIf(ChangeRecord::isProgress);
    }
    while (running && position < script.size()) {
      synchronized (ctx.getCheckpointLock()) {
        if (position == FAIL_AT.get() && FAIL_AT.compareAndSet(position, -1)) {
          throw new IllegalStateException("Injected source failure at record " + position);
        }
        ctx.collect(script.get(position));
        position++;
      }
      if (position % pauseEvery == 0) {
        awaitNextCheckpoint();
      }
    }
  }

  private void awaitNextCheckpoint() throws InterruptedException {
    long seen = completedCheckpoints;
    long deadline = System.currentTimeMillis() + 500;
    synchronized (this) {
      while (running && completedCheckpoints == seen && System.currentTimeMillis() < deadline) {
        wait(50);
      }
    }
  }

  @Override
  public void cancel() {
    running = false;
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    synchronized (this) {
      completedCheckpoints++;
      notifyAll();
    }
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    positionState.update(List.of(position));
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    positionState =
        context
            .getOperatorStateStore()
            .getListState(new ListStateDescriptor<>("position", Integer.class));
    for (Integer p : positionState.get()) {
      position = p;
    }
  }
}
