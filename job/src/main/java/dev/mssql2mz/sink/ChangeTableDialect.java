package dev.mssql2mz.sink;

import static dev.mssql2mz.sink.Sql.qualified;
import static dev.mssql2mz.sink.Sql.quote;

import dev.mssql2mz.transform.ColumnMapping;
import dev.mssql2mz.udfs.Lsn;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.postgresql.PGConnection;

/**
 * The SQL both dialects share: change tables, the progress relation, appending batches, cleaning up
 * uncommitted rows. Every statement here is one Materialize accepts: DDL and standalone DELETEs in
 * autocommit, appends as insert-only transactions into one table.
 */
abstract class ChangeTableDialect implements TargetDialect {

  private static final long serialVersionUID = 1L;

  /** Suffix of the change table behind each replicated table's user-facing relation. */
  static final String CHANGES = "_changes";

  /** Bind parameters PostgreSQL accepts in one statement. */
  private static final int MAX_PARAMETERS = 32_767;

  // ---- DDL -------------------------------------------------------------------------------

  /** Creates schema, progress relation and change tables; subclasses add the user relations. */
  @Override
  public void createMissing(Connection c, TargetModel model) throws SQLException {
    c.setAutoCommit(true);
    ddl(c, "CREATE SCHEMA IF NOT EXISTS " + quote(model.schema()), () -> true);
    Set<String> existing = relations(c, model.schema());
    if (!existing.contains(model.progressRelation())) {
      ddl(
          c,
          progressDdl(model),
          () -> relations(c, model.schema()).contains(model.progressRelation()));
    }
    for (TableModel t : model.tables()) {
      if (!existing.contains(t.changeTable())) {
        ddl(
            c,
            changeTableDdl(model, t),
            () -> relations(c, model.schema()).contains(t.changeTable()));
      } else {
        checkColumns(c, model, t);
      }
    }
    createUserRelations(c, model, existing);
  }

  /** An existing change table must have the columns this job writes, in this order. */
  private void checkColumns(Connection c, TargetModel model, TableModel t) throws SQLException {
    List<String> expected = new java.util.ArrayList<>(columnNames(t));
    expected.addAll(ChangeBatch.META_COLUMNS);
    checkColumns(c, model, t, t.changeTable(), expected);
  }

