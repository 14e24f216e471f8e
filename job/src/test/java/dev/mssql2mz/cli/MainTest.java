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
  void exitCodesInReadmeHelpAndCodeAgree() throws Exception {
    java.util.Set<Integer> inCode = new java.util.TreeSet<>();
    for (java.lang.reflect.Field f : ExitCodes.class.getFields()) {
      inCode.add(f.getInt(null));
    }
    String readme = java.nio.file.Files.readString(java.nio.file.Paths.get("..", "README.md"));
    String table = readme.substring(readme.indexOf("### Exit codes"));
    table = table.substring(0, table.indexOf("\n\n", table.indexOf("| code |")));
    java.util.Set<Integer> inReadme = new java.util.TreeSet<>();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(?m)^\\| (\\d+) \\|").matcher(table);
    while (m.find()) {
      inReadme.add(Integer.parseInt(m.group(1)));
    }
    assertThat(inReadme).isEqualTo(inCode);
    String help = CliRun.of("--help").out;
    for (int code : inCode) {
      assertThat(help).contains("  " + code + "   ");
    }
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
