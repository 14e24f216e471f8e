package dev.mssql2mz.udfs;

import java.io.Serializable;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;

/**
 * A SQL Server log sequence number: the {@code binary(10)} value CDC uses to order commits.
 *
 * <p>The ten bytes are a virtual log file number (4 bytes), a block offset (4) and a slot (2), all
 * big-endian. LSNs compare as unsigned bytes, like SQL Server compares {@code binary}. Three
 * textual forms exist and all are supported: the ten bytes, the text form {@code
 * 0000002a:00000d08:0025} of the CDC documentation, and the {@code numeric(25,0)} form of the DMVs
 * ({@code vlf * 10^15 + block * 10^5 + slot}).
 *
 * <p>Instances are immutable.
 */
public final class Lsn implements Comparable<Lsn>, Serializable {

  private static final long serialVersionUID = 1L;

  /** Length of an LSN in bytes, as SQL Server's {@code binary(10)}. */
  public static final int BYTES = 10;

  /** The smallest LSN, {@code 00000000:00000000:0000}. */
  public static final Lsn MIN = new Lsn(new byte[BYTES]);

  /** The largest LSN, {@code ffffffff:ffffffff:ffff}. */
  public static final Lsn MAX = new Lsn(filled((byte) 0xFF));

  private static final BigInteger VLF_FACTOR = BigInteger.TEN.pow(15);
  private static final BigInteger BLOCK_FACTOR = BigInteger.TEN.pow(5);
  private static final BigInteger MAX_BLOCK_PART = BigInteger.valueOf(4294967295L);
  private static final BigInteger MAX_SLOT_PART = BigInteger.valueOf(65535);

  private final byte[] bytes;

  private Lsn(byte[] bytes) {
    this.bytes = bytes;
  }

