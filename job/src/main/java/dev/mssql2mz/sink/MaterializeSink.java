package dev.mssql2mz.sink;

import dev.mssql2mz.source.ChangeRecord;
import java.io.IOException;
import java.util.Collection;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessageTypeInfo;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Exactly-once sink of {@link ChangeRecord}s into Materialize (or PostgreSQL), built with {@link
 * #builder()}.
 *
 * <pre>
 *   records and ──► writers (parallel) ──► epoch aggregator (1) ──► committer
 *   progress        append change rows     one epoch per checkpoint,  one progress row
 *   markers         tagged with the epoch  LSN = min over markers     per epoch, idempotent
 * </pre>
 *
 * Writers append change rows during a checkpoint interval; at the barrier each reports what it
 * wrote; the aggregator forms one committable per checkpoint; once the checkpoint completes the
 * committer commits it (Materialize: one INSERT into {@code <source>_progress}; PostgreSQL: one
 * transaction applying the epoch). Requires checkpointing in EXACTLY_ONCE mode with aligned
 * checkpoints.
 */
public final class MaterializeSink
    implements Sink<ChangeRecord>,
        SupportsWriterState<ChangeRecord, WriterState>,
        SupportsCommitter<EpochCommittable>,
        SupportsPreCommitTopology<WriterResult, EpochCommittable> {

  private static final long serialVersionUID = 1L;

  private final SinkSettings settings;

  MaterializeSink(SinkSettings settings) {
    this.settings = settings;
  }

  public static MaterializeSinkBuilder builder() {
    return new MaterializeSinkBuilder();
  }

  /** The relations this sink writes. */
  public TargetModel model() {
    return settings.model;
  }

  SinkSettings settings() {
    return settings;
  }

  /**
   * Connects to the target once and fails at once when that is impossible (wrong host, port,
   * password or TLS mode), so that a job is not started that could only retry; a running job
   * retries with back-off instead.
   *
   * @throws TargetUnreachableException naming the target and what to check
   */
  public void checkConnection() {
    new TargetConnector(settings, ConnectionDecorator.Role.COMMITTER).check();
  }

  /**
   * @deprecated Flink calls {@link #createWriter(WriterInitContext)}.
   */
  @Override
  @Deprecated
  public SinkWriter<ChangeRecord> createWriter(InitContext context) {
    throw new UnsupportedOperationException("Flink 1.20 calls createWriter(WriterInitContext)");
  }

  @Override
  public StatefulSinkWriter<ChangeRecord, WriterState> createWriter(WriterInitContext context)
      throws IOException {
    return new MaterializeSinkWriter(settings, context);
  }

  @Override
  public StatefulSinkWriter<ChangeRecord, WriterState> restoreWriter(
      WriterInitContext context, Collection<WriterState> recoveredState) throws IOException {
    return new MaterializeSinkWriter(settings, context);
  }

  @Override
  public SimpleVersionedSerializer<WriterState> getWriterStateSerializer() {
    return new WriterStateSerializer();
  }

  @Override
  public Committer<EpochCommittable> createCommitter(CommitterInitContext context) {
    return new EpochCommitter(settings, context.metricGroup());
  }

  @Override
  public SimpleVersionedSerializer<EpochCommittable> getCommittableSerializer() {
    return new EpochCommittableSerializer();
  }

  @Override
  public SimpleVersionedSerializer<WriterResult> getWriteResultSerializer() {
    return new WriterResultSerializer();
  }

  /**
   * All writers' results go to one aggregator, whose committables go to committer 0. The aggregator
   * keeps no state, so it needs no uid of its own (set one on the sink: {@code
   * sinkTo(sink).uid(...)} names the writer and committer state).
   */
  @Override
  public DataStream<CommittableMessage<EpochCommittable>> addPreCommitTopology(
      DataStream<CommittableMessage<WriterResult>> writerResults) {
    String name = "epoch aggregator " + settings.model.sourceName();
    return writerResults
        .global()
        .transform(
            name,
            CommittableMessageTypeInfo.of(EpochCommittableSerializer::new),
            new EpochAggregator())
        .setParallelism(1)
        .setMaxParallelism(1)
        .global();
  }

  @Override
  public String toString() {
    return "MaterializeSink(" + settings + ")";
  }
}
