package dev.mssql2mz.demo;

import dev.mssql2mz.sink.TargetText;
import dev.mssql2mz.sqlserver.JdbcValues;
import dev.mssql2mz.sqlserver.RowPredicate;
import dev.mssql2mz.sqlserver.SourceTable;
import dev.mssql2mz.sqlserver.SqlServerQueries;
import dev.mssql2mz.transform.ColumnMapping;
import dev.mssql2mz.transform.TypeMapping;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares every replicated table row by row, as multisets: the source table read from SQL Server
 * now against the user-facing relation in the target.
 *
 * <p>The source rows are converted with the same type rules as the sink ({@link TypeMapping}) and
 * loaded into a temporary table shaped like the target relation; the target then compares them with
 * {@code EXCEPT ALL} both ways, so equality is the target's own (numeric scale, padding, time
 * zones), and duplicate rows of keyless tables count.
 */
public final class TargetVerifier {

  /** The outcome for one table. */
  public record TableResult(
      String table, long sourceRows, long missing, long extra, List<String> examples) {}

  private static final int EXAMPLES = 3;

  private final Connection source;
  private final Connection target;
  private final String targetSchema;

  public TargetVerifier(Connection source, Connection target, String targetSchema) {
    this.source = source;
    this.target = target;
    this.targetSchema = targetSchema;
  }

  /** Compares one table; the source should be quiet (its workload stopped) while this runs. */
  public TableResult verify(SourceTable table) throws SQLException {
    String relation = quote(targetSchema) + "." + quote(table.targetName());
    List<ColumnMapping> mappings = TypeMapping.forTable(table);
    boolean autoCommit = target.getAutoCommit();
    target.setAutoCommit(false);
    try (Statement s = target.createStatement()) {
      s.execute("DROP TABLE IF EXISTS pg_temp.mssql2mz_expected");
      s.execute(
          "CREATE TEMPORARY TABLE mssql2mz_expected ON COMMIT DROP AS SELECT * FROM "
              + relation
              + " WITH NO DATA");
      long rows = loadExpected(table, mappings);
      String missingRows = "SELECT * FROM mssql2mz_expected EXCEPT ALL SELECT * FROM " + relation;
      String extraRows =
          "SELECT * FROM " + relation + " EXCEPT ALL SELECT * FROM mssql2mz_expected";
      long missing = count(s, missingRows);
      long extra = count(s, extraRows);
      List<String> examples = new ArrayList<>();
      List<String[]> missingExamples = missing > 0 ? rows(s, missingRows) : List.of();
      List<String[]> extraExamples = extra > 0 ? rows(s, extraRows) : List.of();
      examples.addAll(RowDifferences.describe(table, missingExamples, extraExamples));
      target.commit();
      return new TableResult(table.targetName(), rows, missing, extra, examples);
    } finally {
      target.setAutoCommit(autoCommit);
    }
  }

  private long loadExpected(SourceTable table, List<ColumnMapping> mappings) throws SQLException {
    int width = table.columns().size();
    StringBuilder insert = new StringBuilder("INSERT INTO mssql2mz_expected VALUES (");
    for (int i = 0; i < width; i++) {
      insert.append(i == 0 ? "?" : ", ?");
    }
    insert.append(')');
    long rows = 0;
    boolean sourceAutoCommit = source.getAutoCommit();
    source.setAutoCommit(false);
    try (PreparedStatement scan =
            SqlServerQueries.chunkScan(source, table, RowPredicate.alwaysTrue(), List.of(), 1000);
        ResultSet rs = scan.executeQuery();
        PreparedStatement ps = target.prepareStatement(insert.toString())) {
      while (rs.next()) {
        for (int i = 0; i < width; i++) {
          Object value = JdbcValues.read(rs, i + 1, table.columns().get(i));
          String text = TargetText.of(mappings.get(i).convert(value));
          if (text == null) {
            ps.setNull(i + 1, Types.OTHER);
          } else {
            ps.setObject(i + 1, text, Types.OTHER);
          }
        }
        ps.addBatch();
        if (++rows % 1000 == 0) {
          ps.executeBatch();
        }
      }
      ps.executeBatch();
    } finally {
      source.commit();
      source.setAutoCommit(sourceAutoCommit);
    }
    return rows;
  }

  private static List<String[]> rows(Statement s, String query) throws SQLException {
    List<String[]> rows = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(query + " LIMIT " + EXAMPLES)) {
      int width = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        String[] row = new String[width];
        for (int i = 0; i < width; i++) {
          row[i] = rs.getString(i + 1);
        }
        rows.add(row);
      }
    }
    return rows;
  }

  private static long count(Statement s, String query) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT count(*) FROM (" + query + ") d")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
