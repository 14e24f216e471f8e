package dev.mssql2mz.sink;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens connections to the target, retrying with exponential back-off until the connect timeout: a
 * target that restarts or is briefly unreachable delays the job instead of failing it.
 */
final class TargetConnector {

  private static final Logger LOG = LoggerFactory.getLogger(TargetConnector.class);

  private final SinkSettings settings;
  private final ConnectionDecorator.Role role;

  TargetConnector(SinkSettings settings, ConnectionDecorator.Role role) {
    this.settings = settings;
    this.role = role;
  }

  Connection open() throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + settings.connectTimeout.toNanos();
    int attempt = 0;
    while (true) {
      attempt++;
      try {
        Connection c = DriverManager.getConnection(settings.url, properties());
        c.setAutoCommit(true);
        return settings.decorator == null ? c : settings.decorator.decorate(c, role);
      } catch (SQLException e) {
        long waitMs = settings.backoffMillis(attempt);
        if (System.nanoTime() + waitMs * 1_000_000L > deadline) {
          throw new SQLException(
              "Cannot connect to the target "
                  + settings.redactedUrl()
                  + " as "
                  + settings.user
                  + " after "
                  + attempt
                  + " attempts: "
                  + e.getMessage()
                  + ". Check that the target is running and reachable, the user and password,"
                  + " and the SSL mode.",
              e.getSQLState(),
              e);
        }
        if (attempt == 1) {
          LOG.warn(
              "Target {} unreachable ({}), retrying for up to {}",
              settings.redactedUrl(),
              e.getMessage(),
              settings.connectTimeout);
        }
        Thread.sleep(waitMs);
      }
    }
  }

  /**
   * One attempt, no retries: for a check before the job starts, where a wrong password or host
   * should be reported at once instead of after the connect timeout.
   */
  void check() throws TargetUnreachableException {
    try (Connection c = DriverManager.getConnection(settings.url, properties())) {
      c.isValid(5);
    } catch (SQLException e) {
      throw new TargetUnreachableException(
          "Cannot connect to the target "
              + settings.redactedUrl()
              + (settings.user != null ? " as " + settings.user : "")
              + ": "
              + e.getMessage()
              + ". Fix: check that the target runs and is reachable, and check target.url,"
              + " target.user, target.password and target.ssl-mode.",
          e);
    }
  }

  private Properties properties() {
    Properties p = new Properties();
    if (settings.user != null) {
      p.setProperty("user", settings.user);
    }
    String password = settings.revealPassword();
    if (password != null) {
      p.setProperty("password", password);
    }
    if (settings.sslMode != null) {
      p.setProperty("sslmode", settings.sslMode.pgjdbcValue());
    }
    if (settings.sslRootCert != null) {
      p.setProperty("sslrootcert", settings.sslRootCert);
    }
    p.setProperty("ApplicationName", applicationName(settings.dialect, role));
    return p;
  }

  /**
   * How the sink's sessions name themselves on the target ({@code pg_stat_activity}, Materialize's
   * {@code mz_sessions}): {@code mssql2mz-<dialect>-<role>}, e.g. {@code
   * mssql2mz-materialize-writer}. Tests key their Materialize-rules guard on it.
   */
  static String applicationName(TargetDialect dialect, ConnectionDecorator.Role role) {
    return "mssql2mz-" + dialect.name() + "-" + role.name().toLowerCase(java.util.Locale.ROOT);
  }
}
