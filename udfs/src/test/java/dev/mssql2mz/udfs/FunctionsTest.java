package dev.mssql2mz.udfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/** The functions called directly; {@code Mssql2mzFunctionsITCase} runs them in Flink SQL. */
class FunctionsTest {

  @Test
  void operationNamesFollowSqlServerCodes() {
    CdcOperationName f = new CdcOperationName();
    assertThat(f.eval(1)).isEqualTo("delete");
    assertThat(f.eval(2)).isEqualTo("insert");
    assertThat(f.eval(3)).isEqualTo("update_before");
    assertThat(f.eval(4)).isEqualTo("update_after");
    assertThat(f.eval(null)).isNull();
    assertThatThrownBy(() -> f.eval(5)).hasMessageStartingWith("Not a CDC __$operation: 5.");
    assertThatThrownBy(() -> f.eval(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void updateMaskReadsOrdinalOneFromTheLowestBitOfTheLastByte() {
    CdcColumnUpdated f = new CdcColumnUpdated();
    // Columns 1, 3 and 10 changed: last byte 0b0000_0101, byte before it 0b0000_0010.
    byte[] mask = {0x02, 0x05};
    assertThat(f.eval(mask, 1)).isTrue();
    assertThat(f.eval(mask, 2)).isFalse();
    assertThat(f.eval(mask, 3)).isTrue();
    assertThat(f.eval(mask, 8)).isFalse();
    assertThat(f.eval(mask, 9)).isFalse();
    assertThat(f.eval(mask, 10)).isTrue();
    assertThat(f.eval(mask, 16)).isFalse();
    assertThat(f.eval(mask, 17)).as("beyond the mask").isFalse();
    assertThat(f.eval(new byte[] {(byte) 0x80}, 8)).isTrue();
    assertThat(f.eval(null, 1)).isNull();
    assertThat(f.eval(mask, null)).isNull();
    assertThatThrownBy(() -> f.eval(mask, 0)).hasMessageContaining("starts at 1");
  }

  @Test
  void roundsTimestampsHalfUpToMicroseconds() {
    assertThat(MzRoundTimestamp.round(LocalDateTime.parse("2024-01-01T10:00:00.1234564")))
        .isEqualTo(LocalDateTime.parse("2024-01-01T10:00:00.123456"));
    assertThat(MzRoundTimestamp.round(LocalDateTime.parse("2024-01-01T10:00:00.1234565")))
        .isEqualTo(LocalDateTime.parse("2024-01-01T10:00:00.123457"));
    assertThat(MzRoundTimestamp.round(LocalDateTime.parse("2024-01-01T10:00:00.123456499")))
        .isEqualTo(LocalDateTime.parse("2024-01-01T10:00:00.123456"));
    assertThat(MzRoundTimestamp.round(LocalDateTime.parse("2024-12-31T23:59:59.9999995")))
        .isEqualTo(LocalDateTime.parse("2025-01-01T00:00:00"));
    assertThat(MzRoundTimestamp.round(LocalDateTime.parse("2024-01-01T10:00:00.123456")))
        .isEqualTo(LocalDateTime.parse("2024-01-01T10:00:00.123456"));
    assertThat(new MzRoundTimestamp().eval(null)).isNull();
  }

  @Test
  void lsnFunctionsWrapLsn() {
    byte[] lsn = Lsn.of(42, 3336, 37).toBytes();
    assertThat(new LsnToString().eval(lsn)).isEqualTo("0000002a:00000d08:0025");
    assertThat(new LsnFromString().eval("0000002a:00000d08:0025")).isEqualTo(lsn);
    assertThat(new LsnIncrement().eval(lsn)).isEqualTo(Lsn.of(42, 3336, 38).toBytes());
    assertThat(new LsnCompare().eval(lsn, Lsn.MAX.toBytes())).isEqualTo(-1);
    assertThat(new LsnCompare().eval("ffffffff:ffffffff:ffff", "00000000:00000000:0000"))
        .isEqualTo(1);
    assertThat(new LsnCompare().eval(lsn, lsn.clone())).isZero();
    assertThat(new LsnCompare().eval((byte[]) null, lsn)).isNull();
    assertThat(new LsnToString().eval(null)).isNull();
  }

  @Test
  void theModuleListsEveryFunctionAndFindsThemInAnyCase() {
    Mssql2mzModule module = new Mssql2mzModule();
    assertThat(module.listFunctions()).hasSize(Mssql2mzModule.FUNCTIONS.size());
    for (var e : Mssql2mzModule.FUNCTIONS.entrySet()) {
      assertThat(module.getFunctionDefinition(e.getKey())).get().isInstanceOf(e.getValue());
      assertThat(module.getFunctionDefinition(e.getKey().toLowerCase())).isPresent();
    }
    assertThat(module.getFunctionDefinition("concat")).isEmpty();
  }
}
