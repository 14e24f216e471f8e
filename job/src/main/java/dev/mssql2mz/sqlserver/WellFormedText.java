package dev.mssql2mz.sqlserver;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Text as UTF-8 can carry it. SQL Server's {@code nvarchar}, {@code nchar} and {@code ntext} hold
 * UTF-16 code units without checking pairs, so a value may contain a lone surrogate; UTF-8 (the
 * target's encoding, and the job's own record serializer) cannot represent one, and an encoder
 * would silently write {@code ?}. Such a surrogate becomes U+FFFD, the Unicode replacement
 * character, when the value is read, and a warning names the column once per process.
 */
public final class WellFormedText {

  private static final Logger LOG = LoggerFactory.getLogger(WellFormedText.class);
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  private WellFormedText() {}

  /** The value of {@code column} as read from SQL Server, made well-formed; null stays null. */
  public static String read(String value, SourceColumn column) {
    if (value == null) {
      return null;
    }
    String s = of(value);
    if (s != value && WARNED.add(column.name())) {
      LOG.warn(
          "Column {} ({}) holds text with lone UTF-16 surrogates, which UTF-8 cannot carry; each"
              + " is replaced by U+FFFD (reported once per column)",
          column.name(),
          column.typeName());
    }
    return s;
  }

  /** {@code s} with every lone surrogate replaced by U+FFFD; {@code s} itself when it has none. */
  public static String of(String s) {
    int n = s.length();
    int i = 0;
    while (i < n && !Character.isSurrogate(s.charAt(i))) {
      i++;
    }
    if (i == n) {
      return s;
    }
    StringBuilder out = null;
    for (i = 0; i < n; i++) {
      char c = s.charAt(i);
      boolean pair =
          Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1));
      if (pair) {
        if (out != null) {
          out.append(c).append(s.charAt(i + 1));
        }
        i++;
      } else if (Character.isSurrogate(c)) {
        if (out == null) {
          out = new StringBuilder(n).append(s, 0, i);
        }
        out.append('\uFFFD');
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? s : out.toString();
  }
}
