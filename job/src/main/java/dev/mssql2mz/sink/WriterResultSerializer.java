package dev.mssql2mz.sink;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Versioned serializer of {@link WriterResult}. Version 1: subtask, epoch tag, source parallelism,
 * markers (count, then subtask and LSN each), rows, bytes, table names.
 */
public final class WriterResultSerializer implements SimpleVersionedSerializer<WriterResult> {

  static final int VERSION = 1;

  @Override
  public int getVersion() {
    return VERSION;
  }

  @Override
  public byte[] serialize(WriterResult r) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(r.subtask());
      out.writeLong(r.epochTag());
      out.writeInt(r.sourceParallelism());
      out.writeInt(r.markers().size());
      for (var e : r.markers().entrySet()) {
        out.writeInt(e.getKey());
        out.write(e.getValue().toBytes());
      }
      out.writeLong(r.rows());
      out.writeLong(r.bytes());
      SerializationSupport.writeNames(out, r.tables());
    }
    return bytes.toByteArray();
  }

  @Override
  public WriterResult deserialize(int version, byte[] serialized) throws IOException {
    if (version != 1) {
      throw SerializationSupport.unknownVersion("writer result", version, VERSION);
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
      int subtask = in.readInt();
      long tag = in.readLong();
      int parallelism = in.readInt();
      int n = in.readInt();
      var markers = new java.util.TreeMap<Integer, dev.mssql2mz.udfs.Lsn>();
      for (int i = 0; i < n; i++) {
        int source = in.readInt();
        byte[] lsn = new byte[dev.mssql2mz.udfs.Lsn.BYTES];
        in.readFully(lsn);
        markers.put(source, dev.mssql2mz.udfs.Lsn.fromBytes(lsn));
      }
      long rows = in.readLong();
      long b = in.readLong();
      return new WriterResult(
          subtask, tag, parallelism, markers, rows, b, SerializationSupport.readNames(in));
    }
  }
}
