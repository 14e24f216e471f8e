package dev.mssql2mz.cli;

import dev.mssql2mz.config.ConfigException;
import dev.mssql2mz.sink.TargetUnreachableException;
import dev.mssql2mz.sqlserver.SourceConfigException;
import dev.mssql2mz.sqlserver.SourceUnreachableException;
import java.io.PrintWriter;
import org.apache.flink.runtime.throwable.ThrowableAnnotation;
import org.apache.flink.runtime.throwable.ThrowableType;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code mssql2mz} command line: the entry point both for local runs and for {@code flink run}
 * on a cluster. Exit codes are those of {@link ExitCodes}.
 */
@Command(
    name = "mssql2mz",
    mixinStandardHelpOptions = true,
    version = "mssql2mz 0.1.0",
    description = "Streams a SQL Server database (CDC) into Materialize with Apache Flink.",
    subcommands = {
      DemoCommand.class,
      RunCommand.class,
      ValidateCommand.class,
      SetupSqlCommand.class,
      StatusCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:ok (demo: target equals source)",
      "1:failed while running, or demo found a difference",
      "2:bad command line or config (every problem is listed)",
      "3:validate: SQL Server is not set up (the fixing T-SQL is printed)",
      "4:SQL Server or the target cannot be reached",
    })
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
    return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs the command line writing to {@code out} and {@code err}; returns the exit code. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          PrintWriter w = commandLine.getErr();
          if (e instanceof ConfigException) {
            w.println("mssql2mz: " + e.getMessage());
            w.flush();
            return ExitCodes.USAGE;
          }
          String command = "mssql2mz " + commandLine.getCommandName() + ": ";
          SourceConfigException setup = find(e, SourceConfigException.class);
          if (setup != null) {
            w.println(
                command
                    + "SQL Server is not set up for this job ("
                    + setup.problems().size()
                    + (setup.problems().size() == 1 ? " problem" : " problems")
                    + "; 'mssql2mz validate' lists them too):");
            setup.problems().forEach(p -> w.println("  - " + p));
            w.flush();
            return ExitCodes.VALIDATION_FAILED;
          }
          RuntimeException unreachable = find(e, SourceUnreachableException.class);
          if (unreachable == null) {
            unreachable = find(e, TargetUnreachableException.class);
          }
          if (unreachable != null) {
            w.println(command + unreachable.getMessage());
            w.flush();
            return ExitCodes.UNREACHABLE;
          }
          Throwable stop = needsAPerson(e);
          if (stop != null) {
            // Flink's wrappers ("Job execution failed", "not recoverable") say nothing more.
            w.println(command + "the job stopped: " + stop.getMessage());
            w.flush();
            return ExitCodes.FAILURE;
          }
          w.println(command + describe(e));
          w.flush();
          return ExitCodes.FAILURE;
        });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }

  /** Our own error that restarting cannot fix (the job fails at once), if the chain holds one. */
  private static Throwable needsAPerson(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      ThrowableAnnotation a = c.getClass().getAnnotation(ThrowableAnnotation.class);
      if (a != null
          && a.value() == ThrowableType.NonRecoverableError
          && c.getClass().getName().startsWith("dev.mssql2mz.")) {
        return c;
      }
    }
    return null;
  }

  private static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
        sb.append("\n  caused by: ").append(c.getMessage());
      }
    }
    return sb.toString();
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
