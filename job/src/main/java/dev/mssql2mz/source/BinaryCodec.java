package dev.mssql2mz.source;

import dev.mssql2mz.sqlserver.CaptureInstance;
import dev.mssql2mz.sqlserver.CapturedTable;
import dev.mssql2mz.sqlserver.ChangePosition;
import dev.mssql2mz.sqlserver.SourceColumn;
import dev.mssql2mz.sqlserver.SourceTable;
import dev.mssql2mz.udfs.Lsn;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Binary encoding shared by the record serializer and the split and state serializers: tagged
 * column values (the Java types of {@link ChangeRecord}'s Javadoc, no Kryo), LSNs, positions and
 * table descriptions. Tags and layouts never change meaning; new types get new tags.
 */
public final class BinaryCodec {

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
  private static final byte DATETIME = 10;
  private static final byte DATETIMEOFFSET = 11;
  private static final byte STRING = 12;
  private static final byte BYTES = 13;
  private static final byte UUID_TAG = 14;
  private static final byte UNCHANGED_LARGE_VALUE = 15;

  private BinaryCodec() {}

  public static void writeValue(DataOutputView out, Object v) throws IOException {
    if (v == null) {
      out.writeByte(NULL);
    } else if (v instanceof Short) {
      out.writeByte(SHORT);
      out.writeShort((Short) v);
    } else if (v instanceof Integer) {
      out.writeByte(INT);
      out.writeInt((Integer) v);
    } else if (v instanceof Long) {
      out.writeByte(LONG);
      out.writeLong((Long) v);
    } else if (v instanceof Boolean) {
      out.writeByte(BOOLEAN);
      out.writeBoolean((Boolean) v);
    } else if (v instanceof Float) {
      out.writeByte(FLOAT);
      out.writeFloat((Float) v);
    } else if (v instanceof Double) {
      out.writeByte(DOUBLE);
      out.writeDouble((Double) v);
    } else if (v instanceof BigDecimal) {
      BigDecimal d = (BigDecimal) v;
      out.writeByte(DECIMAL);
      out.writeInt(d.scale());
      writeBytes(out, d.unscaledValue().toByteArray());
    } else if (v instanceof LocalDate) {
      out.writeByte(DATE);
      out.writeLong(((LocalDate) v).toEpochDay());
    } else if (v instanceof LocalTime) {
      out.writeByte(TIME);
      out.writeLong(((LocalTime) v).toNanoOfDay());
    } else if (v instanceof LocalDateTime) {
      out.writeByte(DATETIME);
      writeDateTime(out, (LocalDateTime) v);
    } else if (v instanceof OffsetDateTime) {
      OffsetDateTime o = (OffsetDateTime) v;
      out.writeByte(DATETIMEOFFSET);
      writeDateTime(out, o.toLocalDateTime());
      out.writeInt(o.getOffset().getTotalSeconds());
    } else if (v instanceof String) {
      out.writeByte(STRING);
      writeString(out, (String) v);
    } else if (v instanceof byte[]) {
      out.writeByte(BYTES);
      writeBytes(out, (byte[]) v);
    } else if (v instanceof UUID) {
      UUID u = (UUID) v;
      out.writeByte(UUID_TAG);
      out.writeLong(u.getMostSignificantBits());
      out.writeLong(u.getLeastSignificantBits());
    } else if (v instanceof UnchangedLargeValue) {
      out.writeByte(UNCHANGED_LARGE_VALUE);
    } else {
      throw new IOException(
          "Cannot serialize a value of type " + v.getClass().getName() + " in a ChangeRecord");
    }
  }

  public static Object readValue(DataInputView in) throws IOException {
    byte tag = in.readByte();
    switch (tag) {
      case NULL:
        return null;
      case SHORT:
        return in.readShort();
      case INT:
        return in.readInt();
      case LONG:
        return in.readLong();
      case BOOLEAN:
        return in.readBoolean();
      case FLOAT:
        return in.readFloat();
      case DOUBLE:
        return in.readDouble();
      case DECIMAL:
        int scale = in.readInt();
        return new BigDecimal(new BigInteger(readBytes(in)), scale);
      case DATE:
        return LocalDate.ofEpochDay(in.readLong());
      case TIME:
        return LocalTime.ofNanoOfDay(in.readLong());
      case DATETIME:
        return readDateTime(in);
      case DATETIMEOFFSET:
        LocalDateTime ldt = readDateTime(in);
        return OffsetDateTime.of(ldt, ZoneOffset.ofTotalSeconds(in.readInt()));
      case STRING:
        return readString(in);
      case BYTES:
        return readBytes(in);
      case UUID_TAG:
        return new UUID(in.readLong(), in.readLong());
      case UNCHANGED_LARGE_VALUE:
        return UnchangedLargeValue.INSTANCE;
      default:
        throw new IOException("Unknown value tag " + tag + " in serialized ChangeRecord data");
    }
  }

  /** A nullable array of values. */
  public static void writeValues(DataOutputView out, Object[] values) throws IOException {
    if (values == null) {
      out.writeInt(-1);
      return;
    }
    out.writeInt(values.length);
    for (Object v : values) {
      writeValue(out, v);
    }
  }

  public static Object[] readValues(DataInputView in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    Object[] values = new Object[n];
    for (int i = 0; i < n; i++) {
      values[i] = readValue(in);
    }
    return values;
  }

  private static void writeDateTime(DataOutputView out, LocalDateTime t) throws IOException {
    out.writeLong(t.toLocalDate().toEpochDay());
    out.writeLong(t.toLocalTime().toNanoOfDay());
  }

  private static LocalDateTime readDateTime(DataInputView in) throws IOException {
    LocalDate d = LocalDate.ofEpochDay(in.readLong());
    return LocalDateTime.of(d, LocalTime.ofNanoOfDay(in.readLong()));
  }

  public static void writeString(DataOutputView out, String s) throws IOException {
    writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
  }

  public static String readString(DataInputView in) throws IOException {
    return new String(readBytes(in), StandardCharsets.UTF_8);
  }

  public static void writeNullableString(DataOutputView out, String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      writeString(out, s);
    }
  }

  public static String readNullableString(DataInputView in) throws IOException {
    return in.readBoolean() ? readString(in) : null;
  }

  public static void writeBytes(DataOutputView out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  public static byte[] readBytes(DataInputView in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return b;
  }

  public static void writeLsn(DataOutputView out, Lsn lsn) throws IOException {
    out.write(lsn.toBytes());
  }

  public static Lsn readLsn(DataInputView in) throws IOException {
    byte[] b = new byte[Lsn.BYTES];
    in.readFully(b);
    return Lsn.fromBytes(b);
  }

  public static void writeNullableLsn(DataOutputView out, Lsn lsn) throws IOException {
    out.writeBoolean(lsn != null);
    if (lsn != null) {
      writeLsn(out, lsn);
    }
  }

  public static Lsn readNullableLsn(DataInputView in) throws IOException {
    return in.readBoolean() ? readLsn(in) : null;
  }

  public static void writePosition(DataOutputView out, ChangePosition p) throws IOException {
    writeLsn(out, p.commitLsn());
    out.writeLong(p.commandId());
    writeLsn(out, p.seqval());
    out.writeInt(p.operation());
  }

  public static ChangePosition readPosition(DataInputView in) throws IOException {
    Lsn commit = readLsn(in);
    long cmd = in.readLong();
    Lsn seqval = readLsn(in);
    return new ChangePosition(commit, cmd, seqval, in.readInt());
  }

  public static void writeNullablePosition(DataOutputView out, ChangePosition p)
      throws IOException {
    out.writeBoolean(p != null);
    if (p != null) {
      writePosition(out, p);
    }
  }

  public static ChangePosition readNullablePosition(DataInputView in) throws IOException {
    return in.readBoolean() ? readPosition(in) : null;
  }

  public static void writeStrings(DataOutputView out, List<String> list) throws IOException {
    out.writeInt(list.size());
    for (String s : list) {
      writeString(out, s);
    }
  }

  public static List<String> readStrings(DataInputView in) throws IOException {
    int n = in.readInt();
    List<String> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(readString(in));
    }
    return list;
  }

  public static void writeTable(DataOutputView out, CapturedTable t) throws IOException {
    SourceTable s = t.table();
    writeString(out, s.schema());
    writeString(out, s.name());
    writeString(out, s.targetName());
    out.writeInt(s.columns().size());
    for (SourceColumn c : s.columns()) {
      writeString(out, c.name());
      writeString(out, c.typeName());
      out.writeInt(c.maxLength());
      out.writeInt(c.precision());
      out.writeInt(c.scale());
      out.writeBoolean(c.nullable());
      out.writeBoolean(c.asText());
    }
    writeStrings(out, s.keyColumns());
    out.writeInt(t.instances().size());
    for (CaptureInstance i : t.instances()) {
      writeString(out, i.name());
      writeString(out, i.schema());
      writeString(out, i.table());
      writeLsn(out, i.startLsn());
      writeStrings(out, i.capturedColumns());
    }
  }

  public static CapturedTable readTable(DataInputView in) throws IOException {
    String schema = readString(in);
    String name = readString(in);
    String target = readString(in);
    int n = in.readInt();
    List<SourceColumn> cols = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      cols.add(
          new SourceColumn(
              readString(in),
              readString(in),
              in.readInt(),
              in.readInt(),
              in.readInt(),
              in.readBoolean(),
              in.readBoolean()));
    }
    List<String> key = readStrings(in);
    int m = in.readInt();
    List<CaptureInstance> instances = new ArrayList<>(m);
    for (int i = 0; i < m; i++) {
      instances.add(
          new CaptureInstance(
              readString(in), readString(in), readString(in), readLsn(in), readStrings(in)));
    }
    return new CapturedTable(new SourceTable(schema, name, target, cols, key), instances);
  }
}