  /** An LSN from its {@code binary(10)} bytes; the array is copied. */
  public static Lsn fromBytes(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length != BYTES) {
      throw new IllegalArgumentException(
          "An LSN is " + BYTES + " bytes (binary(10)), got " + bytes.length + " bytes");
    }
    return new Lsn(bytes.clone());
  }

  /** An LSN from its parts: virtual log file, block and slot, each unsigned. */
  public static Lsn of(long vlf, long block, int slot) {
    checkRange("virtual log file", vlf, 0xFFFFFFFFL);
    checkRange("block", block, 0xFFFFFFFFL);
    checkRange("slot", slot, 0xFFFFL);
    byte[] b = new byte[BYTES];
    putUnsigned(b, 0, 4, vlf);
    putUnsigned(b, 4, 4, block);
    putUnsigned(b, 8, 2, slot);
    return new Lsn(b);
  }

  /**
   * Parses the text form {@code 0000002a:00000d08:0025} (hex, 8:8:4 digits, either case). The
   * 20-digit hex form without colons, with or without a {@code 0x} prefix, is accepted too, as SQL
   * Server prints {@code binary(10)} that way.
   */
  public static Lsn parse(String text) {
    Objects.requireNonNull(text, "text");
    String s = text.trim();
    String hex;
    if (s.indexOf(':') >= 0) {
      String[] parts = s.split(":", -1);
      if (parts.length != 3
          || parts[0].length() != 8
          || parts[1].length() != 8
          || parts[2].length() != 4) {
        throw invalidText(text);
      }
      hex = parts[0] + parts[1] + parts[2];
    } else {
      hex = s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
      if (hex.length() != BYTES * 2) {
        throw invalidText(text);
      }
    }
    byte[] b = new byte[BYTES];
    for (int i = 0; i < BYTES; i++) {
      int hi = Character.digit(hex.charAt(2 * i), 16);
      int lo = Character.digit(hex.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        throw invalidText(text);
      }
      b[i] = (byte) ((hi << 4) | lo);
    }
    return new Lsn(b);
  }

  /**
   * An LSN from the {@code numeric(25,0)} form that DMVs such as {@code
   * sys.dm_tran_database_transactions} report: {@code vlf * 10^15 + block * 10^5 + slot}.
   */
  public static Lsn fromNumeric(BigInteger numeric) {
    Objects.requireNonNull(numeric, "numeric");
    if (numeric.signum() < 0) {
      throw new IllegalArgumentException("A numeric LSN cannot be negative: " + numeric);
    }
    BigInteger[] vlfAndRest = numeric.divideAndRemainder(VLF_FACTOR);
    BigInteger[] blockAndSlot = vlfAndRest[1].divideAndRemainder(BLOCK_FACTOR);
    BigInteger vlf = vlfAndRest[0];
    BigInteger block = blockAndSlot[0];
    BigInteger slot = blockAndSlot[1];
    if (vlf.compareTo(MAX_BLOCK_PART) > 0 || slot.compareTo(MAX_SLOT_PART) > 0) {
      throw new IllegalArgumentException(
          "Not a numeric(25,0) LSN (virtual log file above 2^32-1 or slot above 65535): "
              + numeric);
    }
    return of(vlf.longValueExact(), block.longValueExact(), slot.intValueExact());
  }

  /**
   * The {@code numeric(25,0)} form, {@code vlf * 10^15 + block * 10^5 + slot}. Exact for every LSN:
   * a block (below 2^32) times 10^5 stays below 10^15, and a slot below 10^5.
   */
  public BigInteger toNumeric() {
    return BigInteger.valueOf(vlf())
        .multiply(VLF_FACTOR)
        .add(BigInteger.valueOf(block()).multiply(BLOCK_FACTOR))
        .add(BigInteger.valueOf(slot()));
  }

  /** The {@code binary(10)} bytes (a copy). */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** The virtual log file number (unsigned 32 bits). */
  public long vlf() {
    return getUnsigned(0, 4);
  }

  /** The block offset inside the virtual log file (unsigned 32 bits). */
  public long block() {
    return getUnsigned(4, 4);
  }

  /** The slot inside the block (unsigned 16 bits). */
  public int slot() {
    return (int) getUnsigned(8, 2);
  }

  /**
   * The next LSN in byte order, as {@code sys.fn_cdc_increment_lsn} returns it: the ten bytes read
   * as one unsigned integer, plus one.
   *
   * @throws ArithmeticException on {@link #MAX}, which has no successor
   */
  public Lsn increment() {
    byte[] b = bytes.clone();
    for (int i = BYTES - 1; i >= 0; i--) {
      b[i]++;
      if (b[i] != 0) {
        return new Lsn(b);
      }
    }
    throw new ArithmeticException("The maximum LSN " + this + " has no successor");
  }

  /** Whether this LSN is strictly above {@code other}. */
  public boolean isAfter(Lsn other) {
    return compareTo(other) > 0;
  }

  /** Whether this LSN is strictly below {@code other}. */
  public boolean isBefore(Lsn other) {
    return compareTo(other) < 0;
  }

  /** Unsigned bytewise comparison, as SQL Server compares {@code binary(10)}. */
  @Override
  public int compareTo(Lsn other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  /** Unsigned bytewise comparison of two raw {@code binary(10)} values. */
  public static int compare(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }

  /** The larger of two LSNs. */
  public static Lsn max(Lsn a, Lsn b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** The smaller of two LSNs. */
  public static Lsn min(Lsn a, Lsn b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Lsn && Arrays.equals(bytes, ((Lsn) o).bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** The text form {@code 0000002a:00000d08:0025}, lower-case hex. */
  @Override
  public String toString() {
    return String.format("%08x:%08x:%04x", vlf(), block(), slot());
  }

  /** The {@code 0x...} hex form SQL Server prints for {@code binary(10)}. */
  public String toHexString() {
    StringBuilder sb = new StringBuilder("0x");
    for (byte b : bytes) {
      sb.append(String.format("%02X", b & 0xFF));
    }
    return sb.toString();
  }

  private long getUnsigned(int offset, int length) {
    long v = 0;
    for (int i = offset; i < offset + length; i++) {
      v = (v << 8) | (bytes[i] & 0xFF);
    }
    return v;
  }

  private static void putUnsigned(byte[] b, int offset, int length, long value) {
    for (int i = offset + length - 1; i >= offset; i--) {
      b[i] = (byte) value;
      value >>>= 8;
    }
  }

  private static void checkRange(String part, long value, long max) {
    if (value < 0 || value > max) {
      throw new IllegalArgumentException(
          "LSN " + part + " must be between 0 and " + max + ", got " + value);
    }
  }

  private static byte[] filled(byte value) {
    byte[] b = new byte[BYTES];
    Arrays.fill(b, value);
    return b;
  }

  private static IllegalArgumentException invalidText(String text) {
    return new IllegalArgumentException(
        "Not an LSN: '"
            + text
            + "'. Expected the form 0000002a:00000d08:0025 (hex vlf:block:slot) or 20 hex digits");
  }
}
