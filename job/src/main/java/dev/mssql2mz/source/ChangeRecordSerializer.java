package dev.mssql2mz.source;

import dev.mssql2mz.sqlserver.ChangePosition;
import dev.mssql2mz.udfs.Lsn;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of {@link ChangeRecord}s: no Kryo (no {@code --add-opens}, no reflection), and
 * {@link #copy} returns the record itself, because records are never changed after creation. Each
 * value is written as a one-byte tag for its Java type (the types {@link ChangeRecord} lists)
 * followed by its fields.
 */
public final class ChangeRecordSerializer extends TypeSerializerSingleton<ChangeRecord> {

  private static final long serialVersionUID = 1L;

  public static final ChangeRecordSerializer INSTANCE = new ChangeRecordSerializer();

  private static final ChangeOperation[] OPERATIONS = ChangeOperation.values();

  private static final byte NULL = 0;
  private static final byte SHORT = 1;
  private static final byte INT = 2;
  private static final byte LONG = 3;
  private static final byte BOOLEAN = 4;
  private static final byte FLOAT = 5;
  private static final byte DOUBLE = 6;
  private static final byte DECIMAL = 7;
  private static final byte DATE = 8;
  private static final byte TIME = 9;
  private static final byte TIMESTAMP = 10;
  private static final byte TIMESTAMP_OFFSET = 11;
  private static final byte STRING = 12;
  private static final byte BYTES = 13;
  private static final byte UUID_TAG = 14;
  private static final byte BYTE = 15;

  @Override
  public boolean isImmutableType() {
    return true;
  }

  @Override
  public ChangeRecord createInstance() {
    return null;
  }

  @Override
  public ChangeRecord copy(ChangeRecord from) {
    return from;
  }

  @Override
  public ChangeRecord copy(ChangeRecord from, ChangeRecord reuse) {
    return from;
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(ChangeRecord r, DataOutputView out) throws IOException {
    out.writeUTF(r.table());
    out.writeByte(r.operation().ordinal());
    ChangePosition p = r.position();
    out.write(p.commitLsn().toBytes());
    out.writeLong(p.commandId());
    out.write(p.seqval().toBytes());
    out.writeInt(p.operation());
    Object[] values = r.values();
    out.writeInt(values.length);
    for (Object v : values) {
      writeValue(v, out);
    }
  }

  @Override
  public ChangeRecord deserialize(DataInputView in) throws IOException {
    String table = in.readUTF();
    ChangeOperation op = OPERATIONS[in.readByte()];
    Lsn commit = readLsn(in);
    long commandId = in.readLong();
    Lsn seqval = readLsn(in);
    int operation = in.readInt();
    Object[] values = new Object[in.readInt()];
    for (int i = 0; i < values.length; i++) {
      values[i] = readValue(in);
    }
    return new ChangeRecord(
        table, op, new ChangePosition(commit, commandId, seqval, operation), values);
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
    return new Snapshot();
  }

  private static Lsn readLsn(DataInputView in) throws IOException {
    byte[] b = new byte[Lsn.BYTES];
    in.readFully(b);
    return Lsn.fromBytes(b);
  }

  private static void writeValue(Object v, DataOutputView out) throws IOException {
    if (v == null) {
      out.writeByte(NULL);
    } else if (v instanceof String) {
      out.writeByte(STRING);
      writeLongString((String) v, out);
    } else if (v instanceof Integer) {
      out.writeByte(INT);
      out.writeInt((Integer) v);
    } else if (v instanceof Long) {
      out.writeByte(LONG);
      out.writeLong((Long) v);
    } else if (v instanceof Short) {
      out.writeByte(SHORT);
      out.writeShort((Short) v);
    } else if (v instanceof BigDecimal) {
      out.writeByte(DECIMAL);
      BigDecimal d = (BigDecimal) v;
      out.writeInt(d.scale());
      byte[] unscaled = d.unscaledValue().toByteArray();
      out.writeInt(unscaled.length);
      out.write(unscaled);
    } else if (v instanceof LocalDateTime) {
      out.writeByte(TIMESTAMP);
      writeDateTime((LocalDateTime) v, out);
    } else if (v instanceof Boolean) {
      out.writeByte(BOOLEAN);
      out.writeBoolean((Boolean) v);
    } else if (v instanceof Double) {
      out.writeByte(DOUBLE);
      out.writeDouble((Double) v);
    } else if (v instanceof Float) {
      out.writeByte(FLOAT);
      out.writeFloat((Float) v);
    } else if (v instanceof LocalDate) {
      out.writeByte(DATE);
      out.writeLong(((LocalDate) v).toEpochDay());
    } else if (v instanceof LocalTime) {
      out.writeByte(TIME);
      out.writeLong(((LocalTime) v).toNanoOfDay());
    } else if (v instanceof OffsetDateTime) {
      out.writeByte(TIMESTAMP_OFFSET);
      OffsetDateTime o = (OffsetDateTime) v;
      writeDateTime(o.toLocalDateTime(), out);
      out.writeInt(o.getOffset().getTotalSeconds());
    } else if (v instanceof byte[]) {
      out.writeByte(BYTES);
      byte[] b = (byte[]) v;
      out.writeInt(b.length);
      out.write(b);
    } else if (v instanceof UUID) {
      out.writeByte(UUID_TAG);
      out.writeLong(((UUID) v).getMostSignificantBits());
      out.writeLong(((UUID) v).getLeastSignificantBits());
    } else if (v instanceof Byte) {
      out.writeByte(BYTE);
      out.writeByte((Byte) v);
    } else {
      throw new IOException(
          "A change record value of type "
              + v.getClass().getName()
              + " has no serialization; ChangeRecord's Javadoc lists the value types.");
    }
  }

  private static Object readValue(DataInputView in) throws IOException {
    byte tag = in.readByte();
    switch (tag) {
      case NULL:
        return null;
      case STRING:
        return readLongString(in);
      case INT:
        return in.readInt();
      case LONG:
        return in.readLong();
      case SHORT:
        return in.readShort();
      case DECIMAL:
        {
          int scale = in.readInt();
          byte[] unscaled = new byte[in.readInt()];
          in.readFully(unscaled);
          return new BigDecimal(new BigInteger(unscaled), scale);
        }
      case TIMESTAMP:
        return readDateTime(in);
      case BOOLEAN:
        return in.readBoolean();
      case DOUBLE:
        return in.readDouble();
      case FLOAT:
        return in.readFloat();
      case DATE:
        return LocalDate.ofEpochDay(in.readLong());
      case TIME:
        return LocalTime.ofNanoOfDay(in.readLong());
      case TIMESTAMP_OFFSET:
        {
          LocalDateTime t = readDateTime(in);
          return OffsetDateTime.of(t, ZoneOffset.ofTotalSeconds(in.readInt()));
        }
      case BYTES:
        {
          byte[] b = new byte[in.readInt()];
          in.readFully(b);
          return b;
        }
      case UUID_TAG:
        return new UUID(in.readLong(), in.readLong());
      case BYTE:
        return in.readByte();
      default:
        throw new IOException("Unknown change record value tag " + tag);
    }
  }

  private static void writeDateTime(LocalDateTime t, DataOutputView out) throws IOException {
    out.writeLong(t.toLocalDate().toEpochDay());
    out.writeLong(t.toLocalTime().toNanoOfDay());
  }

  private static LocalDateTime readDateTime(DataInputView in) throws IOException {
    return LocalDateTime.of(
        LocalDate.ofEpochDay(in.readLong()), LocalTime.ofNanoOfDay(in.readLong()));
  }

  /** UTF-8 with an int length: {@code writeUTF} stops at 64 KB, large values do not. */
  private static void writeLongString(String s, DataOutputView out) throws IOException {
    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readLongString(DataInputView in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return new String(b, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Snapshot of this stateless serializer (version 1 of the format above). */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<ChangeRecord> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
