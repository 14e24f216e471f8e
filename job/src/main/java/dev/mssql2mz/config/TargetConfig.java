package dev.mssql2mz.config;

import java.io.Serializable;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/** The PostgreSQL-wire target: Materialize or PostgreSQL. */
public final class TargetConfig implements Serializable {

  private static final long serialVersionUID = 1L;

  private final String url;
  private final String user;
  private final Secret password;
  private final TargetDialectKind dialect;
  private final String schema;
  private final String sourceName;
  private final SslMode sslMode;

  public TargetConfig(
      String url,
      String userOrNull,
      Secret passwordOrNull,
      TargetDialectKind dialect,
      String schema,
      String sourceName,
      SslMode sslModeOrNull) {
    this.url = Objects.requireNonNull(url, "url");
    this.user = userOrNull;
    this.password = passwordOrNull;
    this.dialect = Objects.requireNonNull(dialect, "dialect");
    this.schema = Objects.requireNonNull(schema, "schema");
    this.sourceName = Objects.requireNonNull(sourceName, "sourceName");
    this.sslMode = sslModeOrNull;
  }

  public String url() {
    return url;
  }

  public Optional<String> user() {
    return Optional.ofNullable(user);
  }

  public Optional<Secret> password() {
    return Optional.ofNullable(password);
  }

  public TargetDialectKind dialect() {
    return dialect;
  }

  public String schema() {
    return schema;
  }

  /** The name of this source in the target; the progress table is {@code <name>_progress}. */
  public String sourceName() {
    return sourceName;
  }

  /** TLS mode, absent when the URL decides. */
  public Optional<SslMode> sslMode() {
    return Optional.ofNullable(sslMode);
  }

  /**
   * The PostgreSQL driver's {@code sslmode} for {@link #sslMode()}: {@code disable}, {@code
   * require}, {@code verify-ca} or {@code verify-full}.
   */
  public Optional<String> pgjdbcSslMode() {
    return sslMode().map(SslMode::pgjdbcValue);
  }

  /**
   * The PostgreSQL driver's connection properties: user, password (read from its secret now),
   * {@code sslmode} when {@link #sslMode()} is set, and {@code ApplicationName=mssql2mz}. Pass them
   * with {@link #url()} to {@code DriverManager.getConnection}; never log them.
   */
  public Properties connectionProperties() {
    Properties p = new Properties();
    user().ifPresent(u -> p.setProperty("user", u));
    password().ifPresent(secret -> p.setProperty("password", secret.reveal()));
    pgjdbcSslMode().ifPresent(mode -> p.setProperty("sslmode", mode));
    p.setProperty("ApplicationName", "mssql2mz");
    return p;
  }

  @Override
  public String toString() {
    return "TargetConfig{"
        + url
        + ", user "
        + user
        + ", password "
        + password
        + ", "
        + dialect.configName()
        + ", schema "
        + schema
        + ", source-name "
        + sourceName
        + "}";
  }
}
