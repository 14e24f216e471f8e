package dev.mssql2mz.sink;

import dev.mssql2mz.metrics.StatisticNames;
import dev.mssql2mz.source.ChangeRecord;
import dev.mssql2mz.transform.ColumnMapping;
import dev.mssql2mz.udfs.Lsn;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

/**
 * Appends change rows to the target's change tables, tagged with the epoch they belong to, and
 * reports what it wrote at each checkpoint.
 *
 * <p>Rows are buffered per table and written in batches (one insert-only transaction into one table
 * each) when a table reaches the batch size, when all buffers together reach the buffer limit, and
 * before every checkpoint. Writing blocks the task, so a slow target back-pressures the source
 * instead of growing memory: at most {@code maxBufferedRows} rows are held.
 *
 * <p>A failed append is never retried in place: the outcome of a COMMIT that lost its connection is
 * unknown, and a retry could write the rows twice. The task fails instead; after the restart the
 * rows of the unfinished epoch are deleted and written again from the restored position.
 */
final class MaterializeSinkWriter
    implements CommittingSinkWriter<ChangeRecord, WriterResult>,
        StatefulSinkWriter<ChangeRecord, WriterState> {

  private final SinkSettings settings;
  private final int subtask;
  private final Connection connection;
  private final Map<String, ChangeBatch> batches = new LinkedHashMap<>();
  private final ProgressTracker progress = new ProgressTracker();
  private final Set<String> tablesWritten = new HashSet<>();
  private final String subtaskText;

  private long lastCheckpointId;
  private String epochText;
  private Lsn lastLsn;
  private String lastLsnText;
  private int buffered;
  private long rowsSincePrepare;
  private long bytesSincePrepare;

  private final Counter updatesStaged;
  private final Counter rowsWritten;
  private final Counter bytesWritten;

  MaterializeSinkWriter(SinkSettings settings, WriterInitContext context) throws IOException {
    this.settings = settings;
    this.subtask = context.getTaskInfo().getIndexOfThisSubtask();
    this.subtaskText = Integer.toString(subtask);
    int parallelism = context.getTaskInfo().getNumberOfParallelSubtasks();
    this.lastCheckpointId = context.getRestoredCheckpointId().orElse(0L);
    this.epochText = Long.toString(epochTag());
    SinkWriterMetricGroup metrics = context.metricGroup();
    this.updatesStaged = metrics.counter(StatisticNames.UPDATES_STAGED);
    this.rowsWritten = metrics.counter(StatisticNames.ROWS_WRITTEN);
    this.bytesWritten = metrics.counter(StatisticNames.BYTES_WRITTEN);
    try {
      this.connection = new TargetConnector(settings, ConnectionDecorator.Role.WRITER).open();
      TargetPreparer.prepare(
          connection, settings, subtask, parallelism, context.getRestoredCheckpointId());
    } catch (SQLException e) {
      throw new IOException("Preparing the target failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while connecting to the target", e);
    }
  }

  /** The {@code _epoch} of rows written now: they are committed by the next checkpoint. */
  private long epochTag() {
    return lastCheckpointId + 1;
  }

  @Override
  public void write(ChangeRecord record, Context context) throws IOException {
    if (record.isProgress()) {
      progress.accept(record);
      return;
    }
    TableModel table = settings.model.table(record.table());
    if (table == null) {
      throw new IOException(
          "Change record for table "
              + record.table()
              + ", which is not among the sink's tables "
              + tableNames()
              + ": pass every source table to the sink builder.");
    }
    List<ColumnMapping> columns = table.columns();
    Object[] values = record.values();
    if (values.length != columns.size()) {
      throw new IOException(
          "Change record for table "
              + table.name()
              + " has "
              + values.length
              + " values but the table has "
              + columns.size()
              + " columns");
    }
    String[] row = new String[columns.size() + ChangeBatch.META_COLUMNS.size()];
    for (int i = 0; i < values.length; i++) {
      row[i] = TargetText.of(columns.get(i).convert(values[i]));
    }
    int m = values.length;
    row[m] = epochText;
    row[m + 1] = subtaskText;
    row[m + 2] = lsnText(record.position().commitLsn());
    row[m + 3] = record.diff() > 0 ? "1" : "-1";
    ChangeBatch batch = batches.computeIfAbsent(table.name(), n -> new ChangeBatch(table));
    batch.add(row);
    buffered++;
    if (batch.size() >= settings.batchSize) {
      write(batch);
    }
    if (buffered >= settings.maxBufferedRows) {
      flushAll();
    }
  }

  private List<String> tableNames() {
    List<String> names = new java.util.ArrayList<>();
    for (TableModel t : settings.model.tables()) {
      names.add(t.name());
    }
    return names;
  }

  /** Rows of one source transaction share their LSN: encode it once. */
  private String lsnText(Lsn lsn) {
    if (!lsn.equals(lastLsn)) {
      lastLsn = lsn;
      lastLsnText = TargetText.hex(lsn.toBytes());
    }
    return lastLsnText;
  }

  @Override
  public void flush(boolean endOfInput) throws IOException {
    flushAll();
  }

  private void flushAll() throws IOException {
    for (ChangeBatch b : batches.values()) {
      write(b);
    }
  }

  private void write(ChangeBatch batch) throws IOException {
    if (batch.isEmpty()) {
      return;
    }
    long bytesSent;
    try {
      bytesSent = settings.dialect.append(connection, settings.model, batch, settings.writeMethod);
    } catch (SQLException e) {
      throw new IOException(
          "Writing "
              + batch.size()
              + " change rows to "
              + batch.table().changeTable()
              + " failed: "
              + e.getMessage(),
          e);
    }
    int n = batch.size();
    rowsSincePrepare += n;
    bytesSincePrepare += bytesSent;
    updatesStaged.inc(n);
    rowsWritten.inc(n);
    bytesWritten.inc(bytesSent);
    tablesWritten.add(batch.table().name());
    buffered -= n;
    batch.clear();
  }

  @Override
  public Collection<WriterResult> prepareCommit() throws IOException {
    flushAll();
    WriterResult result =
        new WriterResult(
            subtask,
            epochTag(),
            progress.sourceParallelism(),
            progress.markers(),
            rowsSincePrepare,
            bytesSincePrepare,
            tablesWritten);
    rowsSincePrepare = 0;
    bytesSincePrepare = 0;
    tablesWritten.clear();
    return Collections.singletonList(result);
  }

  @Override
  public List<WriterState> snapshotState(long checkpointId) {
    lastCheckpointId = checkpointId;
    epochText = Long.toString(epochTag());
    return Collections.singletonList(new WriterState(checkpointId));
  }

  @Override
  public void close() throws Exception {
    connection.close();
  }
}
