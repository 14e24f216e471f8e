package dev.mssql2mz.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SetupSqlCommandTest {

  @TempDir Path dir;

  private Path config(String source) throws Exception {
    return Files.writeString(
        dir.resolve("job.yaml"),
        "source:\n" + source + "target:\n  url: jdbc:postgresql://localhost:6875/materialize\n");
  }

  @Test
  void printsTheSetupForTheConfiguredTables() throws Exception {
    Path config =
        config(
            "  host: h\n  database: shop\n  user: mssql2mz\n"
                + "  password: {env: SQL_PW}\n"
                + "  tables: [dbo.orders, sales.items as sales_items]\n");
    CliRun run = CliRun.of("setup-sql", "--config", config.toString());

    assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCodes.OK);
    assertThat(run.out)
        .contains("ALTER DATABASE [shop] SET ALLOW_SNAPSHOT_ISOLATION ON;")
        .contains("  EXEC sys.sp_cdc_enable_db;")
        .contains(
            "  CREATE LOGIN [mssql2mz] WITH PASSWORD = N'$(SQL_PW)', DEFAULT_DATABASE = [shop];")
        .contains("  CREATE USER [mssql2mz] FOR LOGIN [mssql2mz];")
        .contains("  CREATE ROLE [mssql2mz_role];")
        .contains("ALTER ROLE [mssql2mz_role] ADD MEMBER [mssql2mz];")
        .contains("GRANT EXECUTE ON sys.fn_cdc_get_min_lsn TO [mssql2mz_role];")
        .contains("GRANT EXECUTE ON sys.fn_cdc_get_max_lsn TO [mssql2mz_role];")
        .contains("GRANT EXECUTE ON sys.fn_cdc_increment_lsn TO [mssql2mz_role];")
        .contains("GRANT VIEW DATABASE STATE TO [mssql2mz_role];")
        .contains("GRANT SELECT ON cdc.lsn_time_mapping TO [mssql2mz_role];")
        .contains("GRANT SELECT ON INFORMATION_SCHEMA.KEY_COLUMN_USAGE TO [mssql2mz_role];")
        .contains("GRANT SELECT ON SCHEMA::[cdc] TO [mssql2mz_role];")
        .contains("GRANT VIEW DEFINITION ON SCHEMA::[dbo] TO [mssql2mz_role];")
        .contains("GRANT VIEW DEFINITION ON SCHEMA::[sales] TO [mssql2mz_role];")
        .contains("GRANT SELECT ON [dbo].[orders] TO [mssql2mz_role];")
        .contains("GRANT SELECT ON [sales].[items] TO [mssql2mz_role];")
        .contains(
            "  EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'orders',"
                + " @role_name = N'mssql2mz_role', @supports_net_changes = 0;")
        .contains("@source_schema = N'sales', @source_name = N'items'")
        .doesNotContain("DECLARE mssql2mz_tables CURSOR");
    // Enabling CDC on the database comes before the tables.
    assertThat(run.out.indexOf("sp_cdc_enable_db"))
        .isLessThan(run.out.indexOf("sp_cdc_enable_table"));
  }

  @Test
  void quotesOddNamesAsIdentifiersAndAsLiterals() throws Exception {
    Path config =
        config(
            "  host: h\n  database: \"o'brien]db\"\n  user: \"svc'user\"\n"
                + "  tables: ['[my schema].[it''s]]here]']\n");
    CliRun run = CliRun.of("setup-sql", "--config", config.toString());

    assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCodes.OK);
    assertThat(run.out)
        .contains("ALTER DATABASE [o'brien]]db] SET ALLOW_SNAPSHOT_ISOLATION ON;")
        .contains("WHERE name = N'o''brien]db' AND is_cdc_enabled = 1")
        .contains("CREATE LOGIN [svc'user] WITH PASSWORD")
        .contains("WHERE name = N'svc''user')")
        .contains("GRANT SELECT ON [my schema].[it's]]here] TO [svc'user_role];")
        .contains("@source_schema = N'my schema', @source_name = N'it''s]here'")
        .contains("@role_name = N'svc''user_role'");
  }

  @Test
  void allTablesLoopsOverUserTablesAtRunTime() throws Exception {
    Path config = config("  host: h\n  database: shop\n  user: u\n  tables: all\n");
    CliRun run = CliRun.of("setup-sql", "--config", config.toString());
    assertThat(run.out)
        .contains("DECLARE mssql2mz_tables CURSOR LOCAL FAST_FORWARD FOR")
        .contains("  WHERE t.is_ms_shipped = 0 AND s.name <> N'cdc';")
        .contains(
            "    EXEC sys.sp_cdc_enable_table @source_schema = @schema, @source_name = @table,"
                + " @role_name = N'u_role', @supports_net_changes = 0;")
        .contains("N'$(MSSQL2MZ_SOURCE_PASSWORD)'");
  }

  @Test
  void schemasRestrictTheLoop() throws Exception {
    Path config = config("  host: h\n  database: shop\n  user: u\n  schemas: [sales, 'hr']\n");
    CliRun run = CliRun.of("setup-sql", "--config", config.toString());
    assertThat(run.out)
        .contains("AND s.name IN (N'sales', N'hr');")
        .contains("GRANT SELECT ON SCHEMA::[sales] TO [u_role];");
  }

  @Test
  void worksFromOptionsWithoutAConfig() {
    CliRun run =
        CliRun.of(
            "setup-sql",
            "--database",
            "erp",
            "--login",
            "cdc_reader",
            "--role",
            "readers",
            "--table",
            "dbo.a",
            "--table",
            "dbo.b as bee",
            "--rds");
    assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCodes.OK);
    assertThat(run.out)
        .contains("  EXEC msdb.dbo.rds_cdc_enable_db N'erp';")
        .doesNotContain("sys.sp_cdc_enable_db")
        .contains("ALTER ROLE [readers] ADD MEMBER [cdc_reader];")
        .contains("@source_name = N'b', @role_name = N'readers'");
  }

  @Test
  void aBadConfigExitsWithUsageAndListsTheProblems() throws Exception {
    Path config =
        config("  host: h\n  database: shop\n  user: u\n  ssl-mode: yes-please\n  prot: 1\n");
    CliRun run = CliRun.of("setup-sql", "--config", config.toString());
    assertThat(run.exitCode).isEqualTo(ExitCodes.USAGE);
    assertThat(run.out).isEmpty();
    assertThat(run.err)
        .contains("Invalid config " + config + " (2 problems):")
        .contains("source.ssl-mode: 'yes-please' is not allowed. Allowed values: disabled,")
        .contains("source.prot: unknown key. Did you mean 'port'?");
  }

  @Test
  void aBadTableOptionIsReportedAsSuch() {
    CliRun run = CliRun.of("setup-sql", "--database", "d", "--login", "l", "--table", "orders");
    assertThat(run.exitCode).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err).contains("--table: item 1 'orders': expected schema.table (2 parts)");
  }

  @Test
  void withoutConfigOrDatabaseItIsBadUsage() {
    CliRun run = CliRun.of("setup-sql");
    assertThat(run.exitCode).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err).contains("Give --config FILE, or both --database and --login.");
  }

  @Test
  void aLiteralPasswordIsWarnedAboutAndNeverPrinted() throws Exception {
    Path config = config("  host: h\n  database: d\n  user: u\n  password: Sup3rS3cret!\n");
    CliRun run = CliRun.of("setup-sql", "--config", config.toString());
    assertThat(run.exitCode).isEqualTo(ExitCodes.OK);
    assertThat(run.err).contains("warning: source.password is written into the config file");
    assertThat(run.out + run.err).doesNotContain("Sup3rS3cret!");
  }

  @Test
  void deployScriptIsWhatSetupSqlPrintsForTheComposeConfig() throws Exception {
    CliRun run = CliRun.of("setup-sql", "--config", "../deploy/config/compose.yaml");
    assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCodes.OK);
    String committed =
        Files.readString(Paths.get("../deploy/sqlserver-setup.sql"), StandardCharsets.UTF_8);
    assertThat(committed)
        .as(
            "deploy/sqlserver-setup.sql is stale; regenerate it with: ./mssql2mz setup-sql"
                + " --config deploy/config/compose.yaml > deploy/sqlserver-setup.sql")
        .isEqualTo(run.out);
  }
}
