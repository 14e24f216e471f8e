package dev.mssql2mz.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes a job config as the YAML a user would write, for code that starts the job through the
 * config path as users do (the demo, tests, benchmarks): sections {@code source}, {@code target}
 * and {@code flink} of {@code key: value} lines. Strings are double-quoted and escaped, numbers and
 * booleans written as they are, secrets read from a file written as {@code {file: "..."}}.
 */
public final class JobConfigYaml {

  private final Map<String, Map<String, String>> sections = new LinkedHashMap<>();

  /** {@code section.key: value} (a list as a flow sequence); a null value leaves the key out. */
  public JobConfigYaml set(String section, String key, Object value) {
    if (value != null) {
      sections
          .computeIfAbsent(section, s -> new LinkedHashMap<>())
          .put(
              key,
              value instanceof Number || value instanceof Boolean
                  ? value.toString()
                  : value instanceof List<?> list
                      ? list.stream()
                          .map(v -> quoted(v.toString()))
                          .collect(Collectors.joining(", ", "[", "]"))
                      : quoted(value.toString()));
    }
    return this;
  }

  /** {@code section.key: {file: "<file>"}}: a secret the loader reads from a file. */
  public JobConfigYaml secretFile(String section, String key, Path file) {
    sections
        .computeIfAbsent(section, s -> new LinkedHashMap<>())
        .put(key, "{file: " + quoted(file.toAbsolutePath().toString()) + "}");
    return this;
  }

  /** The YAML text. */
  public String text() {
    StringBuilder sb = new StringBuilder();
    sections.forEach(
        (section, entries) -> {
          sb.append(section).append(":\n");
          entries.forEach((k, v) -> sb.append("  ").append(k).append(": ").append(v).append('\n'));
        });
    return sb.toString();
  }

  /** Parsed as {@code run --config} would parse it. */
  public JobConfig parse(String origin) throws ConfigException {
    return new JobConfigLoader().parse(text(), origin);
  }

  /** Writes the YAML to {@code file} and returns it. */
  public Path writeTo(Path file) throws IOException {
    Files.writeString(file, text());
    return file;
  }

  private static String quoted(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
