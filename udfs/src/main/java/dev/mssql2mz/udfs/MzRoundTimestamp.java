package dev.mssql2mz.udfs;

import java.time.LocalDateTime;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code MZ_ROUND_TIMESTAMP(ts TIMESTAMP(9)) -> TIMESTAMP(6)}: rounds to microseconds, half up, the
 * way Materialize stores a SQL Server {@code datetime2(7)} (its timestamps hold at most 6
 * fractional digits). {@code ...0000005} rounds up, {@code ...0000004} down; the carry may reach
 * the next second, day or year.
 */
public final class MzRoundTimestamp extends ScalarFunction {

  private static final long serialVersionUID = 1L;

  public @DataTypeHint("TIMESTAMP(6)") LocalDateTime eval(
      @DataTypeHint("TIMESTAMP(9)") LocalDateTime timestamp) {
    return timestamp == null ? null : round(timestamp);
  }

  /** {@code timestamp} rounded half up to whole microseconds. */
  public static LocalDateTime round(LocalDateTime timestamp) {
    int belowMicros = timestamp.getNano() % 1000;
    LocalDateTime truncated = timestamp.minusNanos(belowMicros);
    return belowMicros >= 500 ? truncated.plusNanos(1000) : truncated;
  }
}
