package dev.mssql2mz.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code mssql2mz} command line: the entry point both for local runs and for {@code flink run}
 * on a cluster.
 */
@Command(
    name = "mssql2mz",
    mixinStandardHelpOptions = true,
    version = "mssql2mz 0.1.0",
    description = "Streams a SQL Server database (CDC) into Materialize with Apache Flink.",
    subcommands = {DemoCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    int code = execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Runs the command line and returns its exit code, without exiting (for tests). */
  public static int execute(String... args) {
    return new CommandLine(new Main()).execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
