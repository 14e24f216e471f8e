package dev.mssql2mz.config;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A password or key that must never be printed: its {@link #toString()} is {@code ****}, and the
 * value is only read when {@link #reveal()} is called, on the machine that connects. A secret comes
 * from an environment variable ({@code {env: NAME}}), a file ({@code {file: /path}}) or, with a
 * warning at load time, a literal in the config file.
 *
 * <p>Only the reference (variable name or file path) travels with the job; the value is read where
 * it is used, so it never reaches the Flink configuration or the web UI.
 */
public final class Secret implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Where the value comes from. */
  public enum Kind {
    ENV,
    FILE,
    LITERAL
  }

  private final String configKey;
  private final Kind kind;
  private final String reference;

  private transient Function<String, String> environment;

  private Secret(String configKey, Kind kind, String reference) {
    this.configKey = Objects.requireNonNull(configKey, "configKey");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.reference = Objects.requireNonNull(reference, "reference");
  }

  /** A secret read from the environment variable {@code name} when revealed. */
  public static Secret fromEnv(String configKey, String name) {
    return new Secret(configKey, Kind.ENV, name);
  }

  /** A secret read from the file at {@code path} when revealed (one trailing newline dropped). */
  public static Secret fromFile(String configKey, String path) {
    return new Secret(configKey, Kind.FILE, path);
  }

  /** A secret written into the config itself; discouraged, but handy for local tests. */
  public static Secret literal(String configKey, String value) {
    return new Secret(configKey, Kind.LITERAL, value);
  }

  /** The config key this secret was given for, e.g. {@code source.password}. */
  public String configKey() {
    return configKey;
  }

  public Kind kind() {
    return kind;
  }

  /** The variable's name for an {@code {env: NAME}} secret (a name, not a value). */
  public java.util.Optional<String> environmentVariable() {
    return kind == Kind.ENV ? java.util.Optional.of(reference) : java.util.Optional.empty();
  }

  /**
   * Where the value comes from, safe to print: {@code environment variable PG_PASSWORD}, {@code
   * file /run/secrets/pg}, or {@code a literal in the config file}.
   */
  public String describe() {
    switch (kind) {
      case ENV:
        return "environment variable " + reference;
      case FILE:
        return "file " + reference;
      default:
        return "a literal in the config file";
    }
  }

  /** For tests: reads environment variables from {@code env} instead of the process. */
  Secret withEnvironment(Map<String, String> env) {
    Secret copy = new Secret(configKey, kind, reference);
    copy.environment = env::get;
    return copy;
  }

  /**
   * The value. Reads the environment variable or the file now.
   *
   * @throws SecretUnavailableException naming the config key and the fix, never the value
   */
  public String reveal() {
    switch (kind) {
      case ENV:
        String value =
            environment != null ? environment.apply(reference) : System.getenv(reference);
        if (value == null) {
          throw new SecretUnavailableException(
              configKey
                  + ": environment variable "
                  + reference
                  + " is not set. Export it before starting the job, or give the secret as"
                  + " {file: /path/to/file}.");
        }
        return value;
      case FILE:
        try {
          String text = Files.readString(Paths.get(reference), StandardCharsets.UTF_8);
          if (text.endsWith("\r\n")) {
            return text.substring(0, text.length() - 2);
          }
          return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } catch (IOException e) {
          throw new SecretUnavailableException(
              configKey
                  + ": cannot read secret file "
                  + reference
                  + " ("
                  + e.getClass().getSimpleName()
                  + "). Check that the file exists and is readable by the job's user.");
        }
      default:
        return reference;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret
        && ((Secret) o).kind == kind
        && ((Secret) o).reference.equals(reference)
        && ((Secret) o).configKey.equals(configKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(configKey, kind, reference);
  }

  /** Always {@code ****}: a secret never reaches a log line or an exception message. */
  @Override
  public String toString() {
    return "****";
  }

  /** A secret could not be read; the message names the key and the fix, never the value. */
  public static final class SecretUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    SecretUnavailableException(String message) {
      super(message);
    }
  }
}
