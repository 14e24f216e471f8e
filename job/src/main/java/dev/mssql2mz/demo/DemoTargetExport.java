package dev.mssql2mz.demo;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.PGConnection;

/**
 * Leaves what the demo replicated where the notebooks can explore it after the embedded target is
 * gone: {@code tables.csv} (each table's rows and the verification's result) and {@code
 * target/<table>.csv}, the first rows of each table as users see them in the target, both beside
 * the metrics file.
 */
final class DemoTargetExport {

  static final int SAMPLE_ROWS = 500;

  private final Path dir;

  DemoTargetExport(Path metricsFile) {
    Path parent = metricsFile.toAbsolutePath().getParent();
    this.dir = parent != null ? parent : Path.of(".").toAbsolutePath();
  }

  void write(Connection target, String schema, List<TargetVerifier.TableResult> results)
      throws IOException, SQLException {
    Path samples = dir.resolve("target");
    Files.createDirectories(samples);
    StringBuilder tables = new StringBuilder("table,source_rows,missing,extra\n");
    for (TargetVerifier.TableResult r : results) {
      tables
          .append(csv(r.table()))
          .append(',')
          .append(r.sourceRows())
          .append(',')
          .append(r.missing())
          .append(',')
          .append(r.extra())
          .append('\n');
      // The relation's own column order, sorted by its first column so runs compare.
      String copy =
          "COPY (SELECT * FROM "
              + quote(schema)
              + "."
              + quote(r.table())
              + " ORDER BY 1 LIMIT "
              + SAMPLE_ROWS
              + ") TO STDOUT WITH (FORMAT csv, HEADER)";
      try (Writer w =
          Files.newBufferedWriter(samples.resolve(r.table() + ".csv"), StandardCharsets.UTF_8)) {
        target.unwrap(PGConnection.class).getCopyAPI().copyOut(copy, w);
      }
    }
    Files.writeString(dir.resolve("tables.csv"), tables.toString());
  }

  Path directory() {
    return dir;
  }

  private static String csv(String v) {
    return v.contains(",") || v.contains("\"") ? '"' + v.replace("\"", "\"\"") + '"' : v;
  }

  private static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
