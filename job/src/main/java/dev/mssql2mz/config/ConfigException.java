package dev.mssql2mz.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A job config that cannot be used. Carries every problem found, each starting with the key's path
 * ({@code source.ssl-mode: ...}), so one run shows everything to fix.
 */
public final class ConfigException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String origin;
  private final List<String> problems;

  public ConfigException(String origin, List<String> problems) {
    super(render(origin, problems));
    this.origin = origin;
    this.problems = Collections.unmodifiableList(new ArrayList<>(problems));
  }

  /** Where the config came from, e.g. its file path. */
  public String origin() {
    return origin;
  }

  /** One line per problem, each starting with the key's path. */
  public List<String> problems() {
    return problems;
  }

  private static String render(String origin, List<String> problems) {
    StringBuilder sb = new StringBuilder();
    sb.append("Invalid config ")
        .append(origin)
        .append(" (")
        .append(problems.size())
        .append(problems.size() == 1 ? " problem" : " problems")
        .append("):");
    for (String p : problems) {
      sb.append("\n  - ").append(p);
    }
    return sb.toString();
  }
}
