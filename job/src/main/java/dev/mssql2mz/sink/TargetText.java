package dev.mssql2mz.sink;

import dev.mssql2mz.transform.TemporalText;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The text form of a converted target value, as PostgreSQL and Materialize parse it for any column
 * type (the input of COPY and of untyped parameters). Dates and times always get six fractional
 * digits; binary values use the {@code \x} hex form.
 */
final class TargetText {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private TargetText() {}

  /** The text of a value; null for SQL NULL. */
  static String of(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof String) {
      return (String) v;
    }
    if (v instanceof Boolean) {
      return ((Boolean) v) ? "t" : "f";
    }
    if (v instanceof BigDecimal) {
      return ((BigDecimal) v).toPlainString();
    }
    if (v instanceof byte[]) {
      return hex((byte[]) v);
    }
    if (v instanceof LocalDateTime) {
      return TemporalText.timestamp((LocalDateTime) v, 6);
    }
    if (v instanceof OffsetDateTime) {
      OffsetDateTime utc = ((OffsetDateTime) v).withOffsetSameInstant(ZoneOffset.UTC);
      return TemporalText.timestamp(utc.toLocalDateTime(), 6) + "+00";
    }
    if (v instanceof LocalTime) {
      return TemporalText.time((LocalTime) v, 6);
    }
    if (v instanceof LocalDate) {
      return TemporalText.date((LocalDate) v);
    }
    // Numbers (NaN and the infinities print as both targets read them) and UUIDs (lower case).
    return v.toString();
  }

  /** {@code \x} followed by lower-case hex digits. */
  static String hex(byte[] b) {
    char[] out = new char[2 + b.length * 2];
    out[0] = '\\';
    out[1] = 'x';
    for (int i = 0; i < b.length; i++) {
      out[2 + 2 * i] = HEX[(b[i] >> 4) & 0xF];
      out[3 + 2 * i] = HEX[b[i] & 0xF];
    }
    return new String(out);
  }

  /** Appends one field of COPY's text format: {@code \N} for NULL, else escaped text. */
  static void appendCopyField(StringBuilder sb, String text) {
    if (text == null) {
      sb.append("\\N");
      return;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\\':
          sb.append("\\\\");
          break;
        case '\t':
          sb.append("\\t");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        default:
          sb.append(c);
      }
    }
  }
}
