package dev.mssql2mz.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mssql2mz.sqlserver.ChangePosition;
import dev.mssql2mz.udfs.Lsn;
import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ChangeRecordSerializerTest {

  private static ChangeRecord roundTrip(ChangeRecord r) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    ChangeRecordSerializer.INSTANCE.serialize(r, out);
    return ChangeRecordSerializer.INSTANCE.deserialize(
        new DataInputDeserializer(out.getCopyOfBuffer()));
  }

  @Test
  void roundTripsEveryValueTypeAndNull() throws IOException {
    ChangeRecord r =
        new ChangeRecord(
            "orders",
            ChangeOperation.UPDATE_AFTER,
            new ChangePosition(Lsn.of(0x2a, 0xd08, 0x25), 7, Lsn.of(0x2a, 0xd08, 0x24), 4),
            TestTables.everyValueType());
    ChangeRecord back = roundTrip(r);
    assertThat(back).isEqualTo(r);
    assertThat(back.values()[1]).isInstanceOf(Short.class).isEqualTo((short) 255);
    assertThat(back.values()[7].toString()).isEqualTo("-12345678901234567890.0100");
  }

  @Test
  void roundTripsProgressMarkers() throws IOException {
    ChangeRecord p = ChangeRecord.progress(Lsn.of(3, 4, 5), 1, 2);
    ChangeRecord back = roundTrip(p);
    assertThat(back.isProgress()).isTrue();
    assertThat(back.position().commitLsn()).isEqualTo(Lsn.of(3, 4, 5));
    assertThat(back.diff()).isZero();
    assertThat(back.progressSubtask()).isEqualTo(1);
    assertThat(back.progressParallelism()).isEqualTo(2);
  }

  @Test
  void rejectsValuesOfUnknownJavaTypes() {
    ChangeRecord r =
        new ChangeRecord(
            "t",
            ChangeOperation.INSERT,
            ChangePosition.afterAllOf(Lsn.MIN),
            new Object[] {new Object()});
    assertThatThrownBy(() -> roundTrip(r))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("java.lang.Object");
  }

  @Test
  void copyDoesNotShareByteArrays() {
    byte[] b = {1, 2};
    ChangeRecord r =
        new ChangeRecord(
            "t", ChangeOperation.INSERT, ChangePosition.afterAllOf(Lsn.MIN), new Object[] {b});
    ChangeRecord copy = ChangeRecordSerializer.INSTANCE.copy(r);
    b[0] = 9;
    assertThat(((byte[]) copy.values()[0])[0]).isEqualTo((byte) 1);
  }

  @Test
  void typeInformationUsesTheTaggedSerializerNotKryo() {
    TypeSerializer<ChangeRecord> s =
        ChangeRecordTypeInfo.INSTANCE.createSerializer(new SerializerConfigImpl());
    assertThat(s).isSameAs(ChangeRecordSerializer.INSTANCE);
  }

  @Test
  void serializerSnapshotVersion1RestoresACompatibleSerializer() throws IOException {
    TypeSerializerSnapshot<ChangeRecord> snap =
        ChangeRecordSerializer.INSTANCE.snapshotConfiguration();
    DataOutputSerializer out = new DataOutputSerializer(64);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, snap);
    TypeSerializerSnapshot<ChangeRecord> read =
        TypeSerializerSnapshot.readVersionedSnapshot(
            new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
    assertThat(read.restoreSerializer()).isSameAs(ChangeRecordSerializer.INSTANCE);
    assertThat(
            read.resolveSchemaCompatibility(ChangeRecordSerializer.INSTANCE.snapshotConfiguration())
                .isCompatibleAsIs())
        .isTrue();
  }
}
