package dev.mssql2mz.sink;

import dev.mssql2mz.udfs.Lsn;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableSummary;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The single point where an epoch is formed: receives every writer's {@link WriterResult} and, just
 * before forwarding the checkpoint barrier, emits one {@link EpochCommittable} for the checkpoint
 * (parallelism 1). With aligned checkpoints all writers' results of checkpoint C arrive before
 * barrier C, so nothing is held across a checkpoint and the operator needs no state.
 *
 * <p>The epoch's LSN is the minimum over all source subtasks of the latest progress marker any
 * writer received (see {@link ProgressTracker}); until every source subtask has reported one the
 * committed LSN does not move. The markers seen are kept across epochs but not in state: after a
 * restore the committed LSN stays where the target has it until every source subtask reports again.
 */
final class EpochAggregator extends AbstractStreamOperator<CommittableMessage<EpochCommittable>>
    implements OneInputStreamOperator<
        CommittableMessage<WriterResult>, CommittableMessage<EpochCommittable>> {

  private static final long serialVersionUID = 1L;

  private transient Map<Integer, WriterResult> results;
  private transient ProgressTracker progress;
  private transient long latestCheckpoint;

  @Override
  public void open() throws Exception {
    super.open();
    results = new TreeMap<>();
    progress = new ProgressTracker();
    latestCheckpoint = -1;
  }

  @Override
  public void processElement(StreamRecord<CommittableMessage<WriterResult>> element) {
    CommittableMessage<WriterResult> message = element.getValue();
    latestCheckpoint = Math.max(latestCheckpoint, message.getCheckpointIdOrEOI());
    if (message instanceof CommittableWithLineage) {
      // Results of one writer over several checkpoints (after an aborted one) add up.
      WriterResult r = ((CommittableWithLineage<WriterResult>) message).getCommittable();
      progress.merge(r.sourceParallelism(), r.markers());
      results.merge(r.subtask(), r, WriterResult::merge);
    }
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) {
    emit(checkpointId, checkpointId);
  }

  /**
   * At the end of a bounded input the final checkpoint does not reach finished operators, so the
   * writers' last results go out now, under the checkpoint id the writers gave them (Flink 1.20
   * uses the last checkpoint id + 1, which the final checkpoint commits).
   */
  @Override
  public void finish() throws Exception {
    long epoch = latestCheckpoint;
    if (epoch == CommittableMessage.EOI) {
      // Writers that mark their last results end-of-input: the epoch is their highest tag.
      epoch = 0;
      for (WriterResult r : results.values()) {
        epoch = Math.max(epoch, r.epochTag());
      }
    }
    emit(latestCheckpoint, epoch);
    super.finish();
  }

  private void emit(long checkpointId, long epochId) {
    if (results.isEmpty()) {
      return;
    }
    Lsn lsn = progress.completeUpTo();
    long rows = 0;
    long bytes = 0;
    Set<String> tables = new TreeSet<>();
    for (WriterResult r : results.values()) {
      rows += r.rows();
      bytes += r.bytes();
      tables.addAll(r.tables());
    }
    EpochCommittable epoch =
        new EpochCommittable(epochId, lsn, results.size(), rows, bytes, tables);
    output.collect(new StreamRecord<>(new CommittableSummary<>(0, 1, checkpointId, 1, 1, 0)));
    output.collect(new StreamRecord<>(new CommittableWithLineage<>(epoch, checkpointId, 0)));
    results.clear();
  }
}
