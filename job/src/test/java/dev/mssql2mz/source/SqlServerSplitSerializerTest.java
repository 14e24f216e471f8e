package dev.mssql2mz.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mssql2mz.source.enumerator.SqlServerEnumState;
import dev.mssql2mz.source.enumerator.SqlServerEnumStateSerializer;
import dev.mssql2mz.source.split.SnapshotChunk;
import dev.mssql2mz.source.split.SqlServerSplit;
import dev.mssql2mz.source.split.SqlServerSplitSerializer;
import dev.mssql2mz.source.split.StreamSplit;
import dev.mssql2mz.source.split.WindowChunk;
import dev.mssql2mz.sqlserver.ChangePosition;
import dev.mssql2mz.udfs.Lsn;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SqlServerSplitSerializerTest {

  private final SqlServerSplitSerializer serializer = SqlServerSplitSerializer.INSTANCE;

  private SqlServerSplit roundTrip(SqlServerSplit s) throws IOException {
    return serializer.deserialize(serializer.getVersion(), serializer.serialize(s));
  }

  @Test
  void version1RoundTripsAFreshChunkWithOpenBounds() throws IOException {
    SnapshotChunk c = SnapshotChunk.fresh(TestTables.orders(), 0, null, new Object[] {1000L});
    assertThat(serializer.getVersion()).isEqualTo(1);
    assertThat(roundTrip(c)).isEqualTo(c);
  }

  @Test
  void version1RoundTripsAChunkInterruptedInsideAGroupOfKeylessRows() throws IOException {
    SnapshotChunk c =
        new SnapshotChunk(
            TestTables.orders(),
            3,
            new Object[] {"a", null},
            new Object[] {"m", 5},
            new ChangePosition(Lsn.of(9, 8, 7), 12, Lsn.of(9, 8, 6), 2),
            new Object[] {"c", 1},
            TestTables.everyValueType(),
            2,
            null);
    assertThat(roundTrip(c)).isEqualTo(c);
  }

  @Test
  void version1RoundTripsAFinishedUnacknowledgedChunk() throws IOException {
    SnapshotChunk c =
        SnapshotChunk.fresh(TestTables.orders(), 1, null, null).finishedAt(Lsn.of(4, 4, 4));
    SqlServerSplit back = roundTrip(c);
    assertThat(back.asChunk().isFinished()).isTrue();
    assertThat(back.asChunk().finishedLsn()).isEqualTo(Lsn.of(4, 4, 4));
  }

  @Test
  void version1RoundTripsAStreamSplitInsideItsHandoffWindow() throws IOException {
    WindowChunk w1 =
        new WindowChunk("orders#0", "orders", null, new Object[] {10L}, Lsn.of(1, 1, 1));
    WindowChunk w2 =
        new WindowChunk("orders#1", "orders", new Object[] {10L}, null, Lsn.of(1, 1, 9));
    Map<String, Lsn> start = new LinkedHashMap<>();
    start.put("orders", Lsn.of(1, 1, 9));
    StreamSplit s =
        new StreamSplit(
            List.of(TestTables.orders()),
            List.of(w1, w2),
            Lsn.of(1, 1, 9),
            1,
            new ChangePosition(Lsn.of(1, 1, 5), 3, Lsn.of(1, 1, 4), 3),
            ChangePosition.afterAllOf(Lsn.of(1, 1, 9)),
            start,
            Lsn.of(1, 1, 9),
            Lsn.of(1, 1, 2),
            true);
    assertThat(roundTrip(s)).isEqualTo(s);
  }

  @Test
  void version1KeepsTheFullResumeTupleOfAPositionInsideATransaction() throws IOException {
    ChangePosition inside = new ChangePosition(Lsn.of(7, 7, 7), 50_000, Lsn.of(7, 7, 1), 2);
    StreamSplit s =
        new StreamSplit(
            List.of(TestTables.orders()),
            List.of(),
            null,
            0,
            null,
            inside,
            Map.of(),
            Lsn.MIN,
            null,
            false);
    StreamSplit back = roundTrip(s).asStream();
    assertThat(back.position()).isEqualTo(inside);
    assertThat(back.position().commandId()).isEqualTo(50_000);
  }

  @Test
  void rejectsAnUnknownVersion() {
    assertThatThrownBy(() -> serializer.deserialize(99, new byte[0]))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("99");
  }

  @Test
  void enumStateVersion1RoundTripsEveryField() throws IOException {
    SqlServerEnumStateSerializer es = new SqlServerEnumStateSerializer();
    WindowChunk w = new WindowChunk("orders#0", "orders", null, null, Lsn.of(2, 2, 2));
    SqlServerEnumState state =
        new SqlServerEnumState(
            true,
            List.of(TestTables.orders()),
            List.of(SnapshotChunk.fresh(TestTables.orders(), 2, new Object[] {5L}, null)),
            Set.of("orders#1"),
            Map.of("orders#0", w),
            false,
            false);
    assertThat(es.getVersion()).isEqualTo(1);
    SqlServerEnumState back = es.deserialize(1, es.serialize(state));
    assertThat(back).isEqualTo(state);
    assertThatThrownBy(() -> es.deserialize(2, es.serialize(state)))
        .isInstanceOf(IOException.class);
  }

  @Test
  void enumStateOfAFreshSourceRoundTrips() throws IOException {
    SqlServerEnumStateSerializer es = new SqlServerEnumStateSerializer();
    assertThat(es.deserialize(1, es.serialize(SqlServerEnumState.initial())))
        .isEqualTo(SqlServerEnumState.initial());
  }
}
