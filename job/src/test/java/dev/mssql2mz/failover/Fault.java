package dev.mssql2mz.failover;

/**
 * One fault of a seed's plan: what to do, in which phase of the job, and after how many change
 * records of that phase (counted from when the fault is armed) to do it.
 */
record Fault(Kind kind, Phase phase, long afterRecords) {

  /** What goes wrong. */
  enum Kind {
    /** An operator in the source task throws: the job restarts from its latest checkpoint. */
    SOURCE_TASK_FAILURE(true),
    /**
     * An operator in the sink writer's task throws, while the writer has rows of an open epoch in
     * the target: the job restarts from its latest checkpoint.
     */
    WRITER_TASK_FAILURE(true),
    /** A TaskManager of the MiniCluster dies with every task on it; a new one joins. */
    TASK_MANAGER_LOSS(true),
    /** The job stops with a savepoint and a new job resumes from it. */
    SAVEPOINT_RESUME(false),
    /** The target PostgreSQL server stops (fast shutdown) and starts again with its data. */
    TARGET_RESTART(false),
    /** SQL Server's cleanup job deletes the change rows the target has already committed. */
    CHANGE_CLEANUP(false);

    /** Whether this fault fails the running job, so it must show as a restart. */
    final boolean failsTheJob;

    Kind(boolean failsTheJob) {
      this.failsTheJob = failsTheJob;
    }
  }

  /** The job's phase: reading the initial snapshot, or streaming changes. */
  enum Phase {
    SNAPSHOT,
    STREAMING
  }

  @Override
  public String toString() {
    return kind + "@" + phase + "+" + afterRecords;
  }
}
