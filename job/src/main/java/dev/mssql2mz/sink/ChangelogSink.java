package dev.mssql2mz.sink;

import dev.mssql2mz.udfs.Lsn;
import java.io.IOException;
import java.util.Collection;
import java.util.Objects;
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
import org.apache.flink.streaming.api.connector.sink2.SupportsPreCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The exactly-once {@link MaterializeSink} for a changelog that carries no SQL Server positions,
 * such as a Flink SQL query's output: the same writers, epochs, aggregator and committer, with the
 * progress made per checkpoint instead of per source LSN.
 *
 * <p>Each writer stamps every row of epoch {@code e} with the synthetic LSN {@link #epochLsn(long)
 * epochLsn(e)} and, just before reporting the epoch at the checkpoint barrier, gives itself the
 * progress marker "writer {@code i} of {@code n} is complete up to {@code epochLsn(e)}". Writer
 * {@code i} stands in for source subtask {@code i}: the aggregator's minimum over the {@code n}
 * markers is {@code epochLsn(e)}, so committing epoch {@code e} makes all of its rows visible, and
 * nothing of a later epoch. Why this is still exactly once: the rows of an epoch are exactly the
 * records the writers received before checkpoint barrier {@code e}, which is what the upstream
 * operators' checkpoint {@code e} restores from; rows of epochs that never committed are deleted on
 * restart as for the replication job. The target's progress relation then counts epochs, not SQL
 * Server LSNs.
 *
 * @param <IN> the changelog's element type
 */
public final class ChangelogSink<IN>
    implements Sink<IN>,
        SupportsWriterState<IN, WriterState>,
        SupportsCommitter<EpochCommittable>,
        SupportsPreCommitTopology<WriterResult, EpochCommittable> {

  private static final long serialVersionUID = 1L;

  private final MaterializeSink delegate;
  private final ChangelogConverter<IN> converter;

  private ChangelogSink(MaterializeSink delegate, ChangelogConverter<IN> converter) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.converter = Objects.requireNonNull(converter, "converter");
  }

  /** A sink writing {@code sink}'s tables from a changelog converted by {@code converter}. */
  public static <IN> ChangelogSink<IN> of(MaterializeSink sink, ChangelogConverter<IN> converter) {
    return new ChangelogSink<>(sink, converter);
  }

  /** The synthetic LSN of epoch {@code epoch}: increasing with the epoch, unsigned bytewise. */
  public static Lsn epochLsn(long epoch) {
    if (epoch < 0) {
      throw new IllegalArgumentException("Epoch " + epoch + " is negative");
    }
    return Lsn.of(epoch >>> 32, epoch & 0xFFFF_FFFFL, 0);
  }

  /** The relations this sink writes. */
  public TargetModel model() {
    return delegate.model();
  }

  /**
   * @deprecated Flink calls {@link #createWriter(WriterInitContext)}.
   */
  @Override
  @Deprecated
  public SinkWriter<IN> createWriter(InitContext context) {
    throw new UnsupportedOperationException("Flink 1.20 calls createWriter(WriterInitContext)");
  }

  @Override
  public StatefulSinkWriter<IN, WriterState> createWriter(WriterInitContext context)
      throws IOException {
    return new ChangelogSinkWriter<>(
        new MaterializeSinkWriter(delegate.settings(), context), converter, context);
  }

  @Override
  public StatefulSinkWriter<IN, WriterState> restoreWriter(
      WriterInitContext context, Collection<WriterState> recoveredState) throws IOException {
    return createWriter(context);
  }

  @Override
  public SimpleVersionedSerializer<WriterState> getWriterStateSerializer() {
    return delegate.getWriterStateSerializer();
  }

  @Override
  public Committer<EpochCommittable> createCommitter(CommitterInitContext context) {
    return delegate.createCommitter(context);
  }

  @Override
  public SimpleVersionedSerializer<EpochCommittable> getCommittableSerializer() {
    return delegate.getCommittableSerializer();
  }

  @Override
  public SimpleVersionedSerializer<WriterResult> getWriteResultSerializer() {
    return delegate.getWriteResultSerializer();
  }

  @Override
  public DataStream<CommittableMessage<EpochCommittable>> addPreCommitTopology(
      DataStream<CommittableMessage<WriterResult>> writerResults) {
    return delegate.addPreCommitTopology(writerResults);
  }

  @Override
  public String toString() {
    return "ChangelogSink(" + delegate + ")";
  }
}
