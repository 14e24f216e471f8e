package dev.mssql2mz.sink;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

/**
 * The Materialize-rules guard of the whole test JVM. {@link #install()} puts a JDBC driver in front
 * of pgjdbc that wraps every connection a Materialize-dialect sink opens (recognised by its session
 * name, {@code mssql2mz-materialize-writer} or {@code -committer}, see {@link
 * TargetConnector#applicationName}): the sink's own connections inside MiniCluster jobs of any test
 * (sink, pipeline, CLI, failover, Flink SQL), not only the ones a test makes by hand. Tests that
 * drive the dialect on their own connections wrap them with {@link #wrap}.
 *
 * <p>Each wrapped connection checks every statement (plain, prepared, COPY) with {@link
 * MaterializeRules}. A violation is refused the way Materialize would refuse it (an {@link
 * SQLException}, state 0A000) and recorded; {@link MaterializeGuardExtension}, registered for every
 * test class by JUnit's extension auto-detection, fails the test that caused it.
 */
public final class MaterializeGuard {

  /** Session names of the Materialize dialect's connections start with this. */
  static final String MATERIALIZE_SESSIONS = "mssql2mz-materialize-";

  private static final List<String> VIOLATIONS = Collections.synchronizedList(new ArrayList<>());
  private static final AtomicLong CONNECTIONS = new AtomicLong();
  private static final AtomicLong STATEMENTS = new AtomicLong();
  private static boolean installed;

  private MaterializeGuard() {}

  /** Puts the guarding driver in front of pgjdbc, once per JVM. */
  public static synchronized void install() {
    if (installed) {
      return;
    }
    try {
      GuardingDriver guarding = new GuardingDriver(new org.postgresql.Driver());
      for (Driver d : Collections.list(DriverManager.getDrivers())) {
        if (d instanceof org.postgresql.Driver) {
          DriverManager.deregisterDriver(d);
        }
      }
      DriverManager.registerDriver(guarding);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot install the Materialize-rules guard", e);
    }
    installed = true;
  }

  /** Wraps a connection a test drives the Materialize dialect through. */
  public static Connection wrap(Connection connection) {
    CONNECTIONS.incrementAndGet();
    return (Connection)
        Proxy.newProxyInstance(
            MaterializeGuard.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            new ConnectionHandler(connection));
  }

  /** Connections wrapped so far in this JVM. */
  public static long connectionsGuarded() {
    return CONNECTIONS.get();
  }

  /** Statements checked so far in this JVM. */
  public static long statementsChecked() {
    return STATEMENTS.get();
  }

  /** The violations recorded since the last {@link #takeViolations()}. */
  public static List<String> violations() {
    synchronized (VIOLATIONS) {
      return new ArrayList<>(VIOLATIONS);
    }
  }

  /** Returns and forgets the violations recorded so far. */
  public static List<String> takeViolations() {
    synchronized (VIOLATIONS) {
      List<String> v = new ArrayList<>(VIOLATIONS);
      VIOLATIONS.clear();
      return v;
    }
  }

  private static void check(MaterializeRules rules, String sql) throws SQLException {
    STATEMENTS.incrementAndGet();
    String violation = rules.check(sql);
    if (violation != null) {
      String text = violation + ": " + sql;
      VIOLATIONS.add(text);
      throw new SQLException("Materialize would reject this statement: " + text, "0A000");
    }
  }

  /** pgjdbc, with the connections of Materialize-dialect sink sessions wrapped. */
  private static final class GuardingDriver implements Driver {
    private final org.postgresql.Driver delegate;

    GuardingDriver(org.postgresql.Driver delegate) {
      this.delegate = delegate;
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
      if (!delegate.acceptsURL(url)) {
        return null;
      }
      Connection c = delegate.connect(url, info);
      Properties merged = org.postgresql.Driver.parseURL(url, info);
      String session = merged == null ? null : merged.getProperty("ApplicationName");
      if (c != null && session != null && session.startsWith(MATERIALIZE_SESSIONS)) {
        return wrap(c);
      }
      return c;
    }

    @Override
    public boolean acceptsURL(String url) throws SQLException {
      return delegate.acceptsURL(url);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
      return delegate.getPropertyInfo(url, info);
    }

    @Override
    public int getMajorVersion() {
      return delegate.getMajorVersion();
    }

    @Override
    public int getMinorVersion() {
      return delegate.getMinorVersion();
    }

    @Override
    public boolean jdbcCompliant() {
      return delegate.jdbcCompliant();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      return delegate.getParentLogger();
    }
  }

  /** Tracks the connection's transactions and checks every statement it runs. */
  private static final class ConnectionHandler implements InvocationHandler {
    private final Connection real;
    private final MaterializeRules rules = new MaterializeRules();

    ConnectionHandler(Connection real) {
      this.real = real;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      switch (method.getName()) {
        case "setAutoCommit":
          rules.autoCommit((Boolean) args[0]);
          break;
        case "commit":
        case "rollback":
          rules.transactionEnded();
          break;
        case "unwrap":
          if (args[0] == PGConnection.class) {
            return pgConnection();
          }
          break;
        case "createStatement":
          return statement((Statement) forward(method, args), Statement.class, null);
        case "prepareStatement":
          return statement(
              (Statement) forward(method, args), PreparedStatement.class, (String) args[0]);
        case "prepareCall":
          check(rules, (String) args[0]);
          break;
        default:
          break;
      }
      return forward(method, args);
    }

    private Object forward(Method method, Object[] args) throws Throwable {
      try {
        return method.invoke(real, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }

    private Object statement(Statement s, Class<?> type, String preparedSql) {
      return Proxy.newProxyInstance(
          MaterializeGuard.class.getClassLoader(),
          new Class<?>[] {type},
          (proxy, method, args) -> {
            String name = method.getName();
            if (name.startsWith("execute") || name.equals("addBatch")) {
              String sql =
                  args != null && args.length > 0 && args[0] instanceof String
                      ? (String) args[0]
                      : preparedSql;
              if (sql != null && !name.equals("executeBatch")) {
                check(rules, sql);
              }
            }
            try {
              return method.invoke(s, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          });
    }

    /** pgjdbc's extension API, with COPY FROM STDIN checked like any other statement. */
    private PGConnection pgConnection() throws SQLException {
      PGConnection pg = real.unwrap(PGConnection.class);
      CopyManager inner = pg.getCopyAPI();
      CopyManager checked =
          new CopyManager(real.unwrap(BaseConnection.class)) {
            @Override
            public long copyIn(String sql, InputStream from) throws SQLException, IOException {
              check(rules, sql);
              return inner.copyIn(sql, from);
            }

            @Override
            public long copyIn(String sql, Reader from) throws SQLException, IOException {
              check(rules, sql);
              return inner.copyIn(sql, from);
            }
          };
      return (PGConnection)
          Proxy.newProxyInstance(
              MaterializeGuard.class.getClassLoader(),
              new Class<?>[] {PGConnection.class},
              (proxy, method, args) -> {
                if (method.getName().equals("getCopyAPI")) {
                  return checked;
                }
                try {
                  return method.invoke(pg, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
              });
    }
  }
}
