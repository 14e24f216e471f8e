package dev.mssql2mz.sink;

import dev.mssql2mz.source.ChangeRecord;
import dev.mssql2mz.udfs.Lsn;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * The writer of a {@link ChangelogSink}: converts each element into a change row of the current
 * epoch and, at each checkpoint, marks the epoch complete before the {@link MaterializeSinkWriter}
 * it wraps reports what it wrote.
 */
final class ChangelogSinkWriter<IN>
    implements CommittingSinkWriter<IN, WriterResult>, StatefulSinkWriter<IN, WriterState> {

  private final MaterializeSinkWriter delegate;
  private final ChangelogConverter<IN> converter;
  private final int subtask;
  private final int parallelism;

  /** Mirrors the wrapped writer: rows written now belong to epoch {@code lastCheckpointId + 1}. */
  private long lastCheckpointId;

  private Lsn epochLsn;

  ChangelogSinkWriter(
      MaterializeSinkWriter delegate, ChangelogConverter<IN> converter, WriterInitContext context) {
    this.delegate = delegate;
    this.converter = converter;
    this.subtask = context.getTaskInfo().getIndexOfThisSubtask();
    this.parallelism = context.getTaskInfo().getNumberOfParallelSubtasks();
    this.lastCheckpointId = context.getRestoredCheckpointId().orElse(0L);
    this.epochLsn = ChangelogSink.epochLsn(lastCheckpointId + 1);
  }

  @Override
  public void write(IN element, Context context) throws IOException {
    delegate.write(converter.toChangeRecord(element, epochLsn), context);
  }

  @Override
  public void flush(boolean endOfInput) throws IOException {
    delegate.flush(endOfInput);
  }

  /**
   * Called at the barrier of checkpoint {@code lastCheckpointId + 1}, after the last element of the
   * epoch: from here on this writer emits nothing at or below the epoch's LSN.
   */
  @Override
  public Collection<WriterResult> prepareCommit() throws IOException {
    delegate.write(ChangeRecord.progress(epochLsn, subtask, parallelism), null);
    return delegate.prepareCommit();
  }

  @Override
  public List<WriterState> snapshotState(long checkpointId) throws IOException {
    lastCheckpointId = checkpointId;
    epochLsn = ChangelogSink.epochLsn(lastCheckpointId + 1);
    return delegate.snapshotState(checkpointId);
  }

  @Override
  public void close() throws Exception {
    delegate.close();
  }
}
