package dev.mssql2mz.config;

import java.io.Serializable;
import java.util.Optional;

/**
 * The SQL Server side of the job: how to connect (as Materialize's {@code CREATE CONNECTION ... TO
 * SQL SERVER}) and which tables to read (as its {@code CREATE SOURCE}). Either host, port and
 * database, or a raw JDBC URL.
 */
public final class SourceConfig implements Serializable {

  private static final long serialVersionUID = 1L;

  /** SQL Server's default port. */
  public static final int DEFAULT_PORT = 1433;

  private final String host;
  private final int port;
  private final String database;
  private final String user;
  private final Secret password;
  private final SslMode sslMode;
  private final String sslCa;
  private final String jdbcUrl;
  private final SshTunnelConfig sshTunnel;
  private final TableSelection selection;

  /** Use {@link Builder}. */
  private SourceConfig(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.database = b.database;
    this.user = b.user;
    this.password = b.password;
    this.sslMode = b.sslMode;
    this.sslCa = b.sslCa;
    this.jdbcUrl = b.jdbcUrl;
    this.sshTunnel = b.sshTunnel;
    this.selection = b.selection;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The host, absent when a JDBC URL is given instead. */
  public Optional<String> host() {
    return Optional.ofNullable(host);
  }

  public int port() {
    return port;
  }

  /** The database, absent when a JDBC URL is given instead. */
  public Optional<String> database() {
    return Optional.ofNullable(database);
  }

  public String user() {
    return user;
  }

  public Optional<Secret> password() {
    return Optional.ofNullable(password);
  }

  public SslMode sslMode() {
    return sslMode;
  }

  /** PEM file of the CA that signed the server's certificate. */
  public Optional<String> sslCa() {
    return Optional.ofNullable(sslCa);
  }

  /** A raw JDBC URL that replaces host, port, database and ssl-mode. */
  public Optional<String> jdbcUrl() {
    return Optional.ofNullable(jdbcUrl);
  }

  public Optional<SshTunnelConfig> sshTunnel() {
    return Optional.ofNullable(sshTunnel);
  }

  public TableSelection selection() {
    return selection;
  }

  @Override
  public String toString() {
    String where =
        jdbcUrl != null ? jdbcUrl : host + ":" + port + "/" + database + " ssl-mode " + sslMode;
    return "SourceConfig{"
        + where
        + ", user "
        + user
        + ", password "
        + password
        + (sshTunnel != null ? ", via " + sshTunnel : "")
        + ", "
        + selection
        + "}";
  }

  /** Builds a {@link SourceConfig}; the loader validates before it builds. */
  public static final class Builder {
    private String host;
    private int port = DEFAULT_PORT;
    private String database;
    private String user;
    private Secret password;
    private SslMode sslMode = SslMode.REQUIRED;
    private String sslCa;
    private String jdbcUrl;
    private SshTunnelConfig sshTunnel;
    private TableSelection selection =
        new TableSelection(
            true,
            java.util.List.of(),
            java.util.List.of(),
            java.util.List.of(),
            java.util.List.of());

    private Builder() {}

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder database(String database) {
      this.database = database;
      return this;
    }

    public Builder user(String user) {
      this.user = user;
      return this;
    }

    public Builder password(Secret password) {
      this.password = password;
      return this;
    }

    public Builder sslMode(SslMode sslMode) {
      this.sslMode = sslMode;
      return this;
    }

    public Builder sslCa(String sslCa) {
      this.sslCa = sslCa;
      return this;
    }

    public Builder jdbcUrl(String jdbcUrl) {
      this.jdbcUrl = jdbcUrl;
      return this;
    }

    public Builder sshTunnel(SshTunnelConfig sshTunnel) {
      this.sshTunnel = sshTunnel;
      return this;
    }

    public Builder selection(TableSelection selection) {
      this.selection = selection;
      return this;
    }

    public SourceConfig build() {
      if (jdbcUrl == null && (host == null || database == null)) {
        throw new IllegalStateException("A source needs host and database, or a jdbc-url");
      }
      return new SourceConfig(this);
    }
  }
}
