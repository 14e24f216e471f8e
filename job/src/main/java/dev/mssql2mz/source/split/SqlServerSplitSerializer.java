package dev.mssql2mz.source.split;

import dev.mssql2mz.source.BinaryCodec;
import dev.mssql2mz.sqlserver.CapturedTable;
import dev.mssql2mz.udfs.Lsn;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Versioned serializer of both split kinds. Version 1: a kind byte (1 chunk, 2 stream), then the
 * fields in declaration order.
 */
public final class SqlServerSplitSerializer implements SimpleVersionedSerializer<SqlServerSplit> {

  public static final SqlServerSplitSerializer INSTANCE = new SqlServerSplitSerializer();

  private static final int VERSION_1 = 1;
  private static final byte CHUNK = 1;
  private static final byte STREAM = 2;

  @Override
  public int getVersion() {
    return VERSION_1;
  }

  @Override
  public byte[] serialize(SqlServerSplit split) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(256);
    write(out, split);
    return out.getCopyOfBuffer();
  }

  @Override
  public SqlServerSplit deserialize(int version, byte[] bytes) throws IOException {
    if (version != VERSION_1) {
      throw new IOException("Unknown SQL Server split serializer version " + version);
    }
    return read(new DataInputDeserializer(bytes));
  }

  /** Writes a split in the current version's layout (also used inside the enumerator state). */
  public static void write(DataOutputView out, SqlServerSplit split) throws IOException {
    if (split instanceof SnapshotChunk) {
      SnapshotChunk c = (SnapshotChunk) split;
      out.writeByte(CHUNK);
      BinaryCodec.writeTable(out, c.table());
      out.writeInt(c.index());
      BinaryCodec.writeValues(out, c.lower());
      BinaryCodec.writeValues(out, c.upper());
      BinaryCodec.writeNullablePosition(out, c.prefixAt());
      BinaryCodec.writeValues(out, c.resumeAfter());
      BinaryCodec.writeValues(out, c.groupRow());
      out.writeInt(c.groupCount());
      BinaryCodec.writeNullableLsn(out, c.finishedLsn());
    } else {
      StreamSplit s = (StreamSplit) split;
      out.writeByte(STREAM);
      out.writeInt(s.tables().size());
      for (CapturedTable t : s.tables()) {
        BinaryCodec.writeTable(out, t);
      }
      out.writeInt(s.window().size());
      for (WindowChunk w : s.window()) {
        writeWindowChunk(out, w);
      }
      BinaryCodec.writeNullableLsn(out, s.windowUpper());
      out.writeInt(s.windowIndex());
      BinaryCodec.writeNullablePosition(out, s.windowPosition());
      BinaryCodec.writePosition(out, s.position());
      out.writeInt(s.tableStart().size());
      for (Map.Entry<String, Lsn> e : s.tableStart().entrySet()) {
        BinaryCodec.writeString(out, e.getKey());
        BinaryCodec.writeLsn(out, e.getValue());
      }
      BinaryCodec.writeLsn(out, s.progressFloor());
      BinaryCodec.writeNullableLsn(out, s.lastProgress());
      out.writeBoolean(s.progressAllowed());
    }
  }

  /** Reads a split written by {@link #write}. */
  public static SqlServerSplit read(DataInputView in) throws IOException {
    byte kind = in.readByte();
    if (kind == CHUNK) {
      return new SnapshotChunk(
          BinaryCodec.readTable(in),
          in.readInt(),
          BinaryCodec.readValues(in),
          BinaryCodec.readValues(in),
          BinaryCodec.readNullablePosition(in),
          BinaryCodec.readValues(in),
          BinaryCodec.readValues(in),
          in.readInt(),
          BinaryCodec.readNullableLsn(in));
    }
    if (kind != STREAM) {
      throw new IOException("Unknown SQL Server split kind " + kind);
    }
    int n = in.readInt();
    List<CapturedTable> tables = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      tables.add(BinaryCodec.readTable(in));
    }
    int w = in.readInt();
    List<WindowChunk> window = new ArrayList<>(w);
    for (int i = 0; i < w; i++) {
      window.add(readWindowChunk(in));
    }
    Lsn upper = BinaryCodec.readNullableLsn(in);
    int index = in.readInt();
    var windowPosition = BinaryCodec.readNullablePosition(in);
    var position = BinaryCodec.readPosition(in);
    int m = in.readInt();
    Map<String, Lsn> start = new LinkedHashMap<>();
    for (int i = 0; i < m; i++) {
      start.put(BinaryCodec.readString(in), BinaryCodec.readLsn(in));
    }
    Lsn floor = BinaryCodec.readLsn(in);
    Lsn last = BinaryCodec.readNullableLsn(in);
    boolean allowed = in.readBoolean();
    return new StreamSplit(
        tables, window, upper, index, windowPosition, position, start, floor, last, allowed);
  }

  public static void writeWindowChunk(DataOutputView out, WindowChunk w) throws IOException {
    BinaryCodec.writeString(out, w.chunkId());
    BinaryCodec.writeString(out, w.table());
    BinaryCodec.writeValues(out, w.lower());
    BinaryCodec.writeValues(out, w.upper());
    BinaryCodec.writeLsn(out, w.lsn());
  }

  public static WindowChunk readWindowChunk(DataInputView in) throws IOException {
    return new WindowChunk(
        BinaryCodec.readString(in),
        BinaryCodec.readString(in),
        BinaryCodec.readValues(in),
        BinaryCodec.readValues(in),
        BinaryCodec.readLsn(in));
  }
}
