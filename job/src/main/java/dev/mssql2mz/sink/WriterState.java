package dev.mssql2mz.sink;

/**
 * A writer's checkpointed state: the checkpoint it was taken for. The writer needs nothing else
 * (its rows are in the target, its epoch tag follows from the restored checkpoint id); the state
 * exists because only stateful writers learn checkpoint ids, which their rows are tagged with.
 */
public final class WriterState {

  private final long checkpointId;

  public WriterState(long checkpointId) {
    this.checkpointId = checkpointId;
  }

  public long checkpointId() {
    return checkpointId;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WriterState && ((WriterState) o).checkpointId == checkpointId;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(checkpointId);
  }
}
