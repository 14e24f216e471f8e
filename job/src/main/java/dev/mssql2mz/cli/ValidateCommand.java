package dev.mssql2mz.cli;

import dev.mssql2mz.ReplicationJob;
import dev.mssql2mz.config.JobConfig;
import dev.mssql2mz.config.JobConfigLoader;
import dev.mssql2mz.sqlserver.SetupChecker;
import dev.mssql2mz.sqlserver.SqlServerConnectionFactory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mssql2mz validate --config job.yaml}: checks SQL Server's set-up for the job. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Checks that SQL Server is ready for the job: CDC on the database and every selected table,"
          + " snapshot isolation, the grants, a running capture job, supported column types.",
      "Every problem is listed at once, each with the T-SQL that fixes it."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:ready",
      "2:bad command line or config",
      "3:not ready (the problems and their fixes are printed)",
      "4:SQL Server cannot be reached or refuses the login"
    })
final class ValidateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      required = true,
      description = "Job config (YAML).")
  Path config;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    JobConfig job = new JobConfigLoader().load(config);
    List<String> problems;
    List<String> warnings = List.of();
    try (SqlServerConnectionFactory connections = new SqlServerConnectionFactory(job.source());
        Connection c = connect(connections, err)) {
      if (c == null) {
        return ExitCodes.UNREACHABLE;
      }
      SetupChecker checker = new SetupChecker(c, ReplicationJob.selection(job));
      problems = checker.problems();
      if (problems.isEmpty()) {
        warnings = checker.warnings();
      }
    }
    if (problems.isEmpty()) {
      out.println("validate: SQL Server is ready for this job");
      for (String w : warnings) {
        out.println();
        out.println("warning: " + w);
      }
      return ExitCodes.OK;
    }
    out.println("validate: " + problems.size() + " problem(s):");
    for (String p : problems) {
      out.println();
      out.println(p);
    }
    return ExitCodes.VALIDATION_FAILED;
  }

  private static Connection connect(SqlServerConnectionFactory connections, PrintWriter err) {
    try {
      return connections.connect();
    } catch (SQLException e) {
      err.println("validate: " + e.getMessage());
      return null;
    }
  }
}
