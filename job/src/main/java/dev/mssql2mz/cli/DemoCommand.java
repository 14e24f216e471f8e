package dev.mssql2mz.cli;

import dev.mssql2mz.demo.Demo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mssql2mz demo}: runs the product on embedded defaults and verifies the result. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Runs the job against an embedded SQL Server CDC emulator and prints a summary.")
final class DemoCommand implements Callable<Integer> {

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Seed of the demo workload (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    return new Demo(seed, System.out).run();
  }
}
