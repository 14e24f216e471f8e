package dev.mssql2mz.cli;

import dev.mssql2mz.demo.Demo;
import dev.mssql2mz.demo.DemoOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mssql2mz demo}: runs the product on embedded defaults and verifies the result. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the job from an emulated SQL Server with a live workload into an embedded PostgreSQL"
          + " server, then compares target and source row by row.",
      "Exit code 0 when they are equal, 1 when they differ."
    })
final class DemoCommand implements Callable<Integer> {

  private static final DemoOptions DEFAULTS = DemoOptions.defaults();

  @Option(names = "--seed", description = "Seed of the workload (default: 42).")
  long seed = DEFAULTS.seed();

  @Option(
      names = "--duration",
      description = "Seconds the workload runs while the job replicates (default: 45).")
  long durationSeconds = DEFAULTS.duration().toSeconds();

  @Option(names = "--rows", description = "Rows per table before the job starts (default: 2000).")
  int initialRows = DEFAULTS.initialRows();

  @Option(names = "--parallelism", description = "Flink parallelism (default: 2).")
  int parallelism = DEFAULTS.parallelism();

  @Option(
      names = "--metrics-file",
      description = "Where to write the run's statistics (default: job/target/demo/metrics.csv).")
  Path metricsFile = DEFAULTS.metricsFile();

  @Override
  public Integer call() throws Exception {
    DemoOptions options =
        new DemoOptions(
            seed,
            Duration.ofSeconds(durationSeconds),
            initialRows,
            parallelism,
            DEFAULTS.checkpointInterval(),
            DEFAULTS.chunkSize(),
            metricsFile);
    return new Demo(options, System.out).run();
  }
}
