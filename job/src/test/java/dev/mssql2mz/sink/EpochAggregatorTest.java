package dev.mssql2mz.sink;

import static dev.mssql2mz.sink.SinkFixtures.lsn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mssql2mz.udfs.Lsn;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessageTypeInfo;
import org.apache.flink.streaming.api.connector.sink2.CommittableSummary;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The single point where an epoch is formed from every writer's result of a checkpoint. */
class EpochAggregatorTest {

  private static OneInputStreamOperatorTestHarness<
          CommittableMessage<WriterResult>, CommittableMessage<EpochCommittable>>
      harness() throws Exception {
    OneInputStreamOperatorTestHarness<
            CommittableMessage<WriterResult>, CommittableMessage<EpochCommittable>>
        h =
            new OneInputStreamOperatorTestHarness<>(
                new EpochAggregator(),
                CommittableMessageTypeInfo.of(WriterResultSerializer::new)
                    .createSerializer(new SerializerConfigImpl()));
    h.setup(
        CommittableMessageTypeInfo.of(EpochCommittableSerializer::new)
            .createSerializer(new SerializerConfigImpl()));
    h.open();
    return h;
  }

  private static StreamRecord<CommittableMessage<WriterResult>> result(
      long checkpoint, int writer, int sourceParallelism, Map<Integer, Lsn> markers, long rows) {
    WriterResult r =
        new WriterResult(
            writer, checkpoint, sourceParallelism, markers, rows, rows * 10, Set.of("t" + writer));
    return new StreamRecord<>(new CommittableWithLineage<>(r, checkpoint, writer));
  }

  private static List<EpochCommittable> epochs(
      OneInputStreamOperatorTestHarness<?, CommittableMessage<EpochCommittable>> h) {
    return h.extractOutputValues().stream()
        .filter(m -> m instanceof CommittableWithLineage)
        .map(m -> ((CommittableWithLineage<EpochCommittable>) m).getCommittable())
        .collect(Collectors.toList());
  }

  @Test
  void formsOneEpochPerCheckpointFromAllWritersAtTheLowestSourceMarker() throws Exception {
    try (var h = harness()) {
      h.processElement(result(3, 0, 2, Map.of(0, lsn(9)), 3));
      h.processElement(result(3, 1, 2, Map.of(1, lsn(7)), 4));
      h.prepareSnapshotPreBarrier(3);
      List<CommittableMessage<EpochCommittable>> out = h.extractOutputValues();
      assertThat(out).hasSize(2);
      assertThat(out.get(0)).isInstanceOf(CommittableSummary.class);
      assertThat(out.get(0).getCheckpointIdOrEOI()).isEqualTo(3);
      EpochCommittable e = epochs(h).get(0);
      assertThat(e.epoch()).isEqualTo(3);
      assertThat(e.lsn())
          .as("every table is complete up to the slower source subtask")
          .isEqualTo(lsn(7));
      assertThat(e.writers()).isEqualTo(2);
      assertThat(e.rows()).isEqualTo(7);
      assertThat(e.bytes()).isEqualTo(70);
    }
  }

  @Test
  void theLsnStaysUnknownUntilEverySourceSubtaskReported() throws Exception {
    try (var h = harness()) {
      h.processElement(result(1, 0, 2, Map.of(0, lsn(9)), 1));
      h.prepareSnapshotPreBarrier(1);
      assertThat(epochs(h).get(0).lsn()).isNull();
      h.processElement(result(2, 1, 2, Map.of(1, lsn(4)), 1));
      h.prepareSnapshotPreBarrier(2);
      assertThat(epochs(h).get(1).lsn()).as("markers are kept across epochs").isEqualTo(lsn(4));
    }
  }

  @Test
  void aCheckpointWithoutResultsEmitsNothingAndResultsOfAnAbortedOneAddUp() throws Exception {
    try (var h = harness()) {
      h.prepareSnapshotPreBarrier(1);
      assertThat(h.extractOutputValues()).isEmpty();
      // Checkpoint 2 was aborted after writer 0 reported; its result and the next one merge.
      h.processElement(result(2, 0, 1, Map.of(0, lsn(3)), 5));
      h.processElement(result(3, 0, 1, Map.of(0, lsn(6)), 2));
      h.prepareSnapshotPreBarrier(3);
      List<EpochCommittable> e = epochs(h);
      assertThat(e).hasSize(1);
      assertThat(e.get(0).epoch()).isEqualTo(3);
      assertThat(e.get(0).rows()).isEqualTo(7);
      assertThat(e.get(0).lsn()).isEqualTo(lsn(6));
    }
  }
}
