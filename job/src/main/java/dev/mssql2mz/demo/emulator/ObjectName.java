package dev.mssql2mz.demo.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A schema-qualified object name, parsed from T-SQL ({@code t}, {@code dbo.t}, {@code [dbo].[t]},
 * {@code "dbo"."t"}, {@code db.dbo.t}) and printed quoted for H2.
 */
final class ObjectName {

  static final String DEFAULT_SCHEMA = "dbo";

  private final String schema;
  private final String name;

  ObjectName(String schema, String name) {
    this.schema = Objects.requireNonNull(schema, "schema");
    this.name = Objects.requireNonNull(name, "name");
  }

  /**
   * Parses a one- to three-part name; brackets, double quotes and the {@code ]]} / {@code ""}
   * escapes are understood. A missing schema is {@code dbo}; a database part is dropped.
   */
  static ObjectName parse(String text) {
    List<String> parts = splitParts(text.trim());
    if (parts.isEmpty() || parts.size() > 3) {
      throw new IllegalArgumentException("Not an object name: " + text);
    }
    String name = parts.get(parts.size() - 1);
    String schema = parts.size() >= 2 ? parts.get(parts.size() - 2) : DEFAULT_SCHEMA;
    return new ObjectName(schema.isEmpty() ? DEFAULT_SCHEMA : schema, name);
  }

  /** Unquotes one identifier: {@code [a]]b]} and {@code "a""b"} become {@code a]b}, {@code a"b}. */
  static String unquote(String identifier) {
    List<String> parts = splitParts(identifier.trim());
    return parts.isEmpty() ? identifier : parts.get(0);
  }

  /** A plain name as it is; a bracketed or double-quoted one unquoted. */
  static String unquoteIfQuoted(String identifier) {
    String t = identifier.trim();
    return t.startsWith("[") || t.startsWith("\"") ? unquote(t) : t;
  }

  /** An identifier quoted for H2 (and for SQL Server, which accepts double quotes too). */
  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  static List<String> splitParts(String text) {
    List<String> parts = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '[' || c == '"') {
        char close = c == '[' ? ']' : '"';
        i++;
        while (i < text.length()) {
          char d = text.charAt(i);
          if (d == close) {
            if (i + 1 < text.length() && text.charAt(i + 1) == close) {
              cur.append(close);
              i += 2;
              continue;
            }
            i++;
            break;
          }
          cur.append(d);
          i++;
        }
      } else if (c == '.') {
        parts.add(cur.toString());
        cur.setLength(0);
        i++;
      } else {
        if (!Character.isWhitespace(c)) {
          cur.append(c);
        }
        i++;
      }
    }
    parts.add(cur.toString());
    return parts;
  }

  String schema() {
    return schema;
  }

  String name() {
    return name;
  }

  /** {@code "schema"."name"}. */
  String quoted() {
    return quote(schema) + "." + quote(name);
  }

  /** A case-insensitive lookup key, as SQL Server's default collation compares names. */
  String key() {
    return (schema + "." + name).toLowerCase(Locale.ROOT);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ObjectName && key().equals(((ObjectName) o).key());
  }

  @Override
  public int hashCode() {
    return key().hashCode();
  }

  @Override
  public String toString() {
    return schema + "." + name;
  }
}
