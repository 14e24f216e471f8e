package dev.mssql2mz.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The numbers one benchmark measured, written as a flat JSON object of keys to numbers or strings
 * (e.g. {@code "sink.jdbc_xa_rows_per_s": 12345.6}), printed as it goes.
 */
public final class BenchResults {

  private static final Pattern ENTRY =
      Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"\\s*:\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|[-+0-9.eE]+)");

  private final Map<String, Object> values = new LinkedHashMap<>();

  /** Records a number and prints it. */
  public BenchResults put(String key, double value) {
    values.put(key, value);
    System.out.printf("bench: %-45s %15.1f%n", key, value);
    return this;
  }

  /** Records a note (a setting the numbers depend on) and prints it. */
  public BenchResults put(String key, String value) {
    values.put(key, value);
    System.out.printf("bench: %-45s %15s%n", key, value);
    return this;
  }

  /** Writes the numbers to {@code dir/<name>.json}. */
  public void writeTo(Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(name + ".json"), toJson(values));
  }

  static String toJson(Map<String, Object> map) {
    StringBuilder sb = new StringBuilder("{\n");
    int i = 0;
    for (Map.Entry<String, Object> e : map.entrySet()) {
      sb.append("  ").append(quote(e.getKey())).append(": ");
      Object v = e.getValue();
      sb.append(v instanceof Number ? v.toString() : quote(String.valueOf(v)));
      sb.append(++i < map.size() ? ",\n" : "\n");
    }
    return sb.append("}\n").toString();
  }

  static Map<String, Object> parseFlatJson(String json) {
    Map<String, Object> map = new LinkedHashMap<>();
    Matcher m = ENTRY.matcher(json);
    while (m.find()) {
      String raw = m.group(2);
      Object value =
          raw.startsWith("\"") ? unquote(raw.substring(1, raw.length() - 1)) : toNumber(raw);
      map.put(unquote(m.group(1)), value);
    }
    return map;
  }

  private static Object toNumber(String raw) {
    try {
      return Double.valueOf(raw);
    } catch (NumberFormatException e) {
      return raw;
    }
  }

  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  private static String unquote(String s) {
    return s.replace("\\\"", "\"").replace("\\\\", "\\");
  }
}
