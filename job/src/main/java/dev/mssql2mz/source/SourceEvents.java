package dev.mssql2mz.source;

import dev.mssql2mz.source.split.WindowChunk;
import dev.mssql2mz.sqlserver.CapturedTable;
import java.util.List;
import org.apache.flink.api.connector.source.SourceEvent;

/** Messages between the enumerator and the readers (Java-serialized by Flink's RPC). */
public final class SourceEvents {

  private SourceEvents() {}

  /** Reader to enumerator: a chunk finished at its exact LSN. Sent again after a restore. */
  public record ChunkFinished(WindowChunk chunk) implements SourceEvent {}

  /** Enumerator to reader: these finished chunks are recorded; the reader may forget them. */
  public record ChunksAcknowledged(List<String> chunkIds) implements SourceEvent {}

  /**
   * Enumerator to the stream's reader: a completed checkpoint holds every initial chunk as
   * finished, so progress markers may now be emitted (every snapshot record is in a committed epoch
   * at or before the marker's).
   */
  public record ProgressAllowed() implements SourceEvent {}

  /**
   * Enumerator to every reader but the stream's: the snapshot is done and the stream is read
   * elsewhere, so a reader without splits will emit nothing more and may say so in its markers.
   */
  public record StreamReadElsewhere(int owner) implements SourceEvent {}

  /** Reader to enumerator: this reader now holds the stream split (after assignment or restore). */
  public record StreamOwned() implements SourceEvent {}

  /**
   * Enumerator to the stream's reader: the capture instances of already-streamed tables changed (a
   * second instance appeared, or an old one was dropped).
   */
  public record TablesChanged(List<CapturedTable> tables) implements SourceEvent {}
}
