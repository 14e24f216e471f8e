package dev.mssql2mz.config;

import java.util.Objects;

/**
 * One key of the YAML job config, with what the README's options table says about it. Every key the
 * loader reads is declared in {@link ConfigKeys}, and a test checks the README table against that
 * list.
 */
public final class ConfigKey {

  private final String path;
  private final String type;
  private final String defaultValue;
  private final String description;

  ConfigKey(String path, String type, String defaultValue, String description) {
    this.path = Objects.requireNonNull(path, "path");
    this.type = Objects.requireNonNull(type, "type");
    this.defaultValue = defaultValue;
    this.description = Objects.requireNonNull(description, "description");
  }

  /** The full dotted path, e.g. {@code source.ssh-tunnel.port}. */
  public String path() {
    return path;
  }

  /** The key's own name, the last segment of its path. */
  public String name() {
    return path.substring(path.lastIndexOf('.') + 1);
  }

  /** The path of the mapping that holds this key, or {@code ""} for top-level keys. */
  public String parentPath() {
    int dot = path.lastIndexOf('.');
    return dot < 0 ? "" : path.substring(0, dot);
  }

  /** What values it takes, as shown in the README. */
  public String type() {
    return type;
  }

  /** The default as shown in the README, or {@code null} when there is none. */
  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  @Override
  public String toString() {
    return path;
  }
}
