package dev.mssql2mz.source;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer for {@link ChangeRecord}: table name, operation code, full position, then the
 * values, each tagged with its type ({@link BinaryCodec}). No Kryo involved.
 */
public final class ChangeRecordSerializer extends TypeSerializerSingleton<ChangeRecord> {

  private static final long serialVersionUID = 1L;

  public static final ChangeRecordSerializer INSTANCE = new ChangeRecordSerializer();

  private static final ChangeOperation[] OPERATIONS = ChangeOperation.values();

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public ChangeRecord createInstance() {
    return ChangeRecord.progress(dev.mssql2mz.udfs.Lsn.MIN, 0, 1);
  }

  @Override
  public ChangeRecord copy(ChangeRecord from) {
    Object[] values = from.values().clone();
    for (int i = 0; i < values.length; i++) {
      if (values[i] instanceof byte[]) {
        values[i] = ((byte[]) values[i]).clone();
      }
    }
    return new ChangeRecord(from.table(), from.operation(), from.position(), values);
  }

  @Override
  public ChangeRecord copy(ChangeRecord from, ChangeRecord reuse) {
    return copy(from);
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(ChangeRecord r, DataOutputView out) throws IOException {
    BinaryCodec.writeString(out, r.table());
    out.writeByte(r.operation().ordinal());
    BinaryCodec.writePosition(out, r.position());
    BinaryCodec.writeValues(out, r.values());
  }

  @Override
  public ChangeRecord deserialize(DataInputView in) throws IOException {
    String table = BinaryCodec.readString(in);
    ChangeOperation op = OPERATIONS[in.readByte()];
    return new ChangeRecord(table, op, BinaryCodec.readPosition(in), BinaryCodec.readValues(in));
  }

  @Override
  public ChangeRecord deserialize(ChangeRecord reuse, DataInputView in) throws IOException {
    return deserialize(in);
  }

  @Override
  public void copy(DataInputView in, DataOutputView out) throws IOException {
    serialize(deserialize(in), out);
  }

  @Override
  public TypeSerializerSnapshot<ChangeRecord> snapshotConfiguration() {
    return new ChangeRecordSerializerSnapshot();
  }

  /** Snapshot of the (stateless) serializer; version 1 is the layout above. */
  public static final class ChangeRecordSerializerSnapshot
      extends SimpleTypeSerializerSnapshot<ChangeRecord> {
    public ChangeRecordSerializerSnapshot() {
      super(() -> INSTANCE);
    }
  }
}
