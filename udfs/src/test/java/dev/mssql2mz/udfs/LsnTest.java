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

  private static byte[] hex(String hex) {
    byte[] b = new byte[hex.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }

  @Test
  void partsAreBigEndianVlfBlockSlot() {
    Lsn lsn = Lsn.fromBytes(hex("0000002A00000D080025"));
    assertThat(lsn.vlf()).isEqualTo(42);
    assertThat(lsn.block()).isEqualTo(0xD08);
    assertThat(lsn.slot()).isEqualTo(0x25);
    assertThat(Lsn.of(42, 0xD08, 0x25)).isEqualTo(lsn);
  }

  @Test
  void textFormIsLowerCaseHexEightEightFour() {
    assertThat(Lsn.of(42, 3336, 37).toString()).isEqualTo("0000002a:00000d08:0025");
    assertThat(Lsn.MIN.toString()).isEqualTo("00000000:00000000:0000");
    assertThat(Lsn.MAX.toString()).isEqualTo("ffffffff:ffffffff:ffff");
  }

  @Test
  void hexFormIsWhatSqlServerPrintsForBinary10() {
    assertThat(Lsn.of(42, 3336, 37).toHexString()).isEqualTo("0x0000002A00000D080025");
    assertThat(Lsn.MAX.toHexString()).isEqualTo("0xFFFFFFFFFFFFFFFFFFFF");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0000002a:00000d08:0025",
        "0000002A:00000D08:0025",
        "  0000002a:00000d08:0025  ",
        "0000002A00000D080025",
        "0x0000002A00000D080025",
        "0X0000002a00000d080025"
      })
  void parsesEveryTextForm(String text) {
    assertThat(Lsn.parse(text)).isEqualTo(Lsn.of(42, 3336, 37));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "0000002a:00000d08",
        "0000002a:00000d08:025",
        "0000002a:00000d08:00025",
        "000002a:00000d08:0025",
        "0000002a:00000d08:0025:0000",
        "0000002g:00000d08:0025",
        "0000002a-00000d08-0025",
        "0x0000002A00000D0800",
        "0x0000002A00000D08002500",
        "zz00002A00000D080025",
        "0x",
        "-000002A00000D080025"
      })
  void rejectsTextThatIsNotAnLsn(String text) {
    assertThatThrownBy(() -> Lsn.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Not an LSN")
        .hasMessageContaining("0000002a:00000d08:0025");
  }

  @Test
  void rejectsNullText() {
    assertThatThrownBy(() -> Lsn.parse(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void bytesRoundTripAndAreCopiedBothWays() {
    byte[] raw = hex("0102030405060708090A");
    Lsn lsn = Lsn.fromBytes(raw);
    raw[0] = 0x7F;
    assertThat(lsn.toBytes()).isEqualTo(hex("0102030405060708090A"));
    byte[] out = lsn.toBytes();
    out[9] = 0;
    assertThat(lsn.toBytes()[9]).isEqualTo((byte) 0x0A);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 9, 11, 16})
  void rejectsByteArraysThatAreNotTenBytes(int length) {
    assertThatThrownBy(() -> Lsn.fromBytes(new byte[length]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("An LSN is 10 bytes (binary(10)), got " + length + " bytes");
  }

  @Test
  void partsAreRangeChecked() {
    assertThatThrownBy(() -> Lsn.of(-1, 0, 0)).hasMessageContaining("virtual log file");
    assertThatThrownBy(() -> Lsn.of(0x1_0000_0000L, 0, 0)).hasMessageContaining("virtual log file");
    assertThatThrownBy(() -> Lsn.of(0, 0x1_0000_0000L, 0)).hasMessageContaining("block");
    assertThatThrownBy(() -> Lsn.of(0, 0, 0x10000)).hasMessageContaining("slot");
    assertThatThrownBy(() -> Lsn.of(0, 0, -1)).hasMessageContaining("slot");
    assertThat(Lsn.of(0xFFFFFFFFL, 0xFFFFFFFFL, 0xFFFF)).isEqualTo(Lsn.MAX);
    assertThat(Lsn.of(0, 0, 0)).isEqualTo(Lsn.MIN);
  }

  @Test
  void numericFormIsVlfTimesTenToFifteenPlusBlockTimesTenToFivePlusSlot() {
    Lsn lsn = Lsn.of(42, 3336, 37);
    assertThat(lsn.toNumeric()).isEqualTo(new BigInteger("42000000333600037"));
    assertThat(Lsn.fromNumeric(new BigInteger("42000000333600037"))).isEqualTo(lsn);
    assertThat(Lsn.MIN.toNumeric()).isEqualTo(BigInteger.ZERO);
    assertThat(Lsn.fromNumeric(BigInteger.ZERO)).isEqualTo(Lsn.MIN);
  }

  @Test
  void numericFormFitsNumeric25ForEveryLsn() {
    assertThat(Lsn.MAX.toNumeric()).isEqualTo(new BigInteger("4294967295429496729565535"));
    assertThat(Lsn.MAX.toNumeric().toString()).hasSize(25);
    assertThat(Lsn.fromNumeric(Lsn.MAX.toNumeric())).isEqualTo(Lsn.MAX);
    Lsn realistic = Lsn.of(0xFFFFFFFFL, 99_999L, 65535);
    assertThat(Lsn.fromNumeric(realistic.toNumeric())).isEqualTo(realistic);
  }

  @Test
  void rejectsNumericValuesOutsideTheForm() {
    assertThatThrownBy(() -> Lsn.fromNumeric(BigInteger.valueOf(-1)))
        .hasMessageContaining("cannot be negative");
    assertThatThrownBy(() -> Lsn.fromNumeric(BigInteger.TEN.pow(25)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Lsn.fromNumeric(new BigInteger("99999")))
        .hasMessageContaining("slot above 65535");
  }

  @Test
  void comparesBytesUnsignedLikeSqlServer() {
    Lsn low = Lsn.fromBytes(hex("0000007F000000000000"));
    Lsn high = Lsn.fromBytes(hex("00000080000000000000"));
    Lsn signBit = Lsn.fromBytes(hex("80000000000000000000"));
    assertThat(low).isLessThan(high);
    assertThat(high).isLessThan(signBit);
    assertThat(signBit).isLessThan(Lsn.MAX);
    assertThat(Lsn.MIN).isLessThan(low);
    assertThat(Lsn.compare(hex("FF000000000000000000"), hex("7F000000000000000000"))).isPositive();
    assertThat(high.isAfter(low)).isTrue();
    assertThat(low.isBefore(high)).isTrue();
    assertThat(low.isAfter(low)).isFalse();
    assertThat(Lsn.max(low, high)).isSameAs(high);
    assertThat(Lsn.min(low, high)).isSameAs(low);
  }

  @Test
  void orderIsTheOrderOfTheNumericFormAndOfTheParts() {
    Random random = new Random(7);
    List<Lsn> lsns = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      lsns.add(
          Lsn.of(
              random.nextInt(3) * 0x7FFFFFFFL, random.nextInt(3) * 40000L, random.nextInt(65536)));
    }
    List<Lsn> byBytes = new ArrayList<>(lsns);
    Collections.sort(byBytes);
    List<Lsn> byNumeric = new ArrayList<>(lsns);
    byNumeric.sort((a, b) -> a.toNumeric().compareTo(b.toNumeric()));
    assertThat(byBytes).isEqualTo(byNumeric);
  }

  @Test
  void incrementAddsOneToTheSlot() {
    assertThat(Lsn.of(42, 3336, 37).increment()).isEqualTo(Lsn.of(42, 3336, 38));
    assertThat(Lsn.MIN.increment()).isEqualTo(Lsn.of(0, 0, 1));
  }

  @Test
  void incrementCarriesAcrossBytesAndParts() {
    assertThat(Lsn.of(1, 2, 0xFF).increment()).isEqualTo(Lsn.of(1, 2, 0x100));
    assertThat(Lsn.of(1, 2, 0xFFFF).increment()).isEqualTo(Lsn.of(1, 3, 0));
    assertThat(Lsn.of(1, 0xFFFFFFFFL, 0xFFFF).increment()).isEqualTo(Lsn.of(2, 0, 0));
    assertThat(Lsn.fromBytes(hex("00FFFFFFFFFFFFFFFFFF")).increment())
        .isEqualTo(Lsn.fromBytes(hex("01000000000000000000")));
  }

  @Test
  void incrementIsTheSmallestGreaterLsn() {
    Lsn lsn = Lsn.of(7, 0xFFFFFFFFL, 0xFFFF);
    Lsn next = lsn.increment();
    assertThat(next).isGreaterThan(lsn);
    assertThat(next.toNumeric()).isGreaterThan(lsn.toNumeric());
  }

  @Test
  void theMaximumHasNoSuccessor() {
    assertThatThrownBy(Lsn.MAX::increment)
        .isInstanceOf(ArithmeticException.class)
        .hasMessageContaining("ffffffff:ffffffff:ffff");
  }

  @Test
  void sentinelsAreTheAllZeroAndAllOnesValues() {
    byte[] zeros = new byte[10];
    byte[] ones = new byte[10];
    Arrays.fill(ones, (byte) 0xFF);
    assertThat(Lsn.MIN.toBytes()).isEqualTo(zeros);
    assertThat(Lsn.MAX.toBytes()).isEqualTo(ones);
    assertThat(Lsn.fromBytes(zeros)).isEqualTo(Lsn.MIN).hasSameHashCodeAs(Lsn.MIN);
    assertThat(Lsn.fromBytes(ones)).isEqualTo(Lsn.MAX);
    assertThat(Lsn.parse("ffffffff:ffffffff:ffff")).isEqualTo(Lsn.MAX);
    assertThat(Lsn.parse("00000000000000000000")).isEqualTo(Lsn.MIN);
    assertThat(Lsn.MAX.vlf()).isEqualTo(0xFFFFFFFFL);
    assertThat(Lsn.MAX.block()).isEqualTo(0xFFFFFFFFL);
    assertThat(Lsn.MAX.slot()).isEqualTo(0xFFFF);
  }

  @Test
  void everyLsnRoundTripsThroughTheNumericFormBecauseBlockTimesTenToFiveStaysBelowTenToFifteen() {
    for (Lsn lsn :
        new Lsn[] {
          Lsn.MAX, Lsn.MIN, Lsn.of(42, 3336, 37), Lsn.of(0, 0xFFFFFFFFL, 0), Lsn.of(1, 0, 65535)
        }) {
      assertThat(Lsn.fromNumeric(lsn.toNumeric())).isEqualTo(lsn);
    }
  }

  @Test
  void textFormRoundTripsForRandomValues() {
    Random random = new Random(11);
    for (int i = 0; i < 1000; i++) {
      byte[] b = new byte[10];
      random.nextBytes(b);
      Lsn lsn = Lsn.fromBytes(b);
      assertThat(Lsn.parse(lsn.toString())).isEqualTo(lsn);
      assertThat(Lsn.parse(lsn.toHexString())).isEqualTo(lsn);
    }
  }

  @Test
  void equalityIsByValue() {
    assertThat(Lsn.of(1, 2, 3)).isEqualTo(Lsn.parse("00000001:00000002:0003"));
    assertThat(Lsn.of(1, 2, 3)).isNotEqualTo(Lsn.of(1, 2, 4));
    assertThat(Lsn.of(1, 2, 3)).isNotEqualTo("00000001:00000002:0003");
  }

  @Test
  void survivesJavaSerialization() throws Exception {
    Lsn lsn = Lsn.of(42, 3336, 37);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(lsn);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(in.readObject()).isEqualTo(lsn);
    }
  }
}
