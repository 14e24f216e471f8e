package dev.mssql2mz.source.enumerator;

import dev.mssql2mz.source.split.SnapshotChunk;
import dev.mssql2mz.sqlserver.CapturedTable;
import dev.mssql2mz.sqlserver.SourceColumn;
import dev.mssql2mz.sqlserver.SourceTable;
import dev.mssql2mz.sqlserver.SqlServerQueries;
import dev.mssql2mz.sqlserver.SupportedTypes;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a table into snapshot chunks of about {@code chunkSize} rows: even ranges between MIN and
 * MAX of a single integer key, boundaries sampled every {@code chunkSize} rows in key order for
 * other keys, one chunk for a keyless table. Bounds are compared by SQL Server only (the chunk scan
 * and the handoff both use the same range predicates), so collations need no Java twin.
 */
public final class ChunkPlanner {

  /** Chunks of a table and the rows counted while planning. */
  public record Plan(List<SnapshotChunk> chunks, long rows) {}

  private final int chunkSize;

  public ChunkPlanner(int chunkSize) {
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunk size must be at least 1, got " + chunkSize);
    }
    this.chunkSize = chunkSize;
  }

  public Plan plan(Connection c, CapturedTable table) throws SQLException {
    SourceTable t = table.table();
    if (!t.hasKey()) {
      long rows = SqlServerQueries.keyStats(c, t, null).rows();
      return new Plan(List.of(SnapshotChunk.fresh(table, 0, null, null)), rows);
    }
    String integerKey = null;
    if (t.keyColumns().size() == 1) {
      SourceColumn k = t.columns().get(t.columnIndex(t.keyColumns().get(0)));
      if (SupportedTypes.hasJavaOrder(k) && !k.asText()) {
        integerKey = k.name();
      }
    }
    SqlServerQueries.KeyStats stats = SqlServerQueries.keyStats(c, t, integerKey);
    if (stats.rows() <= chunkSize) {
      return new Plan(List.of(SnapshotChunk.fresh(table, 0, null, null)), stats.rows());
    }
    List<Object[]> boundaries = new ArrayList<>();
    if (integerKey != null) {
      long n = (stats.rows() + chunkSize - 1) / chunkSize;
      long min = stats.minKey();
      long max = stats.maxKey();
      // Width from the key span; BigInteger-free because spans of real keys fit in a long.
      double width = ((double) max - (double) min + 1d) / n;
      long previous = min;
      for (long i = 1; i < n; i++) {
        long b = min + (long) Math.ceil(width * i);
        if (b > previous && b <= max) {
          boundaries.add(new Object[] {b});
          previous = b;
        }
      }
    } else {
      boundaries.addAll(SqlServerQueries.sampledKeyBoundaries(c, t, chunkSize));
    }
    List<SnapshotChunk> chunks = new ArrayList<>();
    Object[] lower = null;
    int index = 0;
    for (Object[] b : boundaries) {
      chunks.add(SnapshotChunk.fresh(table, index++, lower, b));
      lower = b;
    }
    chunks.add(SnapshotChunk.fresh(table, index, lower, null));
    return new Plan(chunks, stats.rows());
  }
}
