package dev.mssql2mz.demo;

import dev.mssql2mz.udfs.Lsn;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The demo run's statistics as CSV, one row per progress tick, read by the notebooks: {@code
 * time_ms, phase, snapshot_records_known, snapshot_records_staged, updates_committed, offset_known,
 * offset_committed, lag_ms}. Offsets are LSNs in their {@code numeric(25,0)} form; empty when
 * unknown, as is a negative lag.
 */
final class DemoMetricsFile implements AutoCloseable {

  static final String HEADER =
      "time_ms,phase,snapshot_records_known,snapshot_records_staged,updates_committed,"
          + "offset_known,offset_committed,lag_ms";

  private final BufferedWriter writer;

  DemoMetricsFile(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    writer = Files.newBufferedWriter(file);
    writer.write(HEADER);
    writer.newLine();
  }

  void append(
      long timeMs,
      String phase,
      long known,
      long staged,
      long updatesCommitted,
      Lsn offsetKnown,
      Lsn offsetCommitted,
      long lagMs)
      throws IOException {
    writer.write(
        timeMs
            + ","
            + phase
            + ","
            + known
            + ","
            + staged
            + ","
            + updatesCommitted
            + ","
            + (offsetKnown == null ? "" : offsetKnown.toNumeric())
            + ","
            + (offsetCommitted == null ? "" : offsetCommitted.toNumeric())
            + ","
            + (lagMs < 0 ? "" : Long.toString(lagMs)));
    writer.newLine();
    writer.flush();
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }
}
