package dev.mssql2mz.testing;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;

/**
 * Cancels test jobs and waits until they have stopped. Flink acknowledges a cancellation before the
 * tasks stop, so without the wait a commit in flight can still change the target a test compares
 * next, and the job's tasks compete with the next test's job for the cores.
 */
public final class StoppedJobs {

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  private StoppedJobs() {}

  /** Cancels the job of {@code client} unless it has ended, and waits until it has. */
  public static void cancel(JobClient client) throws Exception {
    // The result, not the status: a job of its own local MiniCluster shuts that cluster down when
    // it ends, after which status requests fail.
    cancel("job " + client.getJobID(), client.getJobExecutionResult(), client::cancel);
  }

  /** Cancels job {@code id} of {@code client} unless it has ended, and waits until it has. */
  public static void cancel(ClusterClient<?> client, JobID id) throws Exception {
    cancel("job " + id, client.requestJobResult(id), () -> client.cancel(id));
  }

  /** Cancels job {@code id} of {@code cluster} unless it has ended, and waits until it has. */
  public static void cancel(MiniCluster cluster, JobID id) throws Exception {
    cancel("job " + id, cluster.requestJobResult(id), () -> cluster.cancelJob(id));
  }

  private static void cancel(
      String what, CompletableFuture<?> ended, Supplier<CompletableFuture<?>> cancel)
      throws Exception {
    Exception cancelFailure = null;
    if (!ended.isDone()) {
      try {
        cancel.get().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        // It may have ended meanwhile (its result can arrive after the refusal); the wait below
        // decides, so that a cancel called in a finally block never hides the test's own failure.
        cancelFailure = e;
      }
    }
    try {
      ended.handle((result, failure) -> null).get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      AssertionError notStopped =
          new AssertionError(what + " did not stop within " + STOP_TIMEOUT + " of its cancel", e);
      if (cancelFailure != null) {
        notStopped.addSuppressed(cancelFailure);
      }
      throw notStopped;
    }
  }
}
