package dev.mssql2mz.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the keys of one YAML mapping of the job config, recording a problem (prefixed with the
 * key's path) instead of stopping at the first bad value, so that a config's problems are all
 * reported at once. Values of secrets never appear in a problem.
 */
final class MappingReader {

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

  private final String path;
  private final JsonNode node;
  private final List<String> problems;
  private final List<String> warnings;
  private final Set<ConfigKey> keysRead;

  MappingReader(
      String path,
      JsonNode node,
      List<String> problems,
      List<String> warnings,
      Set<ConfigKey> keysRead) {
    this.path = path;
    this.node = node;
    this.problems = problems;
    this.warnings = warnings;
    this.keysRead = keysRead;
  }

  void problem(ConfigKey key, String message) {
    problems.add(key.path() + ": " + message);
  }

  void warning(String message) {
    warnings.add(message);
  }

  /** Whether the key is present with a non-null value. */
  boolean has(ConfigKey key) {
    return value(key) != null;
  }

  private JsonNode value(ConfigKey key) {
    if (!key.parentPath().equals(path)) {
      throw new IllegalArgumentException(key + " is not a key of '" + path + "'");
    }
    keysRead.add(key);
    JsonNode v = node == null ? null : node.get(key.name());
    return v == null || v.isNull() ? null : v;
  }

  /** Reports every key of this mapping that the config model does not know. */
  void rejectUnknownKeys() {
    if (node == null) {
      return;
    }
    List<String> known =
        ConfigKeys.childrenOf(path).stream().map(ConfigKey::name).collect(Collectors.toList());
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        String where = path.isEmpty() ? name : path + "." + name;
        String suggestion = closest(name, known).map(k -> " Did you mean '" + k + "'?").orElse("");
        problems.add(
            where
                + ": unknown key."
                + suggestion
                + " Allowed keys"
                + (path.isEmpty() ? "" : " of " + path)
                + ": "
                + String.join(", ", known)
                + ".");
      }
    }
  }

  /** A nested mapping, or {@code null} when absent or not a mapping (a problem is recorded). */
  MappingReader mapping(ConfigKey key) {
    JsonNode v = value(key);
    if (v == null) {
      return null;
    }
    if (!v.isObject()) {
      problem(key, "expected a mapping of keys, got " + describe(v) + ".");
      return null;
    }
    return new MappingReader(key.path(), v, problems, warnings, keysRead);
  }

  String string(ConfigKey key) {
    JsonNode v = value(key);
    if (v == null) {
      return null;
    }
    if (!v.isValueNode()) {
      problem(key, "expected a single value, got " + describe(v) + ".");
      return null;
    }
    String s = v.asText().trim();
    if (s.isEmpty()) {
      problem(key, "must not be empty.");
      return null;
    }
    return s;
  }

  String requiredString(ConfigKey key, String why) {
    if (!has(key)) {
      problem(key, "required" + why + ".");
      return null;
    }
    return string(key);
  }

  int integer(ConfigKey key, long min, long max, int defaultValue) {
    JsonNode v = value(key);
    if (v == null) {
      return defaultValue;
    }
    String range = max == Integer.MAX_VALUE ? "at least " + min : "between " + min + " and " + max;
    long parsed;
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      parsed = v.asLong();
    } else if (v.isTextual() && v.asText().trim().matches("-?\\d{1,18}")) {
      parsed = Long.parseLong(v.asText().trim());
    } else {
      problem(key, "expected an integer " + range + ", got " + describe(v) + ".");
      return defaultValue;
    }
    if (parsed < min || parsed > max) {
      problem(key, "expected an integer " + range + ", got " + parsed + ".");
      return defaultValue;
    }
    return (int) parsed;
  }

  <E> E choice(ConfigKey key, Map<String, E> allowed, E defaultValue) {
    JsonNode v = value(key);
    if (v == null) {
      return defaultValue;
    }
    String allowedList = String.join(", ", allowed.keySet());
    if (!v.isValueNode()) {
      problem(key, "expected one of " + allowedList + ", got " + describe(v) + ".");
      return defaultValue;
    }
    String s = v.asText().trim().toLowerCase(Locale.ROOT);
    E e = allowed.get(s);
    if (e == null) {
      String suggestion =
          closest(s, allowed.keySet()).map(k -> " Did you mean '" + k + "'?").orElse("");
      problem(
          key,
          "'" + v.asText() + "' is not allowed. Allowed values: " + allowedList + "." + suggestion);
      return defaultValue;
    }
    return e;
  }

  java.time.Duration duration(
      ConfigKey key, java.time.Duration min, java.time.Duration max, java.time.Duration def) {
    JsonNode v = value(key);
    if (v == null) {
      return def;
    }
    String formats = "a duration such as 500ms, 10s, 2m or 1h";
    if (!v.isTextual()) {
      problem(
          key,
          "expected "
              + formats
              + ", got "
              + describe(v)
              + (v.isNumber() ? " (add a unit: " + v.asText() + "ms or " + v.asText() + "s)" : "")
              + ".");
      return def;
    }
    Matcher m = DURATION.matcher(v.asText().trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      problem(key, "expected " + formats + ", got '" + v.asText() + "'.");
      return def;
    }
    long amount;
    try {
      amount = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      problem(key, "the number in '" + v.asText() + "' is too large.");
      return def;
    }
    java.time.Duration d;
    switch (m.group(2)) {
      case "ms":
        d = java.time.Duration.ofMillis(amount);
        break;
      case "s":
        d = java.time.Duration.ofSeconds(amount);
        break;
      case "m":
        d = java.time.Duration.ofMinutes(Math.min(amount, Long.MAX_VALUE / 60));
        break;
      default:
        d = java.time.Duration.ofHours(Math.min(amount, Long.MAX_VALUE / 3600));
        break;
    }
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      problem(
          key,
          "must be between " + format(min) + " and " + format(max) + ", got '" + v.asText() + "'.");
      return def;
    }
    return d;
  }

  /**
   * A secret: {@code {env: NAME}}, {@code {file: /path}} or a literal. {@code plainIsFile} makes a
   * plain string a file path (for private keys) instead of a literal.
   */
  Secret secret(ConfigKey key, boolean plainIsFile) {
    JsonNode v = value(key);
    if (v == null) {
      return null;
    }
    String forms =
        "{env: VARIABLE}, {file: /path/to/file}"
            + (plainIsFile ? " or a file path" : " or a string");
    if (v.isValueNode()) {
      String s = v.asText();
      if (s.isEmpty()) {
        problem(key, "must not be empty; give it as " + forms + ".");
        return null;
      }
      if (plainIsFile) {
        return Secret.fromFile(key.path(), s.trim());
      }
      warning(
          key.path()
              + " is written into the config file; prefer {env: VARIABLE} or {file: /path}.");
      return Secret.literal(key.path(), s);
    }
    if (!v.isObject()) {
      problem(key, "expected " + forms + ", got " + describe(v) + ".");
      return null;
    }
    List<String> fields = new ArrayList<>();
    v.fieldNames().forEachRemaining(fields::add);
    if (fields.size() != 1 || !(fields.contains("env") || fields.contains("file"))) {
      problem(
          key,
          "a secret is "
              + forms
              + "; got a mapping with key(s) "
              + String.join(", ", fields)
              + ".");
      return null;
    }
    JsonNode ref = fields.contains("env") ? v.get("env") : v.get("file");
    if (ref == null || !ref.isTextual() || ref.asText().trim().isEmpty()) {
      problem(key, "the " + fields.get(0) + " reference must be a non-empty string.");
      return null;
    }
    String name = ref.asText().trim();
    if (fields.contains("env")) {
      if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        problem(key, "'" + name + "' is not an environment variable name (letters, digits, _).");
        return null;
      }
      return Secret.fromEnv(key.path(), name);
    }
    return Secret.fromFile(key.path(), name);
  }

  /** A list of strings, each parsed by {@code parser}; items that fail become problems. */
  <T> List<T> list(ConfigKey key, Function<String, T> parser, String example) {
    JsonNode v = value(key);
    List<T> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (!v.isArray()) {
      problem(key, "expected a list, e.g. " + example + ", got " + describe(v) + ".");
      return out;
    }
    for (int i = 0; i < v.size(); i++) {
      JsonNode item = v.get(i);
      if (!item.isValueNode() || item.isNull()) {
        problem(key, "item " + (i + 1) + ": expected a string, got " + describe(item) + ".");
        continue;
      }
      try {
        out.add(parser.apply(item.asText()));
      } catch (IllegalArgumentException e) {
        problem(key, "item " + (i + 1) + " '" + item.asText() + "': " + e.getMessage() + ".");
      }
    }
    return out;
  }

  /** The raw node, for keys with more than one shape (e.g. {@code tables}). */
  JsonNode raw(ConfigKey key) {
    return value(key);
  }

  static String describe(JsonNode v) {
    if (v == null || v.isNull()) {
      return "nothing";
    }
    if (v.isObject()) {
      return "a mapping";
    }
    if (v.isArray()) {
      return "a list";
    }
    if (v.isBoolean()) {
      return "the boolean " + v.asText();
    }
    if (v.isNumber()) {
      return "the number " + v.asText();
    }
    return "'" + v.asText() + "'";
  }

  private static String format(java.time.Duration d) {
    if (d.toMillis() < 1000) {
      return d.toMillis() + "ms";
    }
    if (d.getSeconds() < 60) {
      return d.getSeconds() + "s";
    }
    if (d.getSeconds() < 3600) {
      return d.toMinutes() + "m";
    }
    return d.toHours() + "h";
  }

  /** The allowed word nearest to {@code word}, if it is close enough to be a likely typo. */
  static Optional<String> closest(String word, Iterable<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(word.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return best != null && bestDistance <= Math.max(1, Math.min(3, word.length() / 3))
        ? Optional.of(best)
        : Optional.empty();
  }

  /** Edit distance counting a swap of neighbours as one edit (optimal string alignment). */
  private static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
