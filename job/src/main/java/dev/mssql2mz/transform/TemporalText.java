package dev.mssql2mz.transform;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;

/**
 * ISO text of dates and times as PostgreSQL and Materialize read it, for any year up to 10000 and
 * beyond (java.time's formatters print {@code +10000}, which neither target accepts).
 */
public final class TemporalText {

  private TemporalText() {}

  public static String date(LocalDate d) {
    StringBuilder sb = new StringBuilder(10);
    appendDate(sb, d);
    return sb.toString();
  }

  /** {@code HH:mm:ss} plus exactly {@code fractionDigits} digits (0..9). */
  public static String time(LocalTime t, int fractionDigits) {
    StringBuilder sb = new StringBuilder(16);
    appendTime(sb, t, fractionDigits);
    return sb.toString();
  }

  public static String timestamp(LocalDateTime t, int fractionDigits) {
    StringBuilder sb = new StringBuilder(26);
    appendDate(sb, t.toLocalDate());
    sb.append(' ');
    appendTime(sb, t.toLocalTime(), fractionDigits);
    return sb.toString();
  }

  static void appendDate(StringBuilder sb, LocalDate d) {
    int year = d.getYear();
    if (year < 1) {
      throw new IllegalArgumentException("years before 1 AD do not occur in SQL Server: " + d);
    }
    pad(sb, year, 4);
    sb.append('-');
    pad(sb, d.getMonthValue(), 2);
    sb.append('-');
    pad(sb, d.getDayOfMonth(), 2);
  }

  static void appendTime(StringBuilder sb, LocalTime t, int fractionDigits) {
    pad(sb, t.getHour(), 2);
    sb.append(':');
    pad(sb, t.getMinute(), 2);
    sb.append(':');
    pad(sb, t.getSecond(), 2);
    if (fractionDigits > 0) {
      // Digits of the nanoseconds, most significant first (no String.format: this runs per value).
      int nanos = t.getNano();
      sb.append('.');
      int divisor = 100_000_000;
      for (int i = 0; i < Math.min(9, fractionDigits); i++) {
        sb.append((char) ('0' + (nanos / divisor) % 10));
        divisor /= 10;
      }
    }
  }

  private static void pad(StringBuilder sb, int value, int width) {
    String s = Integer.toString(value);
    for (int i = s.length(); i < width; i++) {
      sb.append('0');
    }
    sb.append(s);
  }
}
