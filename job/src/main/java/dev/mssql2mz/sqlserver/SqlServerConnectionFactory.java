package dev.mssql2mz.sqlserver;

import dev.mssql2mz.config.SourceConfig;
import dev.mssql2mz.config.SslMode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Objects;
import java.util.Properties;

/**
 * Opens JDBC connections to SQL Server as the source config says: host and port (through an SSH
 * tunnel when configured) with the TLS mode mapped onto mssql-jdbc 13.x properties, or a raw JDBC
 * URL (the emulator's {@code jdbc:mssql2mz-emulator:...}).
 *
 * <p>TLS modes, as Materialize's {@code SSL MODE}:
 *
 * <ul>
 *   <li>{@code disabled}: {@code encrypt=false}.
 *   <li>{@code required}: {@code encrypt=true}, {@code trustServerCertificate=true}.
 *   <li>{@code verify-ca}: {@code encrypt=true}, {@code trustServerCertificate=false}, and {@link
 *       PemCaTrustManager} as {@code trustManagerClass}, which checks the chain against {@code
 *       ssl-ca} but not the host name.
 *   <li>{@code verify-full}: {@code encrypt=true}, {@code trustServerCertificate=false}, the CA in
 *       a trust store file, and {@code hostNameInCertificate} set to the configured host, so the
 *       driver checks the name even when it connects to the local end of an SSH tunnel.
 * </ul>
 *
 * <p>Serializable so that source readers can open their own connections: only the config (with
 * secret references, not values) travels; the tunnel and trust store are made where it runs. Close
 * it to close the tunnel.
 */
public final class SqlServerConnectionFactory implements Serializable, AutoCloseable {

  private static final long serialVersionUID = 1L;

  /** The name SQL Server shows in {@code sys.dm_exec_sessions.program_name}. */
  public static final String APPLICATION_NAME = "mssql2mz";

  private final SourceConfig config;

  private transient SshTunnel tunnel;
  private transient Path trustStoreFile;
  private transient String trustStorePassword;

