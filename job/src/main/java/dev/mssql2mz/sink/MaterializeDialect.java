package dev.mssql2mz.sink;

import static dev.mssql2mz.sink.Sql.qualified;
import static dev.mssql2mz.sink.Sql.quote;

import dev.mssql2mz.udfs.Lsn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Materialize as the target: it accepts write transactions that only INSERT into one table, and
 * UPDATE/DELETE only as single statements. So nothing here ever spans two tables:
 *
 * <ul>
 *   <li>writers append to {@code <name>_changes} (COPY or INSERT, one table per transaction);
 *   <li>a commit is one INSERT of the epoch's row into {@code <source>_progress};
 *   <li>users query the view {@code <name>}, which keeps change rows of committed epochs at or
 *       below the committed LSN and sums their diffs, so half a source transaction or an
 *       uncommitted epoch never shows, and keyless duplicates keep their multiplicity;
 *   <li>cleanup and compaction are standalone DELETEs.
 * </ul>
 *
 * The same SQL runs on PostgreSQL, except indexes on views, which PostgreSQL lacks: {@code
 * indexViews} turns them off for tests against PostgreSQL.
 */
public final class MaterializeDialect extends ChangeTableDialect {

  private static final long serialVersionUID = 1L;

  private final boolean indexViews;

  /**
   * @param indexViews create an index on each view (Materialize keeps it up to date)
   */
  public MaterializeDialect(boolean indexViews) {
    this.indexViews = indexViews;
  }

  @Override
  public String name() {
    return "materialize";
  }

  @Override
  String progressDdl(TargetModel model) {
    return "CREATE TABLE IF NOT EXISTS "
        + qualified(model.schema(), model.progressRelation())
        + " (\"epoch\" bigint NOT NULL, \"lsn\" bytea NOT NULL,"
        + " \"committed_at\" timestamptz NOT NULL)";
  }

  @Override
  void createUserRelations(Connection c, TargetModel model, Set<String> existing)
      throws SQLException {
    for (TableModel t : model.tables()) {
      if (!existing.contains(t.name())) {
        ddl(c, viewDdl(model, t), () -> relations(c, model.schema()).contains(t.name()));
      }
      if (indexViews) {
        ddl(c, indexDdl(model, t), () -> false);
      }
    }
  }

  /**
   * The user-facing view: committed epochs only ({@code _epoch} at or below the newest progress
   * row), changes at or below the committed LSN only, consolidated per full row, each row repeated
   * as often as its net count says.
   */
  String viewDdl(TargetModel model, TableModel t) {
    String cols = columns(t, "c");
    return "CREATE VIEW "
        + qualified(model.schema(), t.name())
        + " AS SELECT "
        + columns(t, "g")
        + " FROM (SELECT "
        + cols
        + ", SUM(c.\"_diff\") AS \"_count\" FROM "
        + qualified(model.schema(), t.changeTable())
        + " AS c, (SELECT \"epoch\", \"lsn\" FROM "
        + qualified(model.schema(), model.progressRelation())
        + " ORDER BY \"epoch\" DESC LIMIT 1) AS p"
        + " WHERE c.\"_epoch\" <= p.\"epoch\" AND c.\"_lsn\" <= p.\"lsn\""
        + " GROUP BY "
        + cols
        + " HAVING SUM(c.\"_diff\") > 0) AS g,"
        + " generate_series(1, g.\"_count\"::bigint)";
  }

  String indexDdl(TargetModel model, TableModel t) {
    List<String> keys = t.hasKey() ? t.keyColumns() : columnNames(t);
    StringJoiner k = new StringJoiner(", ", "(", ")");
    for (String key : keys) {
      k.add(quote(key));
    }
    return "CREATE INDEX IF NOT EXISTS "
        + quote(t.name() + "_idx")
        + " ON "
        + qualified(model.schema(), t.name())
        + " "
        + k;
  }

  @Override
  public void clearCommitted(Connection c, TargetModel model) throws SQLException {
    c.setAutoCommit(true);
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM " + qualified(model.schema(), model.progressRelation()))) {
      ps.executeUpdate();
    }
  }

  /** Deleting the newer progress rows is one statement: the views step back to {@code epoch}. */
  @Override
  public void rollBackTo(Connection c, TargetModel model, long epoch) throws SQLException {
    c.setAutoCommit(true);
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM "
                + qualified(model.schema(), model.progressRelation())
                + " WHERE \"epoch\" > ?")) {
      ps.setLong(1, epoch);
      ps.executeUpdate();
    }
  }

  @Override
  public void commitEpoch(Connection c, TargetModel model, long epoch, Lsn lsn, Instant at)
      throws SQLException {
    c.setAutoCommit(true);
    insertProgress(c, model, epoch, lsn, at);
  }

  /**
   * Deletes, in one statement, every committed row of up to {@code maxGroups} full rows whose
   * committed diffs sum to zero. Those rows add nothing to the view, and a single DELETE removes
   * all of them at once, so no reader sees one half of a pair.
   */
  @Override
  public long compact(
      Connection c, TargetModel model, TableModel t, CommittedEpoch upTo, int maxGroups)
      throws SQLException {
    c.setAutoCommit(true);
    String changes = qualified(model.schema(), t.changeTable());
    String committed = "\"_epoch\" <= ? AND \"_lsn\" <= ?";
    String sql =
        "DELETE FROM "
            + changes
            + " AS d WHERE d."
            + committed.replace(" AND \"", " AND d.\"")
            + " AND EXISTS (SELECT 1 FROM (SELECT "
            + columns(t, null)
            + " FROM "
            + changes
            + " WHERE "
            + committed
            + " GROUP BY "
            + columns(t, null)
            // A literal, not a parameter: Materialize takes only constants in LIMIT (a parameter
            // fails with "LIMIT must be an integer constant"). maxGroups is a validated int.
            + " HAVING SUM(\"_diff\") = 0 LIMIT "
            + Math.max(1, maxGroups)
            + ") AS z WHERE "
            + sameValues(columnNames(t), "d", "z")
            + ")";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      byte[] lsn = upTo.lsn().toBytes();
      ps.setLong(1, upTo.epoch());
      ps.setBytes(2, lsn);
      ps.setLong(3, upTo.epoch());
      ps.setBytes(4, lsn);
      return ps.executeUpdate();
    }
  }
}
