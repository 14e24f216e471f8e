package dev.mssql2mz.sink;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Set;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Versioned serializer of {@link EpochCommittable}, the state that carries a prepared epoch over a
 * restart. Version 1: epoch, optional LSN, writers, rows, table names. Version 2 (current) adds the
 * bytes written after the rows. Older versions stay readable.
 */
public final class EpochCommittableSerializer
    implements SimpleVersionedSerializer<EpochCommittable> {

  static final int VERSION = 2;

  @Override
  public int getVersion() {
    return VERSION;
  }

  @Override
  public byte[] serialize(EpochCommittable c) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(c.epoch());
      SerializationSupport.writeLsn(out, c.lsn());
      out.writeInt(c.writers());
      out.writeLong(c.rows());
      out.writeLong(c.bytes());
      SerializationSupport.writeNames(out, c.tables());
    }
    return bytes.toByteArray();
  }

  @Override
  public EpochCommittable deserialize(int version, byte[] serialized) throws IOException {
    if (version < 1 || version > VERSION) {
      throw SerializationSupport.unknownVersion("epoch committable", version, VERSION);
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
      long epoch = in.readLong();
      var lsn = SerializationSupport.readLsn(in);
      int writers = in.readInt();
      long rows = in.readLong();
      long b = version >= 2 ? in.readLong() : 0L;
      Set<String> tables = SerializationSupport.readNames(in);
      return new EpochCommittable(epoch, lsn, writers, rows, b, tables);
    }
  }
}
