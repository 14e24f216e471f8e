package dev.mssql2mz.source.enumerator;

import dev.mssql2mz.source.BinaryCodec;
import dev.mssql2mz.source.split.SnapshotChunk;
import dev.mssql2mz.source.split.SqlServerSplitSerializer;
import dev.mssql2mz.source.split.WindowChunk;
import dev.mssql2mz.sqlserver.CapturedTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Versioned serializer of {@link SqlServerEnumState}. Version 1: fields in record order. */
public final class SqlServerEnumStateSerializer
    implements SimpleVersionedSerializer<SqlServerEnumState> {

  private static final int VERSION_1 = 1;

  @Override
  public int getVersion() {
    return VERSION_1;
  }

  @Override
  public byte[] serialize(SqlServerEnumState s) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(1024);
    out.writeBoolean(s.planned());
    out.writeInt(s.tables().size());
    for (CapturedTable t : s.tables()) {
      BinaryCodec.writeTable(out, t);
    }
    out.writeInt(s.pending().size());
    for (SnapshotChunk c : s.pending()) {
      SqlServerSplitSerializer.write(out, c);
    }
    BinaryCodec.writeStrings(out, new ArrayList<>(s.outstanding()));
    out.writeInt(s.finished().size());
    for (WindowChunk w : s.finished().values()) {
      SqlServerSplitSerializer.writeWindowChunk(out, w);
    }
    out.writeBoolean(s.streamCreated());
    out.writeBoolean(s.progressAllowed());
    return out.getCopyOfBuffer();
  }

  @Override
  public SqlServerEnumState deserialize(int version, byte[] bytes) throws IOException {
    if (version != VERSION_1) {
      throw new IOException("Unknown SQL Server enumerator state version " + version);
    }
    DataInputDeserializer in = new DataInputDeserializer(bytes);
    boolean planned = in.readBoolean();
    int n = in.readInt();
    List<CapturedTable> tables = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      tables.add(BinaryCodec.readTable(in));
    }
    int p = in.readInt();
    List<SnapshotChunk> pending = new ArrayList<>(p);
    for (int i = 0; i < p; i++) {
      pending.add(SqlServerSplitSerializer.read(in).asChunk());
    }
    Set<String> outstanding = new LinkedHashSet<>(BinaryCodec.readStrings(in));
    int f = in.readInt();
    Map<String, WindowChunk> finished = new LinkedHashMap<>();
    for (int i = 0; i < f; i++) {
      WindowChunk w = SqlServerSplitSerializer.readWindowChunk(in);
      finished.put(w.chunkId(), w);
    }
    boolean streamCreated = in.readBoolean();
    boolean progressAllowed = in.readBoolean();
    return new SqlServerEnumState(
        planned, tables, pending, outstanding, finished, streamCreated, progressAllowed);
  }
}
