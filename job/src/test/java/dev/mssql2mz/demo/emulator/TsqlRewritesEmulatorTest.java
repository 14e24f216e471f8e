package dev.mssql2mz.demo.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Each T-SQL rewrite of the emulator, on the statement text alone. */
class TsqlRewritesEmulatorTest {

  @Test
  void transactionControlBecomesEmulatorActions() {
    assertThat(TsqlRewrites.rewrite("BEGIN TRAN").kind()).isEqualTo(TsqlCommand.Kind.BEGIN);
    assertThat(TsqlRewrites.rewrite("begin transaction t1;").kind())
        .isEqualTo(TsqlCommand.Kind.BEGIN);
    assertThat(TsqlRewrites.rewrite("COMMIT TRAN").kind()).isEqualTo(TsqlCommand.Kind.COMMIT);
    assertThat(TsqlRewrites.rewrite("ROLLBACK").kind()).isEqualTo(TsqlCommand.Kind.ROLLBACK);
    TsqlCommand save = TsqlRewrites.rewrite("SAVE TRANSACTION [mz snap]");
    assertThat(save.kind()).isEqualTo(TsqlCommand.Kind.SAVE);
    assertThat(save.name()).isEqualTo("mz snap");
    TsqlCommand back = TsqlRewrites.rewrite("ROLLBACK TRANSACTION sp1");
    assertThat(back.kind()).isEqualTo(TsqlCommand.Kind.ROLLBACK_TO);
    assertThat(back.name()).isEqualTo("sp1");
    TsqlCommand iso = TsqlRewrites.rewrite("SET TRANSACTION ISOLATION LEVEL  snapshot");
    assertThat(iso.kind()).isEqualTo(TsqlCommand.Kind.SET_ISOLATION);
    assertThat(iso.name()).isEqualTo("SNAPSHOT");
    assertThat(TsqlRewrites.rewrite("SET NOCOUNT ON").kind()).isEqualTo(TsqlCommand.Kind.NOOP);
  }

  @Test
  void cdcProceduresKeepTheirNamedArguments() {
    TsqlCommand c =
        TsqlRewrites.rewrite(
            "EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'it''s',"
                + " @role_name = NULL, @captured_column_list = N'[a], b', @supports_net_changes = 0");
    assertThat(c.kind()).isEqualTo(TsqlCommand.Kind.PROCEDURE);
    assertThat(c.name()).isEqualTo("sp_cdc_enable_table");
    assertThat(c.args())
        .extracting(a -> a.name + "=" + a.value)
        .containsExactly(
            "source_schema=dbo",
            "source_name=it's",
            "role_name=null",
            "captured_column_list=[a], b",
            "supports_net_changes=0");
    TsqlCommand positional = TsqlRewrites.rewrite("{call sys.sp_cdc_disable_table(?, ?, N'all')}");
    assertThat(positional.name()).isEqualTo("sp_cdc_disable_table");
    assertThat(positional.args()).extracting(a -> a.parameterIndex).containsExactly(1, 2, 0);
  }

  @Test
  void bracketsBecomeQuotesAndLiteralsStayUntouched() {
    TsqlCommand c =
        TsqlRewrites.rewrite(
            "SELECT [a]]b], 'COUNT_BIG(x) [y]' FROM [dbo].[my table] WHERE n = N'DB_NAME()'");
    assertThat(c.sql())
        .isEqualTo(
            "SELECT \"a]b\", 'COUNT_BIG(x) [y]' FROM \"dbo\".\"my table\" WHERE n = N'DB_NAME()'");
  }

  @Test
  void builtinsH2LacksGoToTheEmulatorsFunctions() {
    assertThat(
            TsqlRewrites.rewrite("SELECT COUNT_BIG(*), DB_NAME(), SYSUTCDATETIME() FROM t").sql())
        .isEqualTo("SELECT COUNT(*), emu.db_name(), emu.sysutcdatetime() FROM t");
    assertThat(
            TsqlRewrites.rewrite("SELECT HAS_PERMS_BY_NAME(N'dbo.t', N'OBJECT', N'SELECT')").sql())
        .isEqualTo("SELECT emu.has_perms_by_name(N'dbo.t', N'OBJECT', N'SELECT')");
    assertThat(TsqlRewrites.rewrite("SELECT * FROM t OPTION (RECOMPILE)").sql().trim())
        .isEqualTo("SELECT * FROM t");
  }

  @Test
  void changeFunctionsOfEveryInstanceGoToOneFunction() {
    assertThat(
            TsqlRewrites.rewrite(
                    "SELECT * FROM cdc.fn_cdc_get_all_changes_dbo_orders(@from, @to, N'all update old')")
                .sql())
        .isEqualTo(
            "SELECT * FROM cdc.fn_cdc_get_all_changes('dbo_orders', @from, @to, N'all update old')");
    assertThat(
            TsqlRewrites.rewrite("SELECT * FROM [cdc].[fn_cdc_get_all_changes_it's](?, ?, N'all')")
                .sql())
        .isEqualTo("SELECT * FROM cdc.fn_cdc_get_all_changes('it''s', ?, ?, N'all')");
  }

