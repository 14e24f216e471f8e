package dev.mssql2mz.transform;

import dev.mssql2mz.sqlserver.WellFormedText;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;

/**
 * The value rules of the type table (reference section 4), one static method each, so the rules
 * read as a list and are tested one by one.
 */
public final class ValueConversions {

  private ValueConversions() {}

  /** {@code tinyint} is unsigned 0..255; a Java byte is read unsigned, never sign-extended. */
  public static Short unsignedTinyint(Object v) {
    int i;
    if (v instanceof Byte) {
      i = Byte.toUnsignedInt((Byte) v);
    } else {
      i = toLongExact(v).intValue();
    }
    if (i < 0 || i > 255) {
      throw new IllegalArgumentException("tinyint value " + v + " is outside 0..255");
    }
    return (short) i;
  }

  public static Short smallint(Object v) {
    long l = toLongExact(v);
    if (l < Short.MIN_VALUE || l > Short.MAX_VALUE) {
      throw new IllegalArgumentException("smallint value " + v + " out of range");
    }
    return (short) l;
  }

  public static Integer integer(Object v) {
    return Math.toIntExact(toLongExact(v));
  }

  public static Long bigint(Object v) {
    return toLongExact(v);
  }

  /** {@code real}: NaN and the infinities pass through unchanged (both targets accept them). */
  public static Float real(Object v) {
    return ((Number) v).floatValue();
  }

  /** {@code float}: NaN and the infinities pass through unchanged (both targets accept them). */
  public static Double doublePrecision(Object v) {
    return ((Number) v).doubleValue();
  }

  public static Boolean bit(Object v) {
    if (v instanceof Boolean) {
      return (Boolean) v;
    }
    return toLongExact(v) != 0;
  }

