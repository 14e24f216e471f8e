package dev.mssql2mz.source.enumerator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mssql2mz.source.SourceEvents;
import dev.mssql2mz.source.SqlServerSourceConfig;
import dev.mssql2mz.source.TestTables;
import dev.mssql2mz.source.split.SnapshotChunk;
import dev.mssql2mz.source.split.SqlServerSplit;
import dev.mssql2mz.source.split.StreamSplit;
import dev.mssql2mz.source.split.WindowChunk;
import dev.mssql2mz.sqlserver.CapturedTable;
import dev.mssql2mz.sqlserver.JdbcConnectionFactory;
import dev.mssql2mz.sqlserver.TableSelection;
import dev.mssql2mz.udfs.Lsn;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.api.connector.source.mocks.MockSplitEnumeratorContext;
import org.junit.jupiter.api.Test;

/**
 * The handoff after a failover of the readers only: the enumerator keeps its live state while a
 * reader restarts from its checkpoint and reads a chunk again, at a newer LSN, emitting the changes
 * of the chunk's restored prefix up to it. The stream must then start each chunk's window at that
 * newer LSN, or it emits those changes a second time.
 */
class SqlServerSourceEnumeratorTest {

  private static final Lsn FIRST_READ = Lsn.of(42, 0x135, 12);
  private static final Lsn SECOND_READ = Lsn.of(42, 0x157, 6);
  private static final Lsn OTHER_CHUNK = Lsn.of(42, 0x140, 1);

  private final CapturedTable table = TestTables.orders();
  private final SnapshotChunk low = SnapshotChunk.fresh(table, 0, null, new Object[] {10});
  private final SnapshotChunk high = SnapshotChunk.fresh(table, 1, new Object[] {10}, null);

  private static SqlServerSourceConfig config() {
    return new SqlServerSourceConfig(
        new JdbcConnectionFactory("jdbc:none", "user", "secret", new Properties()),
        TableSelection.allTables(),
        100,
        100,
        100,
        Duration.ofSeconds(1),
        Duration.ZERO,
        0,
        null);
  }

  private SqlServerSourceEnumerator enumerator(MockSplitEnumeratorContext<SqlServerSplit> context) {
    SqlServerEnumState state =
        new SqlServerEnumState(
            true,
            List.of(table),
            List.of(),
            Set.of(low.splitId(), high.splitId()),
            Map.of(),
            false,
            false);
    context.registerReader(new ReaderInfo(0, "localhost"));
    context.registerReader(new ReaderInfo(1, "localhost"));
    return new SqlServerSourceEnumerator(context, config(), state);
  }

  private static StreamSplit assignedStream(MockSplitEnumeratorContext<SqlServerSplit> context) {
    for (SplitsAssignment<SqlServerSplit> a : context.getSplitsAssignmentSequence()) {
      for (List<SqlServerSplit> splits : a.assignment().values()) {
        for (SqlServerSplit s : splits) {
          if (s.isStream()) {
            return s.asStream();
          }
        }
      }
    }
    throw new AssertionError("no stream split assigned");
  }

  private static Lsn windowLsnOf(StreamSplit stream, String chunkId) {
    return stream.window().stream()
        .filter(w -> w.chunkId().equals(chunkId))
        .map(WindowChunk::lsn)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aChunkReadAgainBeforeTheStreamExistsHandsOffAtItsLastRead() throws Exception {
    try (MockSplitEnumeratorContext<SqlServerSplit> context = new MockSplitEnumeratorContext<>(2)) {
      SqlServerSourceEnumerator e = enumerator(context);
      e.handleSourceEvent(0, new SourceEvents.ChunkFinished(low.toWindowChunk(FIRST_READ)));
      e.handleSourceEvent(0, new SourceEvents.ChunkFinished(low.toWindowChunk(SECOND_READ)));
      e.handleSourceEvent(1, new SourceEvents.ChunkFinished(high.toWindowChunk(OTHER_CHUNK)));
      e.handleSplitRequest(0, null);
      StreamSplit stream = assignedStream(context);
      assertThat(windowLsnOf(stream, low.splitId())).isEqualTo(SECOND_READ);
      assertThat(stream.windowUpper()).isEqualTo(SECOND_READ);
    }
  }

  @Test
  void aChunkReadAgainAfterTheStreamWasPlannedRebuildsTheUnassignedStream() throws Exception {
    try (MockSplitEnumeratorContext<SqlServerSplit> context = new MockSplitEnumeratorContext<>(2)) {
      SqlServerSourceEnumerator e = enumerator(context);
      e.handleSourceEvent(0, new SourceEvents.ChunkFinished(low.toWindowChunk(FIRST_READ)));
      e.handleSourceEvent(1, new SourceEvents.ChunkFinished(high.toWindowChunk(OTHER_CHUNK)));
      e.handleSourceEvent(0, new SourceEvents.ChunkFinished(low.toWindowChunk(SECOND_READ)));
      e.handleSplitRequest(1, null);
      StreamSplit stream = assignedStream(context);
      assertThat(windowLsnOf(stream, low.splitId())).isEqualTo(SECOND_READ);
      assertThat(windowLsnOf(stream, high.splitId())).isEqualTo(OTHER_CHUNK);
      assertThat(stream.windowUpper()).isEqualTo(SECOND_READ);
    }
  }

  @Test
  void chunksOfANewTableWaitUntilTheRestoredStreamReaderIsRegistered() throws Exception {
    try (MockSplitEnumeratorContext<SqlServerSplit> context = new MockSplitEnumeratorContext<>(2)) {
      // Restored while streaming, with a chunk of a table found since.
      SqlServerEnumState state =
          new SqlServerEnumState(
              true, List.of(table), List.of(low), Set.of(), Map.of(), true, true);
      SqlServerSourceEnumerator e = new SqlServerSourceEnumerator(context, config(), state);
      // The restored reader claims the stream before its registration reached the enumerator.
      e.handleSourceEvent(0, new SourceEvents.StreamOwned());
      assertThat(context.getSplitsAssignmentSequence()).isEmpty();
      context.registerReader(new ReaderInfo(0, "localhost"));
      e.addReader(0);
      assertThat(context.getSplitsAssignmentSequence()).hasSize(1);
      assertThat(context.getSplitsAssignmentSequence().get(0).assignment().get(0))
          .containsExactly(low);
    }
  }
}