  @Test
  void tableLockHintsNameTheTablesToLock() {
    TsqlCommand c =
        TsqlRewrites.rewrite("SELECT TOP 0 * FROM [sales].[order notes] WITH (TABLOCK, HOLDLOCK)");
    assertThat(c.lockTables())
        .extracting(ObjectName::toString)
        .containsExactly("sales.order notes");
    assertThat(TsqlRewrites.rewrite("SELECT * FROM dbo.t x WITH (NOLOCK)").lockTables()).isEmpty();
  }

  @Test
  void createTableMapsSqlServerTypesAndRemembersThem() {
    TsqlCommand c =
        TsqlRewrites.rewrite(
            "CREATE TABLE [dbo].[t] ([id] INT NOT NULL, [b] TINYINT, [n] NVARCHAR(MAX), [d] DATETIME2,"
                + " [m] MONEY, [x] XML, [j] JSON, [ts] TIMESTAMP, [c] NVARCHAR(10) COLLATE Latin1_General_CI_AS,"
                + " CONSTRAINT [pk] PRIMARY KEY CLUSTERED ([id]))");
    assertThat(c.sql())
        .isEqualTo(
            "CREATE TABLE \"dbo\".\"t\" (\"id\" INTEGER NOT NULL, \"b\" SMALLINT CHECK (\"b\" BETWEEN 0 AND 255),"
                + " \"n\" CHARACTER VARYING, \"d\" TIMESTAMP(7), \"m\" NUMERIC(19,4), \"x\" CHARACTER VARYING,"
                + " \"j\" CHARACTER VARYING, \"ts\" BINARY(8), \"c\" CHARACTER VARYING(10),"
                + " CONSTRAINT \"pk\" PRIMARY KEY  (\"id\"))");
    assertThat(c.declaredTable().columns).hasSize(9);
    assertThat(c.declaredTable().columns.get("n").isMaxValue()).isTrue();
    assertThat(c.declaredTable().columns.get("ts").name()).isEqualTo("rowversion");
    assertThat(c.declaredTable().columns.get("m").declaration()).isEqualTo("money");
    assertThat(c.isDdl()).isTrue();
  }

  @Test
  void batchesSplitAtSemicolonsOutsideLiteralsAndNames() {
    assertThat(TsqlRewrites.splitBatch("SET NOCOUNT ON; SELECT ';' AS [a;b] -- c;d\n;"))
        .containsExactly("SET NOCOUNT ON", "SELECT ';' AS \"a;b\"");
  }

  @Test
  void literalsWithPercentQuotesBracketsAndDashesPassThroughUnchanged() {
    String[] statements = {
      "UPDATE dbo.pairs SET v = -v WHERE code LIKE 'c1%'",
      "DELETE FROM dbo.pairs WHERE region = 'r3'",
      "INSERT INTO dbo.pairs VALUES (N'r9', 'z', 1)",
      "SELECT * FROM t WHERE a = N'it''s' AND b = '[x]' AND c = ']' AND d = '--' AND e = N''",
      "SELECT 'COUNT_BIG(x) /* y */ DB_NAME()', N'%d %s %n' FROM t WHERE x LIKE N'%''%'",
      "SELECT '\uE000' + '0' FROM t WHERE x = 'a;b'"
    };
    for (String sql : statements) {
      assertThat(TsqlRewrites.rewrite(sql).sql()).as(sql).isEqualTo(sql);
      assertThat(TsqlRewrites.rewrite(sql + " ;").sql().trim()).as(sql).isEqualTo(sql);
      assertThat(TsqlRewrites.splitBatch(sql + ";" + sql)).as(sql).containsExactly(sql, sql);
    }
    assertThat(TsqlRewrites.rewrite("SELECT [a], 'x]' FROM [t] -- it's\n WHERE b = 'y'").sql())
        .isEqualTo("SELECT \"a\", 'x]' FROM \"t\" \n WHERE b = 'y'");
    TsqlCommand exec =
        TsqlRewrites.rewrite(
            "EXEC sys.sp_cdc_cleanup_change_table @capture_instance = N'a''b -- c', @low_water_mark = '%'");
    assertThat(exec.args())
        .extracting(a -> a.name + "=" + a.value)
        .containsExactly("capture_instance=a'b -- c", "low_water_mark=%");
  }

  @Test
  void likeWithACharacterClassBecomesRegexp() {
    assertThat(
            TsqlRewrites.rewrite(
                    "SELECT * FROM t WHERE a LIKE N'[a-c]_%' AND b NOT LIKE '[^x]''[%]' AND c LIKE 'c1%'"
                        + " AND d LIKE '[a]' ESCAPE '!'")
                .sql())
        .isEqualTo(
            "SELECT * FROM t WHERE a REGEXP '(?s)^[a-c]..*\\z' AND b NOT REGEXP"
                + " '(?s)^[^x]\\''[\\%]\\z' AND c LIKE 'c1%' AND d LIKE '[a]' ESCAPE '!'");
    assertThat(TsqlRewrites.likeToRegex("%[[]x]%")).isEqualTo("(?s)^.*[\\[]x\\].*\\z");
    // LIKE matches the whole value: a trailing newline is a character like any other.
    assertThat(
            java.util.regex.Pattern.compile(TsqlRewrites.likeToRegex("[a]b"))
                .matcher("ab\n")
                .find())
        .isFalse();
    assertThat(
            java.util.regex.Pattern.compile(TsqlRewrites.likeToRegex("[a]_")).matcher("a\n").find())
        .isTrue();
  }
}