  /**
   * Fails with {@link TargetMismatchException} when {@code relation} does not have exactly the
   * columns {@code expected}, in this order: it was altered by hand, or the source's columns
   * changed. Either way writing on would fail or put values into the wrong columns.
   */
  void checkColumns(
      Connection c, TargetModel model, TableModel t, String relation, List<String> expected)
      throws SQLException {
    List<String> actual = new java.util.ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT column_name FROM information_schema.columns"
                + " WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
      ps.setString(1, model.schema());
      ps.setString(2, relation);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          actual.add(rs.getString(1));
        }
      }
    }
    if (!actual.equals(expected)) {
      throw new TargetMismatchException(
          "Target table "
              + model.schema()
              + "."
              + relation
              + " has the columns "
              + actual
              + " but the job writes "
              + expected
              + " for source table "
              + t.source().qualifiedName()
              + ": the table was altered by hand, or the source's columns changed. Fix: restore"
              + " the table's columns, or drop the relations of source "
              + model.sourceName()
              + " in schema "
              + model.schema()
              + " (or use a new schema) and start over.");
    }
  }

  abstract String progressDdl(TargetModel model);

  abstract void createUserRelations(Connection c, TargetModel model, Set<String> existing)
      throws SQLException;

  String changeTableDdl(TargetModel model, TableModel t) {
    StringJoiner cols = new StringJoiner(", ");
    for (ColumnMapping m : t.columns()) {
      cols.add(quote(m.name()) + " " + m.targetType());
    }
    cols.add("\"_epoch\" bigint NOT NULL");
    cols.add("\"_subtask\" integer NOT NULL");
    cols.add("\"_lsn\" bytea NOT NULL");
    cols.add("\"_diff\" smallint NOT NULL");
    return "CREATE TABLE IF NOT EXISTS "
        + qualified(model.schema(), t.changeTable())
        + " ("
        + cols
        + ")";
  }

  @Override
  public Map<String, Long> rowCounts(Connection c, String schema) throws SQLException {
    Set<String> relations = relations(c, schema);
    Map<String, Long> counts = new TreeMap<>();
    for (String r : relations) {
      String name = r.endsWith(CHANGES) ? r.substring(0, r.length() - CHANGES.length()) : null;
      if (name != null && relations.contains(name)) {
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT count(*) FROM " + qualified(schema, name))) {
          rs.next();
          counts.put(name, rs.getLong(1));
        }
      }
    }
    return counts;
  }

  /** The names of the tables and views in {@code schema}. */
  Set<String> relations(Connection c, String schema) throws SQLException {
    Set<String> names = new HashSet<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = ?")) {
      ps.setString(1, schema);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
    }
    return names;
  }

  /** Runs a DDL statement; a failure is ignored when a concurrent writer created the object. */
  void ddl(Connection c, String sql, ExistsCheck exists) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      if (!exists.exists()) {
        throw e;
      }
    }
  }

  /** Whether an object exists now; used after a DDL statement failed. */
  @FunctionalInterface
  interface ExistsCheck {
    boolean exists() throws SQLException;
  }

  // ---- progress --------------------------------------------------------------------------

  @Override
  public Optional<CommittedEpoch> latestCommitted(Connection c, TargetModel model)
      throws SQLException {
    if (!relations(c, model.schema()).contains(model.progressRelation())) {
      return Optional.empty();
    }
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT \"epoch\", \"lsn\", \"committed_at\" FROM "
                    + qualified(model.schema(), model.progressRelation())
                    + " ORDER BY \"epoch\" DESC LIMIT 1");
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return Optional.empty();
      }
      Timestamp at = rs.getTimestamp(3);
      return Optional.of(
          new CommittedEpoch(
              rs.getLong(1), Lsn.fromBytes(rs.getBytes(2)), at == null ? null : at.toInstant()));
    }
  }

  @Override
  public int trimProgress(Connection c, TargetModel model, long belowEpoch) throws SQLException {
    c.setAutoCommit(true);
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM "
                + qualified(model.schema(), model.progressRelation())
                + " WHERE \"epoch\" < ?")) {
      ps.setLong(1, belowEpoch);
      return ps.executeUpdate();
    }
  }

  void insertProgress(Connection c, TargetModel model, long epoch, Lsn lsn, java.time.Instant at)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + qualified(model.schema(), model.progressRelation())
                + " (\"epoch\", \"lsn\", \"committed_at\") VALUES (?, ?, ?)")) {
      ps.setLong(1, epoch);
      ps.setBytes(2, lsn.toBytes());
      ps.setTimestamp(3, Timestamp.from(at));
      ps.executeUpdate();
    }
  }

  // ---- change rows -----------------------------------------------------------------------

  @Override
  public void deleteUncommitted(
      Connection c, TargetModel model, int subtask, int andSubtasksFrom, long epoch)
      throws SQLException {
    c.setAutoCommit(true);
    for (TableModel t : model.tables()) {
      String sql =
          "DELETE FROM "
              + qualified(model.schema(), t.changeTable())
              + " WHERE \"_epoch\" > ? AND ("
              + "\"_subtask\" = ?"
              + (andSubtasksFrom >= 0 ? " OR \"_subtask\" >= ?" : "")
              + ")";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setLong(1, epoch);
        ps.setInt(2, subtask);
        if (andSubtasksFrom >= 0) {
          ps.setInt(3, andSubtasksFrom);
        }
        ps.executeUpdate();
      }
    }
  }

  @Override
  public long append(Connection c, TargetModel model, ChangeBatch batch, WriteMethod method)
      throws SQLException {
    if (batch.isEmpty()) {
      return 0;
    }
    if (method == WriteMethod.COPY) {
      return copy(c, model, batch);
    }
    insert(c, model, batch);
    return batch.utf8Bytes();
  }

  private String columnList(TableModel t) {
    StringJoiner cols = new StringJoiner(", ", "(", ")");
    for (ColumnMapping m : t.columns()) {
      cols.add(quote(m.name()));
    }
    for (String meta : ChangeBatch.META_COLUMNS) {
      cols.add(quote(meta));
    }
    return cols.toString();
  }

  /**
   * One COPY statement in autocommit: a single-table, insert-only transaction. Returns the bytes
   * sent.
   */
  private long copy(Connection c, TargetModel model, ChangeBatch batch) throws SQLException {
    c.setAutoCommit(true);
    String sql =
        "COPY "
            + qualified(model.schema(), batch.table().changeTable())
            + " "
            + columnList(batch.table())
            + " FROM STDIN";
    // Encoded here as a whole: pgjdbc's copyIn(Reader) encodes each 64K-char buffer on its own and
    // turns a surrogate pair that straddles two buffers into "??". The wire is always UTF-8.
    byte[] text = batch.toCopyText().getBytes(StandardCharsets.UTF_8);
    try {
      c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, new ByteArrayInputStream(text));
    } catch (java.io.IOException e) {
      throw new SQLException("COPY into " + batch.table().changeTable() + " failed", e);
    }
    return text.length;
  }

  /** Multi-row INSERTs of untyped text parameters, all in one transaction into one table. */
  private void insert(Connection c, TargetModel model, ChangeBatch batch) throws SQLException {
    TableModel t = batch.table();
    int width = t.columns().size() + ChangeBatch.META_COLUMNS.size();
    int rowsPerStatement = Math.max(1, Math.min(1000, MAX_PARAMETERS / width));
    String prefix =
        "INSERT INTO "
            + qualified(model.schema(), t.changeTable())
            + " "
            + columnList(t)
            + " VALUES ";
    StringJoiner one = new StringJoiner(", ", "(", ")");
    for (int i = 0; i < width; i++) {
      one.add("?");
    }
    List<String[]> rows = batch.rows();
    c.setAutoCommit(false);
    try {
      PreparedStatement full = null;
      try {
        for (int start = 0; start < rows.size(); start += rowsPerStatement) {
          int n = Math.min(rowsPerStatement, rows.size() - start);
          PreparedStatement ps;
          if (n == rowsPerStatement) {
            if (full == null) {
              full = c.prepareStatement(prefix + repeat(one.toString(), n));
            }
            ps = full;
          } else {
            ps = c.prepareStatement(prefix + repeat(one.toString(), n));
          }
          int p = 1;
          for (int r = start; r < start + n; r++) {
            for (String field : rows.get(r)) {
              if (field == null) {
                ps.setNull(p++, Types.OTHER);
              } else {
                ps.setObject(p++, field, Types.OTHER);
              }
            }
          }
          ps.executeUpdate();
          if (ps != full) {
            ps.close();
          }
        }
      } finally {
        if (full != null) {
          full.close();
        }
      }
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

  private static String repeat(String tuple, int n) {
    StringJoiner j = new StringJoiner(", ");
    for (int i = 0; i < n; i++) {
      j.add(tuple);
    }
    return j.toString();
  }

  /** {@code "a", "b"} for the source columns of {@code t}, each prefixed with {@code alias.}. */
  static String columns(TableModel t, String alias) {
    StringJoiner j = new StringJoiner(", ");
    for (ColumnMapping m : t.columns()) {
      j.add(alias == null ? quote(m.name()) : alias + "." + quote(m.name()));
    }
    return j.toString();
  }

  /** {@code a."x" IS NOT DISTINCT FROM b."x" AND ...} over the given column names. */
  static String sameValues(List<String> names, String a, String b) {
    StringJoiner j = new StringJoiner(" AND ");
    for (String n : names) {
      j.add(a + "." + quote(n) + " IS NOT DISTINCT FROM " + b + "." + quote(n));
    }
    return j.toString();
  }

  static List<String> columnNames(TableModel t) {
    List<String> names = new java.util.ArrayList<>();
    for (ColumnMapping m : t.columns()) {
      names.add(m.name());
    }
    return names;
  }
}
