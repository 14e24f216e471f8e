package dev.mssql2mz.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mssql2mz.udfs.Lsn;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SerializersTest {

  private static final Lsn LSN = Lsn.of(0x2a, 0xd08, 0x25);

  @Test
  void epochCommittableRoundTripsAtTheCurrentVersion() throws IOException {
    EpochCommittableSerializer s = new EpochCommittableSerializer();
    EpochCommittable c = new EpochCommittable(42, LSN, 3, 1000, 52_000, Set.of("orders", "ü"));
    assertThat(s.getVersion()).isEqualTo(2);
    assertThat(s.deserialize(2, s.serialize(c))).isEqualTo(c);
    EpochCommittable noLsn = new EpochCommittable(7, null, 1, 0, 0, Set.of());
    assertThat(s.deserialize(2, s.serialize(noLsn))).isEqualTo(noLsn);
  }

  @Test
  void epochCommittableVersion2BytesStayReadable() throws IOException {
    byte[] v2 =
        HexFormat.of()
            .parseHex(
                "000000000000002a01"
                    + "0000002a00000d080025"
                    + "00000003"
                    + "00000000000003e8"
                    + "000000000000cb20"
                    + "00000001"
                    + "00066f7264657273");
    assertThat(new EpochCommittableSerializer().deserialize(2, v2))
        .isEqualTo(new EpochCommittable(42, LSN, 3, 1000, 52_000, Set.of("orders")));
  }

  @Test
  void epochCommittableVersion1WithoutBytesStaysReadable() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(b)) {
      out.writeLong(42);
      out.writeBoolean(true);
      out.write(LSN.toBytes());
      out.writeInt(3);
      out.writeLong(1000);
      out.writeInt(1);
      out.writeUTF("orders");
    }
    assertThat(new EpochCommittableSerializer().deserialize(1, b.toByteArray()))
        .isEqualTo(new EpochCommittable(42, LSN, 3, 1000, 0, Set.of("orders")));
  }

  @Test
  void unknownVersionsFailWithAMessage() {
    assertThatThrownBy(() -> new EpochCommittableSerializer().deserialize(3, new byte[0]))
        .hasMessageContaining("version 3")
        .hasMessageContaining("newer mssql2mz");
    assertThatThrownBy(() -> new WriterResultSerializer().deserialize(2, new byte[0]))
        .hasMessageContaining("version 2");
    assertThatThrownBy(() -> new WriterStateSerializer().deserialize(9, new byte[8]))
        .hasMessageContaining("version 9");
  }

  @Test
  void writerResultVersion1RoundTripsAndStaysReadable() throws IOException {
    WriterResultSerializer s = new WriterResultSerializer();
    WriterResult r = new WriterResult(2, 8, 1, Map.of(0, LSN), 10, 300, Set.of("a", "b"));
    byte[] bytes = s.serialize(r);
    assertThat(s.deserialize(1, bytes)).isEqualTo(r);
    assertThat(HexFormat.of().formatHex(bytes))
        .isEqualTo(
            "00000002"
                + "0000000000000008"
                + "00000001"
                + "00000001"
                + "00000000"
                + "0000002a00000d080025"
                + "000000000000000a"
                + "000000000000012c"
                + "00000002"
                + "000161"
                + "000162");
    WriterResult unknown = new WriterResult(0, 1, -1, Map.of(), 0, 0, Set.of());
    assertThat(s.deserialize(1, s.serialize(unknown))).isEqualTo(unknown);
  }

  @Test
  void writerStateVersion1RoundTrips() throws IOException {
    WriterStateSerializer s = new WriterStateSerializer();
    assertThat(s.deserialize(1, s.serialize(new WriterState(99))).checkpointId()).isEqualTo(99);
    assertThat(HexFormat.of().formatHex(s.serialize(new WriterState(1))))
        .isEqualTo("0000000000000001");
  }

  @Test
  void mergingResultsOfOneWriterKeepsTheNewestMarkersAndSums() {
    WriterResult a = new WriterResult(1, 5, 1, Map.of(0, LSN), 10, 100, Set.of("a"));
    Lsn later = Lsn.of(0x2a, 0xd09, 0);
    WriterResult b = new WriterResult(1, 6, 1, Map.of(0, later), 5, 50, Set.of("b"));
    WriterResult m = a.merge(b);
    assertThat(m.markers()).containsEntry(0, later);
    assertThat(m.epochTag()).isEqualTo(6);
    assertThat(m.rows()).isEqualTo(15);
    assertThat(m.tables()).containsExactly("a", "b");
  }

  @Test
  void progressIsTheMinimumOverAllSourceSubtasksOnceEachReported() {
    ProgressTracker t = new ProgressTracker();
    t.accept(dev.mssql2mz.source.ChangeRecord.progress(Lsn.of(0, 9, 0), 0, 2));
    assertThat(t.completeUpTo()).as("subtask 1 has not reported").isNull();
    t.merge(2, Map.of(1, Lsn.of(0, 5, 0)));
    assertThat(t.completeUpTo()).isEqualTo(Lsn.of(0, 5, 0));
    t.accept(dev.mssql2mz.source.ChangeRecord.progress(Lsn.of(0, 4, 0), 1, 2));
    assertThat(t.completeUpTo()).as("markers never go back").isEqualTo(Lsn.of(0, 5, 0));
    t.accept(dev.mssql2mz.source.ChangeRecord.progress(Lsn.of(0, 20, 0), 0, 3));
    assertThat(t.completeUpTo()).as("a rescaled source reports anew").isNull();
  }
}
