package dev.mssql2mz.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.checkpoint.CheckpointException;
import org.apache.flink.runtime.checkpoint.CheckpointFailureReason;
import org.apache.flink.runtime.scheduler.stopwithsavepoint.StopWithSavepointStoppingException;
import org.apache.flink.util.SerializedThrowable;
import org.junit.jupiter.api.Test;

class FailoverRunTest {

  private static final String PATH = "file:/tmp/seed-18/savepoints/savepoint-8cc792-4cb0e25b4ca2";

  @Test
  void findsTheSavepointOfAStopThatFailedAfterWritingIt() {
    Throwable failed =
        new ExecutionException(
            new CompletionException(new StopWithSavepointStoppingException(PATH, new JobID())));
    assertThat(FailoverRun.failedStopping(failed))
        .map(StopWithSavepointStoppingException::getSavepointPath)
        .contains(PATH);
  }

  @Test
  void findsItWhenItCrossedAnRpcBoundarySerialized() {
    Throwable failed =
        new ExecutionException(
            new SerializedThrowable(new StopWithSavepointStoppingException(PATH, new JobID())));
    assertThat(FailoverRun.failedStopping(failed))
        .map(StopWithSavepointStoppingException::getSavepointPath)
        .contains(PATH);
  }

  @Test
  void aRefusedSavepointIsNotMistakenForOne() {
    Throwable refused =
        new ExecutionException(
            new CheckpointException(CheckpointFailureReason.NOT_ALL_REQUIRED_TASKS_RUNNING));
    assertThat(FailoverRun.failedStopping(refused)).isEmpty();
  }
}
