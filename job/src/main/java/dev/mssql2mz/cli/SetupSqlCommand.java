package dev.mssql2mz.cli;

import dev.mssql2mz.config.ConfigException;
import dev.mssql2mz.config.JobConfig;
import dev.mssql2mz.config.JobConfigLoader;
import dev.mssql2mz.config.SourceConfig;
import dev.mssql2mz.config.TableSelection;
import dev.mssql2mz.sqlserver.SetupScript;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mssql2mz setup-sql}: prints the T-SQL a DBA runs to prepare SQL Server. */
@Command(
    name = "setup-sql",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the T-SQL that prepares SQL Server for mssql2mz: snapshot isolation, CDC on the"
          + " database and the selected tables, a login, a user and a role with the minimum"
          + " grants. Safe to run again. The password is a sqlcmd variable, never printed.",
      "Give the job config (--config), or the database, login and tables as options."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the script was printed", "2:bad command line or config"})
final class SetupSqlCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "Job config: database, source.user and the table selection come from it.")
  Path config;

  @Option(
      names = "--database",
      paramLabel = "NAME",
      description = "Database to prepare (overrides source.database).")
  String database;

  @Option(
      names = "--login",
      paramLabel = "NAME",
      description = "Login and user to create (overrides source.user).")
  String login;

  @Option(
      names = "--role",
      paramLabel = "NAME",
      description = "Role that holds the grants (default: <login>_role).")
  String role;

  @Option(
      names = "--table",
      paramLabel = "SCHEMA.TABLE",
      description =
          "A table to enable CDC on; repeatable (overrides source.tables). Without tables and"
              + " schemas, every user table.")
  List<String> tables = new ArrayList<>();

  @Option(
      names = "--password-variable",
      paramLabel = "NAME",
      description =
          "sqlcmd variable holding the login's password (default: the variable of source.password"
              + " {env: NAME}, else MSSQL2MZ_SOURCE_PASSWORD).")
  String passwordVariable;

  @Option(names = "--rds", description = "Amazon RDS: enable CDC with msdb.dbo.rds_cdc_enable_db.")
  boolean rds;

  @Override
  public Integer call() throws ConfigException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SetupScript.Builder script = SetupScript.builder().rds(rds);
    TableSelection selection = null;
    String variable = passwordVariable;
    if (config != null) {
      JobConfig job = new JobConfigLoader().load(config);
      job.warnings().forEach(w -> err.println("mssql2mz: warning: " + w));
      SourceConfig source = job.source();
      if (database == null && source.database().isEmpty()) {
        throw new ParameterException(
            spec.commandLine(), "source.jdbc-url gives no database name; pass --database NAME.");
      }
      script.database(database != null ? database : source.database().get());
      script.login(login != null ? login : source.user());
      selection = source.selection();
      if (variable == null && source.password().isPresent()) {
        variable = source.password().get().environmentVariable().orElse(null);
      }
    } else {
      if (database == null || login == null) {
        throw new ParameterException(
            spec.commandLine(), "Give --config FILE, or both --database and --login.");
      }
      script.database(database).login(login);
    }
    if (!tables.isEmpty() || selection == null) {
      selection = tableSelection(tables);
    }
    if (role != null) {
      script.role(role);
    }
    if (variable != null) {
      try {
        script.passwordVariable(variable);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    out.print(script.selection(selection).build().render());
    out.flush();
    return ExitCodes.OK;
  }

  private TableSelection tableSelection(List<String> names) throws ConfigException {
    if (names.isEmpty()) {
      return new TableSelection(true, List.of(), List.of(), List.of(), List.of());
    }
    // Parsed by the config loader, so --table takes exactly what source.tables takes.
    StringBuilder yaml =
        new StringBuilder("source:\n  host: h\n  database: d\n  user: u\n  tables:\n");
    for (String n : names) {
      yaml.append("    - '").append(n.replace("'", "''")).append("'\n");
    }
    yaml.append("target:\n  url: jdbc:postgresql://x/y\n");
    try {
      return new JobConfigLoader().parse(yaml.toString(), "--table").source().selection();
    } catch (ConfigException e) {
      List<String> problems = new ArrayList<>();
      for (String p : e.problems()) {
        problems.add(p.replace("source.tables:", "--table:"));
      }
      throw new ConfigException("--table", problems);
    }
  }
}