  public SqlServerConnectionFactory(SourceConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  public SourceConfig config() {
    return config;
  }

  /** Opens a connection; opens the SSH tunnel first if there is one and it is not open yet. */
  public Connection connect() throws SQLException {
    ConnectionTarget target = target();
    Properties props = target.properties();
    props.setProperty("user", config.user());
    config.password().ifPresent(p -> props.setProperty("password", p.reveal()));
    try {
      return DriverManager.getConnection(target.url(), props);
    } catch (SQLException e) {
      throw new SQLException(
          "Cannot connect to SQL Server at "
              + target.describe()
              + " as "
              + config.user()
              + ": "
              + e.getMessage(),
          e.getSQLState(),
          e.getErrorCode(),
          e);
    }
  }

  /**
   * Where {@link #connect()} connects and with which properties, without the user and password.
   * Opens the SSH tunnel if there is one.
   */
  public synchronized ConnectionTarget target() throws SQLException {
    if (config.jdbcUrl().isPresent()) {
      Properties props = new Properties();
      return new ConnectionTarget(config.jdbcUrl().get(), props, config.jdbcUrl().get());
    }
    String host = config.host().orElseThrow();
    int port = config.port();
    String connectHost = host;
    int connectPort = port;
    if (config.sshTunnel().isPresent()) {
      if (tunnel == null || !tunnel.isOpen()) {
        try {
          tunnel = SshTunnel.open(config.sshTunnel().get(), host, port, SshTunnel.DEFAULT_TIMEOUT);
        } catch (SshTunnel.SshTunnelException e) {
          throw new SQLException(e.getMessage(), "08001", 0, e);
        }
      }
      connectHost = tunnel.localHost();
      connectPort = tunnel.localPort();
    }
    Properties props = properties(connectHost, connectPort);
    String describe =
        host
            + ":"
            + port
            + "/"
            + config.database().orElseThrow()
            + " (ssl-mode "
            + config.sslMode().configName()
            + (tunnel != null ? ", via " + config.sshTunnel().get() : "")
            + ")";
    return new ConnectionTarget("jdbc:sqlserver://", props, describe);
  }

  /** The mssql-jdbc properties for connecting to {@code connectHost:connectPort}. */
  Properties properties(String connectHost, int connectPort) throws SQLException {
    Properties p = new Properties();
    // Everything goes in properties, not the URL: no escaping of ';', '{' or '}' in names.
    p.setProperty("serverName", connectHost);
    p.setProperty("portNumber", Integer.toString(connectPort));
    p.setProperty("databaseName", config.database().orElseThrow());
    p.setProperty("applicationName", APPLICATION_NAME);
    p.setProperty("loginTimeout", "30");
    SslMode mode = config.sslMode();
    switch (mode) {
      case DISABLED:
        p.setProperty("encrypt", "false");
        break;
      case REQUIRED:
        p.setProperty("encrypt", "true");
        p.setProperty("trustServerCertificate", "true");
        break;
      case VERIFY_CA:
        p.setProperty("encrypt", "true");
        p.setProperty("trustServerCertificate", "false");
        p.setProperty("trustManagerClass", PemCaTrustManager.class.getName());
        config.sslCa().ifPresent(ca -> p.setProperty("trustManagerConstructorArg", ca));
        break;
      case VERIFY_FULL:
        p.setProperty("encrypt", "true");
        p.setProperty("trustServerCertificate", "false");
        // The certificate must name the configured host, also when connecting via a tunnel.
        p.setProperty("hostNameInCertificate", config.host().orElseThrow());
        if (config.sslCa().isPresent()) {
          ensureTrustStore();
          p.setProperty("trustStore", trustStoreFile.toString());
          p.setProperty("trustStorePassword", trustStorePassword);
          p.setProperty("trustStoreType", "PKCS12");
        }
        break;
      default:
        throw new IllegalStateException("Unknown ssl-mode " + mode);
    }
    return p;
  }

  /** Writes the CA of {@code ssl-ca} into a private PKCS12 file, once per factory. */
  private void ensureTrustStore() throws SQLException {
    if (trustStoreFile != null) {
      return;
    }
    try {
      KeyStore store = PemCaTrustManager.load(config.sslCa().get());
      byte[] random = new byte[18];
      new SecureRandom().nextBytes(random);
      String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      Path file = Files.createTempFile("mssql2mz-sqlserver-ca-", ".p12");
      file.toFile().deleteOnExit();
      try (OutputStream out = Files.newOutputStream(file)) {
        store.store(out, password.toCharArray());
      }
      trustStoreFile = file;
      trustStorePassword = password;
    } catch (IOException | GeneralSecurityException e) {
      throw new SQLException(
          "source.ssl-ca: cannot use "
              + config.sslCa().get()
              + " as the certificate authority: "
              + e.getMessage(),
          "08001",
          0,
          e);
    }
  }

  /** Closes the SSH tunnel, if one is open, and deletes the temporary trust store. */
  @Override
  public synchronized void close() {
    if (tunnel != null) {
      tunnel.close();
      tunnel = null;
    }
    if (trustStoreFile != null) {
      try {
        Files.deleteIfExists(trustStoreFile);
      } catch (IOException ignored) {
        // deleteOnExit is registered as well
      }
      trustStoreFile = null;
    }
  }

  /** A JDBC URL and properties, without credentials, and a description safe to log. */
  public static final class ConnectionTarget {
    private final String url;
    private final Properties properties;
    private final String description;

    ConnectionTarget(String url, Properties properties, String description) {
      this.url = url;
      this.properties = properties;
      this.description = description;
    }

    public String url() {
      return url;
    }

    /** A copy of the driver properties (never the password). */
    public Properties properties() {
      Properties copy = new Properties();
      copy.putAll(properties);
      return copy;
    }

    public String describe() {
      return description;
    }

    @Override
    public String toString() {
      return description;
    }
  }
}
