package dev.mssql2mz.sqlserver;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Properties;

/**
 * Opens JDBC connections to the source database. Serializable so that the enumerator and every
 * reader can open their own. The password is kept but never printed.
 */
public final class JdbcConnectionFactory implements Serializable {

  private static final long serialVersionUID = 1L;

  private final String url;
  private final String user;
  private final String password;
  private final Properties extra;

  /** Set when connecting through a job config (TLS modes, SSH tunnel, secrets). */
  private final dev.mssql2mz.config.SourceConfig sourceConfig;

  /** Opened lazily in each JVM: the SSH tunnel, if any, is per process. */
  private transient SqlServerConnectionFactory configured;

  public JdbcConnectionFactory(String url, String user, String password, Properties extra) {
    this.url = Objects.requireNonNull(url, "url");
    this.user = user;
    this.password = password;
    this.extra = extra == null ? new Properties() : (Properties) extra.clone();
    this.sourceConfig = null;
  }

  private JdbcConnectionFactory(dev.mssql2mz.config.SourceConfig config) {
    this.url = config.jdbcUrl().orElse("jdbc:sqlserver://" + config.host().orElse("?"));
    this.user = config.user();
    this.password = null;
    this.extra = new Properties();
    this.sourceConfig = config;
  }

  /**
   * A factory for the connection of a job config: its TLS mode, SSH tunnel (opened in each process
   * that connects) and password secret (resolved in each process, never serialized as text).
   */
  public static JdbcConnectionFactory fromConfig(dev.mssql2mz.config.SourceConfig config) {
    return new JdbcConnectionFactory(Objects.requireNonNull(config, "config"));
  }

  /** A factory for a SQL Server host, port and database with the given TLS mode settings. */
  public static JdbcConnectionFactory forSqlServer(
      String host, int port, String database, String user, String password, Properties tls) {
    String url =
        "jdbc:sqlserver://"
            + host
            + ":"
            + port
            + ";databaseName="
            + database
            + ";applicationName=mssql2mz";
    return new JdbcConnectionFactory(url, user, password, tls);
  }

  public Connection open() throws SQLException {
    if (sourceConfig != null) {
      synchronized (this) {
        if (configured == null) {
          configured = new SqlServerConnectionFactory(sourceConfig);
        }
      }
      return configured.connect();
    }
    Properties p = new Properties();
    p.putAll(extra);
    if (user != null) {
      p.setProperty("user", user);
    }
    if (password != null) {
      p.setProperty("password", password);
    }
    return DriverManager.getConnection(url, p);
  }

  public String url() {
    return url;
  }

  public String user() {
    return user;
  }

  @Override
  public String toString() {
    return url + (user == null ? "" : " as " + user);
  }
}