  /** Digits exact at the declared scale; a value needing more digits is an error, not rounded. */
  public static BigDecimal decimal(Object v, int scale) {
    BigDecimal d = v instanceof BigDecimal ? (BigDecimal) v : new BigDecimal(v.toString());
    try {
      return d.setScale(scale, RoundingMode.UNNECESSARY);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "value " + d.toPlainString() + " has more than " + scale + " fractional digits");
    }
  }

  public static LocalDate date(Object v) {
    if (v instanceof LocalDate) {
      return (LocalDate) v;
    }
    throw typeError(v, LocalDate.class);
  }

  /** {@code time(n)}: sub-microsecond digits are dropped (floor), never carried to the second. */
  public static LocalTime timeFloorMicros(Object v) {
    if (v instanceof LocalTime) {
      return ((LocalTime) v).truncatedTo(ChronoUnit.MICROS);
    }
    throw typeError(v, LocalTime.class);
  }

  /**
   * {@code datetime2(n)}: rounded half-up to microseconds with carry, so {@code 9999-12-31
   * 23:59:59.9999999} becomes {@code 10000-01-01 00:00:00}.
   */
  public static LocalDateTime timestampRoundMicros(Object v) {
    if (v instanceof LocalDateTime) {
      return roundHalfUpToMicros((LocalDateTime) v);
    }
    throw typeError(v, LocalDateTime.class);
  }

  /** {@code datetime}, {@code smalldatetime}: the value as SQL Server stored it. */
  public static LocalDateTime timestampAsStored(Object v) {
    if (v instanceof LocalDateTime) {
      return (LocalDateTime) v;
    }
    throw typeError(v, LocalDateTime.class);
  }

  /**
   * {@code datetimeoffset(n)}: the instant it denotes, at UTC ({@code 12:00 -05:00} is {@code
   * 17:00Z}), rounded half-up to microseconds like {@code datetime2}.
   */
  public static OffsetDateTime timestamptz(Object v) {
    if (v instanceof OffsetDateTime) {
      OffsetDateTime o = (OffsetDateTime) v;
      LocalDateTime utc = o.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
      return roundHalfUpToMicros(utc).atOffset(ZoneOffset.UTC);
    }
    throw typeError(v, OffsetDateTime.class);
  }

  public static LocalDateTime roundHalfUpToMicros(LocalDateTime t) {
    int subMicro = t.getNano() % 1000;
    LocalDateTime floor = t.minusNanos(subMicro);
    return subMicro >= 500 ? floor.plusNanos(1000) : floor;
  }

  /**
   * Character data exactly as stored: padding kept, never trimmed or re-padded. The one change: a
   * lone UTF-16 surrogate (which {@code nvarchar} may hold, but UTF-8 and so the target cannot)
   * becomes U+FFFD, instead of the {@code ?} a UTF-8 encoder would silently put there.
   */
  public static String text(Object v) {
    if (v instanceof String) {
      return wellFormed((String) v);
    }
    throw typeError(v, String.class);
  }

  /** {@code s} with every lone surrogate replaced by U+FFFD; {@code s} itself when it has none. */
  public static String wellFormed(String s) {
    return WellFormedText.of(s);
  }

  public static byte[] bytes(Object v) {
    if (v instanceof byte[]) {
      return (byte[]) v;
    }
    throw typeError(v, byte[].class);
  }

  /**
   * {@code uniqueidentifier}: a {@link UUID} passes as is; 16 raw bytes are read in SQL Server's
   * mixed order (the first three groups little-endian); text is parsed. Prints lower case.
   */
  public static UUID uuid(Object v) {
    if (v instanceof UUID) {
      return (UUID) v;
    }
    if (v instanceof byte[]) {
      return uuidFromSqlServerBytes((byte[]) v);
    }
    if (v instanceof String) {
      return UUID.fromString(((String) v).trim());
    }
    throw typeError(v, UUID.class);
  }

  /** SQL Server stores the first 4, next 2 and next 2 bytes of a GUID little-endian. */
  public static UUID uuidFromSqlServerBytes(byte[] b) {
    if (b.length != 16) {
      throw new IllegalArgumentException("a uniqueidentifier has 16 bytes, got " + b.length);
    }
    byte[] c = new byte[16];
    c[0] = b[3];
    c[1] = b[2];
    c[2] = b[1];
    c[3] = b[0];
    c[4] = b[5];
    c[5] = b[4];
    c[6] = b[7];
    c[7] = b[6];
    System.arraycopy(b, 8, c, 8, 8);
    ByteBuffer buf = ByteBuffer.wrap(c);
    return new UUID(buf.getLong(), buf.getLong());
  }

  /**
   * The text form of a {@code TEXT COLUMNS} column. A String from the source passes unchanged;
   * other values get the form SQL Server prints: binary as base64, {@code bit} as 1/0, times with
   * {@code fractionDigits} digits, GUIDs in lower case.
   */
  public static String textForm(Object v, int fractionDigits) {
    if (v instanceof String) {
      return wellFormed((String) v);
    }
    if (v instanceof byte[]) {
      return Base64.getEncoder().encodeToString((byte[]) v);
    }
    if (v instanceof Boolean) {
      return ((Boolean) v) ? "1" : "0";
    }
    if (v instanceof BigDecimal) {
      return ((BigDecimal) v).toPlainString();
    }
    if (v instanceof UUID) {
      return v.toString().toLowerCase(Locale.ROOT);
    }
    if (v instanceof Byte) {
      return Integer.toString(Byte.toUnsignedInt((Byte) v));
    }
    if (v instanceof LocalTime) {
      return TemporalText.time((LocalTime) v, fractionDigits);
    }
    if (v instanceof LocalDateTime) {
      return TemporalText.timestamp((LocalDateTime) v, fractionDigits);
    }
    if (v instanceof OffsetDateTime) {
      OffsetDateTime o = (OffsetDateTime) v;
      return TemporalText.timestamp(o.toLocalDateTime(), fractionDigits)
          + " "
          + (o.getOffset().equals(ZoneOffset.UTC) ? "+00:00" : o.getOffset().getId());
    }
    if (v instanceof LocalDate) {
      return TemporalText.date((LocalDate) v);
    }
    return v.toString();
  }

  private static Long toLongExact(Object v) {
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigDecimal) {
      return ((BigDecimal) v).longValueExact();
    }
    if (v instanceof Number) {
      return new BigDecimal(v.toString()).longValueExact();
    }
    throw typeError(v, Number.class);
  }

  private static IllegalArgumentException typeError(Object v, Class<?> expected) {
    return new IllegalArgumentException(
        "expected a " + expected.getSimpleName() + " but got a " + v.getClass().getName());
  }
}
