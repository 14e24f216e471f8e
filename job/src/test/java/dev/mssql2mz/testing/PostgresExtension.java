package dev.mssql2mz.testing;

import dev.mssql2mz.demo.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Hands each test a fresh PostgreSQL database on a real server: the one named by {@code
 * MSSQL2MZ_PG_URL}, or an embedded server started once per test JVM.
 *
 * <pre>{@code
 * @RegisterExtension static final PostgresExtension PG = new PostgresExtension();
 * ... PG.jdbcUrl(), PG.connect() ...
 * }</pre>
 */
public final class PostgresExtension implements BeforeEachCallback, AfterEachCallback {

  private static final AtomicLong COUNTER = new AtomicLong();
  private static EmbeddedPostgresServer server;

  private String database;
  private String jdbcUrl;

  /** The shared server of this JVM, started on first use and stopped when the JVM exits. */
  public static synchronized EmbeddedPostgresServer server() {
    if (server == null) {
      try {
        server = EmbeddedPostgresServer.startOrConnect();
      } catch (Exception e) {
        throw new IllegalStateException(
            "Could not start the embedded PostgreSQL server (or reach "
                + EmbeddedPostgresServer.URL_ENV
                + "): "
                + e.getMessage(),
            e);
      }
      EmbeddedPostgresServer started = server;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      started.close();
                    } catch (Exception ignored) {
                      // The JVM is exiting; the server's files go with its temp directory.
                    }
                  }));
    }
    return server;
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    String method = context.getTestMethod().map(m -> m.getName()).orElse("test");
    database =
        ("t_" + method.replaceAll("[^A-Za-z0-9]", "_") + "_" + COUNTER.incrementAndGet())
            .toLowerCase(Locale.ROOT);
    if (database.length() > 60) {
      database = database.substring(database.length() - 60);
    }
    jdbcUrl = server().createDatabase(database);
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    if (database != null) {
      server().dropDatabase(database);
    }
  }

  /** The JDBC URL of this test's database. */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  /** The user to connect with (null when the URL carries it). */
  public String user() {
    return server().user();
  }

  /** The password to connect with (null when the URL carries it). */
  public String password() {
    return server().password();
  }

  /** The name of this test's database. */
  public String database() {
    return database;
  }

  /** A new connection to this test's database. */
  public Connection connect() throws SQLException {
    return server().connect(jdbcUrl);
  }
}
