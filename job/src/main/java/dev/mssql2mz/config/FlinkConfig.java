package dev.mssql2mz.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** How the Flink job runs: parallelism, checkpoints, snapshot chunks, polling, state. */
public final class FlinkConfig implements Serializable {

  private static final long serialVersionUID = 1L;

  public static final int DEFAULT_PARALLELISM = 1;
  public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(10);
  public static final int DEFAULT_CHUNK_SIZE = 8096;
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_DISCOVERY_INTERVAL = Duration.ofSeconds(30);

  private final int parallelism;
  private final Duration checkpointInterval;
  private final int chunkSize;
  private final Duration pollInterval;
  private final Duration discoveryInterval;
  private final StateBackendKind stateBackend;
  private final String checkpointDir;
  private final String savepoint;

  public FlinkConfig(
      int parallelism,
      Duration checkpointInterval,
      int chunkSize,
      Duration pollInterval,
      Duration discoveryInterval,
      StateBackendKind stateBackend,
      String checkpointDirOrNull,
      String savepointOrNull) {
    this.parallelism = parallelism;
    this.checkpointInterval = Objects.requireNonNull(checkpointInterval, "checkpointInterval");
    this.chunkSize = chunkSize;
    this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
    this.discoveryInterval = Objects.requireNonNull(discoveryInterval, "discoveryInterval");
    this.stateBackend = Objects.requireNonNull(stateBackend, "stateBackend");
    this.checkpointDir = checkpointDirOrNull;
    this.savepoint = savepointOrNull;
  }

  /** The defaults, used when the config has no {@code flink} section. */
  public static FlinkConfig defaults() {
    return new FlinkConfig(
        DEFAULT_PARALLELISM,
        DEFAULT_CHECKPOINT_INTERVAL,
        DEFAULT_CHUNK_SIZE,
        DEFAULT_POLL_INTERVAL,
        DEFAULT_DISCOVERY_INTERVAL,
        StateBackendKind.HASHMAP,
        null,
        null);
  }

  public int parallelism() {
    return parallelism;
  }

  public Duration checkpointInterval() {
    return checkpointInterval;
  }

  public int chunkSize() {
    return chunkSize;
  }

  public Duration pollInterval() {
    return pollInterval;
  }

  /** How often the source looks for new capture instances and newly enabled tables. */
  public Duration discoveryInterval() {
    return discoveryInterval;
  }

  public StateBackendKind stateBackend() {
    return stateBackend;
  }

  public Optional<String> checkpointDir() {
    return Optional.ofNullable(checkpointDir);
  }

  public Optional<String> savepoint() {
    return Optional.ofNullable(savepoint);
  }

  @Override
  public String toString() {
    return "FlinkConfig{parallelism "
        + parallelism
        + ", checkpoint-interval "
        + checkpointInterval
        + ", chunk-size "
        + chunkSize
        + ", poll-interval "
        + pollInterval
        + ", discovery-interval "
        + discoveryInterval
        + ", state-backend "
        + stateBackend.configName()
        + (checkpointDir != null ? ", checkpoint-dir " + checkpointDir : "")
        + (savepoint != null ? ", savepoint " + savepoint : "")
        + "}";
  }
}
