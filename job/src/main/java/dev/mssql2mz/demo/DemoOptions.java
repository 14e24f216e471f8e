package dev.mssql2mz.demo;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the embedded demo.
 *
 * @param seed seed of the emulated workload
 * @param duration how long the workload runs while the job replicates
 * @param initialRows rows per table before the job starts (the snapshot)
 * @param parallelism Flink parallelism
 * @param checkpointInterval how often the target commits
 * @param chunkSize snapshot chunk size in rows
 * @param metricsFile where the run's statistics go, for the notebooks
 */
public record DemoOptions(
    long seed,
    Duration duration,
    int initialRows,
    int parallelism,
    Duration checkpointInterval,
    int chunkSize,
    Path metricsFile) {

  /** The defaults of {@code ./mssql2mz demo}. */
  public static DemoOptions defaults() {
    return new DemoOptions(
        42, Duration.ofSeconds(45), 2_000, 2, Duration.ofSeconds(1), 500, Demo.METRICS_FILE);
  }
}
