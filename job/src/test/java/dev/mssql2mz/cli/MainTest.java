package dev.mssql2mz.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MainTest {

  @Test
  void helpListsTheCommandsAndTheExitCodes() {
    CliRun run = CliRun.of("--help");
    assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCodes.OK);
    assertThat(run.out)
        .contains("Usage: mssql2mz")
        .contains("demo")
        .contains("setup-sql")
        .contains("Exit codes:")
        .contains("2   bad command line or config")
        .contains("3   validate: SQL Server is not set up");
  }

  @Test
  void withoutACommandItPrintsTheUsage() {
    CliRun run = CliRun.of();
    assertThat(run.exitCode).isEqualTo(ExitCodes.OK);
    assertThat(run.out).contains("Usage: mssql2mz");
  }

  @Test
  void everyCommandHasHelp() {
    for (String command : new String[] {"demo", "setup-sql"}) {
      CliRun run = CliRun.of(command, "--help");
      assertThat(run.exitCode).as(command).isEqualTo(ExitCodes.OK);
      assertThat(run.out).as(command).contains("Usage: mssql2mz " + command);
    }
    assertThat(CliRun.of("help", "setup-sql").out).contains("Usage: mssql2mz setup-sql");
  }

  @Test
  void anUnknownCommandIsBadUsage() {
    CliRun run = CliRun.of("frobnicate");
    assertThat(run.exitCode).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err).contains("Unmatched argument").contains("frobnicate");
  }

  @Test
  void anUnknownOptionIsBadUsage() {
    CliRun run = CliRun.of("setup-sql", "--colour");
    assertThat(run.exitCode).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err).contains("Unknown option: '--colour'");
  }
}
