package dev.mssql2mz.source;

import java.io.IOException;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** State type for arrays of ChangeRecord values, tagged like {@link BinaryCodec} (no Kryo). */
final class ObjectArrayTypeInfo extends TypeInformation<Object[]> {

  private static final long serialVersionUID = 1L;

  static final ObjectArrayTypeInfo INSTANCE = new ObjectArrayTypeInfo();

  @Override
  public boolean isBasicType() {
    return false;
  }

  @Override
  public boolean isTupleType() {
    return false;
  }

  @Override
  public int getArity() {
    return 1;
  }

  @Override
  public int getTotalFields() {
    return 1;
  }

  @Override
  public Class<Object[]> getTypeClass() {
    return Object[].class;
  }

  @Override
  public boolean isKeyType() {
    return false;
  }

  @Override
  public TypeSerializer<Object[]> createSerializer(SerializerConfig config) {
    return Serializer.INSTANCE;
  }

  @Override
  @SuppressWarnings("deprecation")
  public TypeSerializer<Object[]> createSerializer(ExecutionConfig config) {
    return Serializer.INSTANCE;
  }

  @Override
  public String toString() {
    return "ChangeRecordValues";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ObjectArrayTypeInfo;
  }

  @Override
  public int hashCode() {
    return 17;
  }

  @Override
  public boolean canEqual(Object o) {
    return o instanceof ObjectArrayTypeInfo;
  }

  /** Serializer of value arrays. */
  static final class Serializer extends TypeSerializerSingleton<Object[]> {
    private static final long serialVersionUID = 1L;
    static final Serializer INSTANCE = new Serializer();

    @Override
    public boolean isImmutableType() {
      return false;
    }

    @Override
    public Object[] createInstance() {
      return new Object[0];
    }

    @Override
    public Object[] copy(Object[] from) {
      return from.clone();
    }

    @Override
    public Object[] copy(Object[] from, Object[] reuse) {
      return from.clone();
    }

    @Override
    public int getLength() {
      return -1;
    }

    @Override
    public void serialize(Object[] record, DataOutputView target) throws IOException {
      BinaryCodec.writeValues(target, record);
    }

    @Override
    public Object[] deserialize(DataInputView source) throws IOException {
      return BinaryCodec.readValues(source);
    }

    @Override
    public Object[] deserialize(Object[] reuse, DataInputView source) throws IOException {
      return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
      serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<Object[]> snapshotConfiguration() {
      return new Snapshot();
    }
  }

  /** Snapshot of the stateless value-array serializer. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<Object[]> {
    public Snapshot() {
      super(() -> Serializer.INSTANCE);
    }
  }
}
