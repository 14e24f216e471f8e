package dev.mssql2mz.config;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.CheckpointingMode;

/**
 * Maps the {@code flink} section of the job config onto Flink's own options. Only these settings go
 * into the Flink configuration: never a connection detail or a secret, which the source and sink
 * carry themselves (as references, resolved where they connect).
 */
public final class FlinkSettings {

  private FlinkSettings() {}

  /** A Flink configuration with the job's parallelism, checkpointing, state and savepoint. */
  public static Configuration toConfiguration(FlinkConfig flink) {
    Configuration conf = new Configuration();
    conf.set(CoreOptions.DEFAULT_PARALLELISM, flink.parallelism());
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, flink.checkpointInterval());
    // The sink commits on checkpoints: exactly once needs aligned, exactly-once checkpoints.
    conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
    // Keep the last checkpoint when the job is cancelled, so it can be resumed like a savepoint.
    conf.set(
        CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    conf.set(StateBackendOptions.STATE_BACKEND, flink.stateBackend().configName());
    flink
        .checkpointDir()
        .ifPresent(dir -> conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir));
    flink.savepoint().ifPresent(path -> conf.set(StateRecoveryOptions.SAVEPOINT_PATH, path));
    return conf;
  }
}
