package dev.mssql2mz.sink;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Versioned serializer of {@link WriterState}. Version 1: the checkpoint id. */
public final class WriterStateSerializer implements SimpleVersionedSerializer<WriterState> {

  static final int VERSION = 1;

  @Override
  public int getVersion() {
    return VERSION;
  }

  @Override
  public byte[] serialize(WriterState s) {
    return ByteBuffer.allocate(Long.BYTES).putLong(s.checkpointId()).array();
  }

  @Override
  public WriterState deserialize(int version, byte[] serialized) throws IOException {
    if (version != 1) {
      throw SerializationSupport.unknownVersion("writer state", version, VERSION);
    }
    return new WriterState(ByteBuffer.wrap(serialized).getLong());
  }
}
