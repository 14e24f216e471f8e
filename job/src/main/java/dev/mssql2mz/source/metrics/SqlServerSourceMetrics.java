package dev.mssql2mz.source.metrics;

import dev.mssql2mz.source.ChangeOperation;
import dev.mssql2mz.source.ChangeRecord;
import dev.mssql2mz.udfs.Lsn;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The reader's metrics, named after Materialize's {@code mz_source_statistics}: {@code
 * snapshot_records_staged}, {@code messages_received}, {@code bytes_received}, {@code offset_known}
 * (upstream max LSN) and {@code offset_committed} (the last progress marker). The enumerator
 * reports {@code snapshot_records_known}. LSN gauges show the text form.
 */
public final class SqlServerSourceMetrics {

  private final Counter snapshotRecordsStaged;
  private final Counter messagesReceived;
  private final Counter bytesReceived;
  private volatile Lsn offsetKnown;
  private volatile Lsn offsetCommitted;

  public SqlServerSourceMetrics(MetricGroup group) {
    snapshotRecordsStaged = group.counter("snapshot_records_staged");
    messagesReceived = group.counter("messages_received");
    bytesReceived = group.counter("bytes_received");
    group.gauge("offset_known", () -> offsetKnown == null ? "" : offsetKnown.toString());
    group.gauge(
        "offset_committed", () -> offsetCommitted == null ? "" : offsetCommitted.toString());
  }

  public void record(ChangeRecord r, long bytes) {
    if (r.operation() == ChangeOperation.PROGRESS) {
      return;
    }
    messagesReceived.inc();
    bytesReceived.inc(bytes);
    if (r.operation() == ChangeOperation.SNAPSHOT) {
      snapshotRecordsStaged.inc();
    }
  }

  public void offsetKnown(Lsn lsn) {
    offsetKnown = lsn;
  }

  public void offsetCommitted(Lsn lsn) {
    offsetCommitted = lsn;
  }

  public long messagesReceived() {
    return messagesReceived.getCount();
  }

  public long snapshotRecordsStaged() {
    return snapshotRecordsStaged.getCount();
  }
}
