package dev.mssql2mz.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mssql2mz.sqlserver.ChangePosition;
import dev.mssql2mz.udfs.Lsn;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ChangeRecordSerializerTest {

  private static ChangeRecord roundTrip(ChangeRecord r) throws Exception {
    DataOutputSerializer out = new DataOutputSerializer(64);
    ChangeRecordSerializer.INSTANCE.serialize(r, out);
    return ChangeRecordSerializer.INSTANCE.deserialize(
        new DataInputDeserializer(out.getCopyOfBuffer()));
  }

  @Test
  void everyValueTypeSurvivesARoundTrip() throws Exception {
    Object[] values = {
      null,
      (short) 255,
      Integer.MIN_VALUE,
      Long.MAX_VALUE,
      true,
      Float.NaN,
      Double.NEGATIVE_INFINITY,
      new BigDecimal("-99999999999999999999999999999999999999.5"),
      LocalDate.of(1, 1, 1),
      LocalTime.of(23, 59, 59, 999_999_900),
      LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_900),
      OffsetDateTime.of(2024, 5, 1, 12, 0, 0, 0, ZoneOffset.ofHours(-5)),
      "a😀ü " + "x".repeat(70_000),
      new byte[] {0, (byte) 0xff},
      UUID.fromString("6f9619ff-8b86-d011-b42d-00c04fc964ff"),
      (byte) -1
    };
    Lsn lsn = Lsn.of(0x2a, 0xd08, 0x25);
    ChangeRecord r =
        new ChangeRecord(
            "orders", ChangeOperation.UPDATE_AFTER, new ChangePosition(lsn, 7, Lsn.MAX, 4), values);
    assertThat(roundTrip(r)).isEqualTo(r);
  }

  @Test
  void progressMarkersSurviveARoundTrip() throws Exception {
    ChangeRecord m = ChangeRecord.progress(Lsn.of(1, 2, 3), 1, 4);
    ChangeRecord back = roundTrip(m);
    assertThat(back.isProgress()).isTrue();
    assertThat(back.completeUpTo()).isEqualTo(Lsn.of(1, 2, 3));
    assertThat(back.progressSubtask()).isEqualTo(1);
    assertThat(back.progressParallelism()).isEqualTo(4);
  }

  @Test
  void flinkUsesThisSerializerInsteadOfKryo() {
    assertThat(TypeInformation.of(ChangeRecord.class).createSerializer(new SerializerConfigImpl()))
        .isSameAs(ChangeRecordSerializer.INSTANCE);
  }
}
