package dev.mssql2mz.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the dotted names of the config: {@code dbo.orders}, {@code [my schema].[odd]]name]},
 * {@code "dbo"."orders"}, and the {@code schema.table as name} form of {@code source.tables}.
 */
final class QualifiedNames {

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_@#][A-Za-z0-9_@#$]*");
  private static final Pattern AS = Pattern.compile("(?i)^(.*)\\s+as\\s+(\\[.*\\]|\".*\"|\\S+)$");

  private QualifiedNames() {}

  /** The parts of a dotted name, unquoted; throws with a reason if it is not one. */
  static List<String> parse(String text) {
    List<String> parts = new ArrayList<>();
    String s = text.trim();
    int i = 0;
    while (true) {
      if (i >= s.length()) {
        throw new IllegalArgumentException("a name is missing after '.'");
      }
      char c = s.charAt(i);
      StringBuilder part = new StringBuilder();
      if (c == '[' || c == '"') {
        char close = c == '[' ? ']' : '"';
        i++;
        boolean closed = false;
        while (i < s.length()) {
          char d = s.charAt(i);
          if (d == close) {
            if (i + 1 < s.length() && s.charAt(i + 1) == close) {
              part.append(close);
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          part.append(d);
          i++;
        }
        if (!closed) {
          throw new IllegalArgumentException("a quoted name is not closed with " + close);
        }
        if (part.length() == 0) {
          throw new IllegalArgumentException("a quoted name is empty");
        }
      } else {
        int start = i;
        while (i < s.length() && s.charAt(i) != '.') {
          i++;
        }
        String plain = s.substring(start, i);
        if (!PLAIN.matcher(plain).matches()) {
          throw new IllegalArgumentException(
              "'" + plain + "' is not a plain identifier; quote it as [" + plain + "]");
        }
        part.append(plain);
      }
      parts.add(part.toString());
      if (i == s.length()) {
        return parts;
      }
      if (s.charAt(i) != '.') {
        throw new IllegalArgumentException("expected '.' after a quoted name");
      }
      i++;
    }
  }

  /** A {@code schema.table} name. */
  static TableRef table(String text) {
    List<String> parts = parse(text);
    if (parts.size() != 2) {
      throw new IllegalArgumentException(
          "expected schema.table (2 parts), got " + parts.size() + " part(s)");
    }
    return new TableRef(parts.get(0), parts.get(1));
  }

  /** A {@code schema.table.column} name. */
  static ColumnRef column(String text) {
    List<String> parts = parse(text);
    if (parts.size() != 3) {
      throw new IllegalArgumentException(
          "expected schema.table.column (3 parts), got " + parts.size() + " part(s)");
    }
    return new ColumnRef(new TableRef(parts.get(0), parts.get(1)), parts.get(2));
  }

  /** A {@code schema.table [as name]} entry. */
  static SelectedTable selectedTable(String text) {
    Matcher m = AS.matcher(text.trim());
    if (m.matches()) {
      List<String> alias = parse(m.group(2));
      if (alias.size() != 1) {
        throw new IllegalArgumentException("the name after 'as' must be one identifier");
      }
      return new SelectedTable(table(m.group(1)), alias.get(0));
    }
    return new SelectedTable(table(text), null);
  }

  /** A single identifier, quoted with [..] only when it needs to be. */
  static String format(String identifier) {
    return PLAIN.matcher(identifier).matches()
        ? identifier
        : "[" + identifier.replace("]", "]]") + "]";
  }
}
