package dev.mssql2mz.sink;

import static dev.mssql2mz.sink.Sql.qualified;
import static dev.mssql2mz.sink.Sql.quote;

import dev.mssql2mz.transform.ColumnMapping;
import dev.mssql2mz.udfs.Lsn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Plain PostgreSQL as the target: users query typed tables {@code <name>} with the source's primary
 * keys. Writers stage change rows in {@code <name>_changes} exactly as for Materialize; a commit
 * then applies the staged rows of committed epochs at or below the committed LSN to the typed
 * tables, deletes them from staging and records the progress row, all in ONE transaction, so an
 * epoch is applied entirely or not at all.
 *
 * <p>Changes are applied as their net effect per full row (deletes first, then inserts), which is
 * what applying them one by one in LSN order gives, without holding them in order anywhere.
 */
public final class PostgresDialect extends ChangeTableDialect {

  private static final long serialVersionUID = 1L;

  private static final String NET = "\"_mssql2mz_net\"";

  @Override
  public String name() {
    return "postgres";
  }

  @Override
  String progressDdl(TargetModel model) {
    return "CREATE TABLE IF NOT EXISTS "
        + qualified(model.schema(), model.progressRelation())
        + " (\"epoch\" bigint PRIMARY KEY, \"lsn\" bytea NOT NULL,"
        + " \"committed_at\" timestamptz NOT NULL)";
  }

  @Override
  void createUserRelations(Connection c, TargetModel model, Set<String> existing)
      throws SQLException {
    for (TableModel t : model.tables()) {
      if (!existing.contains(t.name())) {
        ddl(c, typedTableDdl(model, t), () -> relations(c, model.schema()).contains(t.name()));
      } else {
        checkColumns(c, model, t, t.name(), columnNames(t));
      }
    }
  }

  String typedTableDdl(TargetModel model, TableModel t) {
    StringJoiner cols = new StringJoiner(", ");
    for (ColumnMapping m : t.columns()) {
      boolean key = t.keyColumns().contains(m.name());
      cols.add(quote(m.name()) + " " + m.targetType() + (key ? " NOT NULL" : ""));
    }
    if (t.hasKey()) {
      StringJoiner k = new StringJoiner(", ", "PRIMARY KEY (", ")");
      for (String key : t.keyColumns()) {
        k.add(quote(key));
      }
      cols.add(k.toString());
    }
    return "CREATE TABLE IF NOT EXISTS " + qualified(model.schema(), t.name()) + " (" + cols + ")";
  }

  @Override
  public void clearCommitted(Connection c, TargetModel model) throws SQLException {
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.executeUpdate("DELETE FROM " + qualified(model.schema(), model.progressRelation()));
      for (TableModel t : model.tables()) {
        s.executeUpdate("DELETE FROM " + qualified(model.schema(), t.name()));
      }
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  @Override
  public void rollBackTo(Connection c, TargetModel model, long epoch) throws SQLException {
    throw new TargetMismatchException(
        "Target schema "
            + model.schema()
            + " has applied epochs after "
            + epoch
            + ", the checkpoint this job restored from. The PostgreSQL dialect applies changes"
            + " in place and cannot go back: restore from the newest checkpoint, or start over"
            + " (which empties the target's tables of source "
            + model.sourceName()
            + ").");
  }

  @Override
  public void commitEpoch(Connection c, TargetModel model, long epoch, Lsn lsn, Instant at)
      throws SQLException {
    c.setAutoCommit(false);
    try {
      for (TableModel t : model.tables()) {
        apply(c, model, t, epoch, lsn);
      }
      insertProgress(c, model, epoch, lsn, at);
      c.commit();
    } catch (SQLException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  /** Applies the net effect of the committed staged rows of one table, then unstages them. */
  private void apply(Connection c, TargetModel model, TableModel t, long epoch, Lsn lsn)
      throws SQLException {
    String staged = qualified(model.schema(), t.changeTable());
    String target = qualified(model.schema(), t.name());
    String cols = columns(t, null);
    byte[] lsnBytes = lsn.toBytes();
    try (PreparedStatement ps =
        c.prepareStatement(
            "CREATE TEMPORARY TABLE "
                + NET
                + " ON COMMIT DROP AS SELECT "
                + cols
                + ", SUM(\"_diff\") AS \"_count\" FROM "
                + staged
                + " WHERE \"_epoch\" <= ? AND \"_lsn\" <= ? GROUP BY "
                + cols
                + " HAVING SUM(\"_diff\") <> 0")) {
      ps.setLong(1, epoch);
      ps.setBytes(2, lsnBytes);
      ps.executeUpdate();
    }
    try (Statement s = c.createStatement()) {
      if (t.hasKey()) {
        s.executeUpdate(
            "DELETE FROM "
                + target
                + " AS t USING "
                + NET
                + " AS n WHERE n.\"_count\" < 0 AND "
                + equalKeys(t, "t", "n"));
      } else {
        // Keyless: delete exactly -count copies of each retracted row.
        s.executeUpdate(
            "DELETE FROM "
                + target
                + " WHERE ctid IN (SELECT x.ctid FROM (SELECT t.ctid, n.\"_count\","
                + " row_number() OVER (PARTITION BY "
                + columns(t, "t")
                + ") AS rn FROM "
                + target
                + " AS t JOIN "
                + NET
                + " AS n ON "
                + sameValues(columnNames(t), "t", "n")
                + " WHERE n.\"_count\" < 0) AS x WHERE x.rn <= -x.\"_count\")");
      }
      s.executeUpdate(
          "INSERT INTO "
              + target
              + " ("
              + cols
              + ") SELECT "
              + columns(t, "n")
              + " FROM "
              + NET
              + " AS n, generate_series(1, n.\"_count\"::bigint) WHERE n.\"_count\" > 0");
      s.execute("DROP TABLE " + NET);
    }
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM " + staged + " WHERE \"_epoch\" <= ? AND \"_lsn\" <= ?")) {
      ps.setLong(1, epoch);
      ps.setBytes(2, lsnBytes);
      ps.executeUpdate();
    }
  }

  /** Key columns are NOT NULL, so plain equality (which can use the primary key) is exact. */
  private static String equalKeys(TableModel t, String a, String b) {
    StringJoiner j = new StringJoiner(" AND ");
    for (String k : t.keyColumns()) {
      j.add(a + "." + quote(k) + " = " + b + "." + quote(k));
    }
    return j.toString();
  }

  /** Staging is emptied by every commit; there is nothing to compact. */
  @Override
  public long compact(
      Connection c, TargetModel model, TableModel t, CommittedEpoch upTo, int maxGroups) {
    return 0;
  }
}
