package dev.mssql2mz.sink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MaterializeRulesTest {

  @Test
  void acceptsInsertOnlyTransactionsIntoOneTable() {
    MaterializeRules r = new MaterializeRules();
    r.autoCommit(false);
    assertThat(r.check("INSERT INTO \"s\".\"t_changes\" (\"a\") VALUES (?)")).isNull();
    assertThat(r.check("INSERT INTO \"s\".\"t_changes\" (\"a\") VALUES (?), (?)")).isNull();
    r.transactionEnded();
    assertThat(r.check("INSERT INTO \"s\".\"u_changes\" (\"a\") VALUES (?)")).isNull();
  }

  @Test
  void rejectsASecondTableInOneTransaction() {
    MaterializeRules r = new MaterializeRules();
    r.check("BEGIN");
    r.check("INSERT INTO a VALUES (1)");
    assertThat(r.check("INSERT INTO b VALUES (1)")).contains("one table only");
  }

  @Test
  void rejectsUpdateDeleteSelectAndDdlInsideATransaction() {
    MaterializeRules r = new MaterializeRules();
    r.autoCommit(false);
    assertThat(r.check("DELETE FROM a WHERE x = 1")).contains("only INSERTs");
    assertThat(r.check("UPDATE a SET x = 1")).contains("only INSERTs");
    assertThat(r.check("SELECT 1")).contains("only INSERTs");
    assertThat(r.check("CREATE TABLE x (a int)")).contains("only INSERTs");
  }

  @Test
  void acceptsStandaloneDeletesAndDdl() {
    MaterializeRules r = new MaterializeRules();
    assertThat(r.check("DELETE FROM a WHERE x = 1")).isNull();
    assertThat(r.check("CREATE VIEW v AS SELECT 1")).isNull();
    assertThat(r.check("COPY \"s\".\"t\" (\"a\") FROM STDIN")).isNull();
  }

  @Test
  void rejectsWhatMaterializeNeverAccepts() {
    MaterializeRules r = new MaterializeRules();
    assertThat(r.check("INSERT INTO a VALUES (1) ON CONFLICT DO NOTHING")).contains("ON CONFLICT");
    assertThat(r.check("PREPARE TRANSACTION 'x'")).contains("two-phase");
    assertThat(r.check("COMMIT PREPARED 'x'")).contains("two-phase");
    assertThat(r.check("SELECT * FROM a FOR UPDATE")).contains("locking");
    assertThat(r.check("CREATE TABLE a (x int PRIMARY KEY)")).contains("PRIMARY KEY");
    assertThat(r.check("DELETE FROM a WHERE ctid IN (SELECT ctid FROM a)")).contains("ctid");
    assertThat(r.violations()).hasSize(6);
  }

  @Test
  void thePostgresDialectWouldViolateTheRules() {
    MaterializeRules r = new MaterializeRules();
    r.autoCommit(false);
    assertThat(r.check("DELETE FROM \"s\".\"t\" AS t USING x AS n WHERE n.\"_count\" < 0"))
        .isNotNull();
  }

  @Test
  void rejectsParametersInLimit() {
    MaterializeRules r = new MaterializeRules();
    assertThat(r.check("DELETE FROM a WHERE EXISTS (SELECT 1 FROM b LIMIT ?)")).contains("LIMIT");
    assertThat(r.check("SELECT * FROM a LIMIT $1")).contains("LIMIT");
    assertThat(r.check("SELECT * FROM a LIMIT 10")).isNull();
  }

  @Test
  void keywordsInsideQuotedNamesAndLiteralsAreNames() {
    MaterializeRules r = new MaterializeRules();
    assertThat(r.check("DELETE FROM \"s\".\"t\" WHERE \"ctid\" = 'ON CONFLICT'")).isNull();
    assertThat(r.check("CREATE TABLE \"x\" (\"PRIMARY KEY\" int)")).isNull();
    assertThat(r.check("DELETE FROM t WHERE ctid = 1")).contains("ctid");
  }
}
