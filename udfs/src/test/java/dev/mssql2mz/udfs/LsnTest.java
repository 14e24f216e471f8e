package dev.mssql2mz.udfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LsnTest {

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  private static final byte[] ALL_ZERO = new byte[10];
  private static final byte[] ALL_FF =
      bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF);

  @Test
  void parsesAndFormatsTheDocumentedTextForm() {
    Lsn lsn = Lsn.parse("0000002a:00000d08:0025");
    assertThat(lsn.vlf()).isEqualTo(0x2a);
    assertThat(lsn.block()).isEqualTo(0xd08);
    assertThat(lsn.slot()).isEqualTo(0x25);
    assertThat(lsn.toString()).isEqualTo("0000002a:00000d08:0025");
    assertThat(lsn.toBytes()).containsExactly(0, 0, 0, 0x2a, 0, 0, 0x0d, 0x08, 0, 0x25);
  }

  @Test
  void parsesUpperCaseAndTheHexFormsSqlServerPrints() {
    Lsn expected = Lsn.of(0xABCDEF01L, 0x12345678L, 0x9ABC);
    assertThat(Lsn.parse("ABCDEF01:12345678:9ABC")).isEqualTo(expected);
    assertThat(Lsn.parse("0xABCDEF01123456789ABC")).isEqualTo(expected);
    assertThat(Lsn.parse("abcdef01123456789abc")).isEqualTo(expected);
    assertThat(Lsn.parse("  abcdef01:12345678:9abc ")).isEqualTo(expected);
    assertThat(expected.toHexString()).isEqualTo("0xABCDEF01123456789ABC");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "0000002a:00000d08",
        "0000002a:00000d08:0025:00",
        "2a:d08:25",
        "0000002g:00000d08:0025",
        "0000002a:00000d08:002",
        "0x0000002a00000d08002",
        "0x0000002a00000d0800250",
        "zz00002a00000d080025",
        "-000002a:00000d08:0025"
      })
  void rejectsMalformedTextWithTheExpectedForm(String text) {
    assertThatThrownBy(() -> Lsn.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0000002a:00000d08:0025");
  }

  @Test
  void roundTripsBytesAndCopiesThemDefensively() {
    byte[] raw = bytes(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    Lsn lsn = Lsn.fromBytes(raw);
    raw[0] = 99;
    assertThat(lsn.toBytes()[0]).isEqualTo((byte) 1);
    byte[] out = lsn.toBytes();
    out[1] = 99;
    assertThat(lsn.toBytes()[1]).isEqualTo((byte) 2);
    assertThat(Lsn.fromBytes(lsn.toBytes())).isEqualTo(lsn);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 9, 11, 16})
  void rejectsByteArraysThatAreNotTenLong(int length) {
    assertThatThrownBy(() -> Lsn.fromBytes(new byte[length]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("binary(10)");
  }

  @Test
  void boundariesAllZeroAndAllFf() {
    assertThat(Lsn.fromBytes(ALL_ZERO)).isEqualTo(Lsn.MIN);
    assertThat(Lsn.fromBytes(ALL_FF)).isEqualTo(Lsn.MAX);
    assertThat(Lsn.MIN.toString()).isEqualTo("00000000:00000000:0000");
    assertThat(Lsn.MAX.toString()).isEqualTo("ffffffff:ffffffff:ffff");
    assertThat(Lsn.MAX.vlf()).isEqualTo(0xFFFFFFFFL);
    assertThat(Lsn.MAX.block()).isEqualTo(0xFFFFFFFFL);
    assertThat(Lsn.MAX.slot()).isEqualTo(0xFFFF);
    assertThat(Lsn.parse(Lsn.MAX.toString())).isEqualTo(Lsn.MAX);
    assertThat(Lsn.parse(Lsn.MIN.toString())).isEqualTo(Lsn.MIN);
    assertThat(Lsn.MIN).isLessThan(Lsn.MAX);
  }

  @Test
  void comparesBytesAsUnsigned() {
    // 0x80 is negative as a Java byte; SQL Server orders it above 0x7f.
    Lsn low = Lsn.fromBytes(bytes(0x7F, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    Lsn high = Lsn.fromBytes(bytes(0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    assertThat(low).isLessThan(high);
    assertThat(high.isAfter(low)).isTrue();
    assertThat(low.isBefore(high)).isTrue();
    assertThat(Lsn.compare(low.toBytes(), high.toBytes())).isNegative();
    assertThat(Lsn.of(0, 0, 0xFF)).isLessThan(Lsn.of(0, 1, 0));
    assertThat(Lsn.of(0, 0xFFFFFFFFL, 0xFFFF)).isLessThan(Lsn.of(1, 0, 0));
    assertThat(Lsn.max(low, high)).isSameAs(high);
    assertThat(Lsn.min(low, high)).isSameAs(low);
  }

  @Test
  void sortsLikeSqlServerForRandomValues() {
    Random random = new Random(7);
    List<Lsn> lsns = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      byte[] b = new byte[10];
      random.nextBytes(b);
      lsns.add(Lsn.fromBytes(b));
    }
    List<Lsn> sorted = new ArrayList<>(lsns);
    Collections.sort(sorted);
    for (int i = 1; i < sorted.size(); i++) {
      BigInteger previous = new BigInteger(1, sorted.get(i - 1).toBytes());
      BigInteger current = new BigInteger(1, sorted.get(i).toBytes());
      assertThat(previous).isLessThanOrEqualTo(current);
    }
  }

  @Test
  void incrementsTheLastByteAndCarriesAcrossAllBytes() {
    assertThat(Lsn.MIN.increment()).isEqualTo(Lsn.of(0, 0, 1));
    assertThat(Lsn.of(0, 0, 0xFF).increment()).isEqualTo(Lsn.of(0, 0, 0x100));
    assertThat(Lsn.of(0, 0, 0xFFFF).increment()).isEqualTo(Lsn.of(0, 1, 0));
    assertThat(Lsn.of(0, 0xFFFFFFFFL, 0xFFFF).increment()).isEqualTo(Lsn.of(1, 0, 0));
    assertThat(Lsn.of(0xFFFFFFFEL, 0xFFFFFFFFL, 0xFFFF).increment())
        .isEqualTo(Lsn.of(0xFFFFFFFFL, 0, 0));
    Lsn lsn = Lsn.parse("0000002a:00000d08:0025");
    assertThat(lsn.increment()).isGreaterThan(lsn);
  }

  @Test
  void theMaximumHasNoSuccessor() {
    assertThatThrownBy(Lsn.MAX::increment)
        .isInstanceOf(ArithmeticException.class)
        .hasMessageContaining("ffffffff:ffffffff:ffff");
  }

  @Test
  void convertsTheDmvNumericForm() {
    Lsn lsn = Lsn.parse("0000002a:00000d08:0025");
    BigInteger expected =
        BigInteger.valueOf(0x2a)
            .multiply(BigInteger.TEN.pow(15))
            .add(BigInteger.valueOf(0xd08).multiply(BigInteger.TEN.pow(5)))
            .add(BigInteger.valueOf(0x25));
    assertThat(lsn.toNumeric()).isEqualTo(expected);
    assertThat(lsn.toNumeric().toString()).isEqualTo("42000000333600037");
    assertThat(Lsn.fromNumeric(expected)).isEqualTo(lsn);
    assertThat(Lsn.fromNumeric(BigInteger.ZERO)).isEqualTo(Lsn.MIN);
    assertThat(Lsn.MIN.toNumeric()).isEqualTo(BigInteger.ZERO);
  }

  @Test
  void numericFormRoundTripsForAnyLsnAndFitsNumeric25() {
    Random random = new Random(11);
    for (int i = 0; i < 5000; i++) {
      Lsn lsn =
          Lsn.of(
              random.nextInt() & 0xFFFFFFFFL,
              random.nextInt() & 0xFFFFFFFFL,
              random.nextInt(65536));
      assertThat(lsn.toNumeric().toString().length()).isLessThanOrEqualTo(25);
      assertThat(Lsn.fromNumeric(lsn.toNumeric())).isEqualTo(lsn);
    }
  }

  @Test
  void numericFormPreservesOrder() {
    Lsn a = Lsn.of(5, 99_999, 65535);
    Lsn b = Lsn.of(5, 100_000, 0);
    Lsn c = Lsn.of(6, 0, 0);
    assertThat(a.toNumeric()).isLessThan(b.toNumeric());
    assertThat(b.toNumeric()).isLessThan(c.toNumeric());
  }

  @Test
  void rejectsNumericValuesThatAreNotLsns() {
    assertThatThrownBy(() -> Lsn.fromNumeric(BigInteger.valueOf(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
    BigInteger tooLarge = BigInteger.valueOf(0x1_0000_0000L).multiply(BigInteger.TEN.pow(15));
    assertThatThrownBy(() -> Lsn.fromNumeric(tooLarge))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Lsn.fromNumeric(BigInteger.valueOf(70_000)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("slot");
  }

  @Test
  void theMaximumFitsNumeric25AndRoundTrips() {
    assertThat(Lsn.MAX.toNumeric().toString()).hasSize(25);
    assertThat(Lsn.fromNumeric(Lsn.MAX.toNumeric())).isEqualTo(Lsn.MAX);
  }

  @Test
  void rejectsPartsOutOfRange() {
    assertThatThrownBy(() -> Lsn.of(-1, 0, 0)).hasMessageContaining("virtual log file");
    assertThatThrownBy(() -> Lsn.of(0x1_0000_0000L, 0, 0)).hasMessageContaining("virtual log");
    assertThatThrownBy(() -> Lsn.of(0, -1, 0)).hasMessageContaining("block");
    assertThatThrownBy(() -> Lsn.of(0, 0, 0x10000)).hasMessageContaining("slot");
  }

  @Test
  void equalValuesAreEqualAndHashAlike() {
    Lsn a = Lsn.parse("0000002a:00000d08:0025");
    Lsn b = Lsn.fromBytes(a.toBytes());
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(a.increment());
    assertThat(a).isNotEqualTo("0000002a:00000d08:0025");
    assertThat(a.compareTo(b)).isZero();
  }

  @Test
  void survivesJavaSerialization() throws Exception {
    Lsn lsn = Lsn.parse("0000002a:00000d08:0025");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(lsn);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(in.readObject()).isEqualTo(lsn);
    }
    assertThat(Arrays.equals(lsn.toBytes(), Lsn.parse(lsn.toString()).toBytes())).isTrue();
  }
}
