package dev.mssql2mz.sink;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

/**
 * A {@link ConnectionDecorator} for tests: records every statement the sink sends (and the rows and
 * bytes of each COPY) and runs the test's {@link Fault} around it. Materialize's rules are checked
 * beneath it by the {@link MaterializeGuard}, for every Materialize-dialect connection. State is
 * static because Flink serializes the decorator into its tasks; tests call {@link #reset()} first.
 */
final class GuardedConnections implements ConnectionDecorator {

  private static final long serialVersionUID = 1L;

  private static final List<String> STATEMENTS = Collections.synchronizedList(new ArrayList<>());
  private static final List<Integer> COPY_ROWS = Collections.synchronizedList(new ArrayList<>());
  private static final List<Integer> COPY_BYTES = Collections.synchronizedList(new ArrayList<>());
  private static volatile Fault fault = Fault.NONE;

  /** Runs around every statement; throws to inject a failure. */
  interface Fault {
    Fault NONE = new Fault() {};

    default void before(String sql, Role role) {}

    default void after(String sql, Role role) {}

    /** How many times the fault has thrown so far. */
    default int fired() {
      return 0;
    }
  }

  /**
   * A fault like a dropped connection: a {@link java.sql.SQLException} before the first {@code n}
   * statements matching {@code sqlPart}.
   */
  static Fault sqlErrors(String sqlPart, Role role, int n) {
    AtomicInteger left = new AtomicInteger(n);
    AtomicInteger fired = new AtomicInteger();
    return new Fault() {
      @Override
      public void before(String sql, Role r) {
        if (r == role && sql.contains(sqlPart) && left.getAndDecrement() > 0) {
          fired.incrementAndGet();
          sneakyThrow(
              new java.sql.SQLException("Injected connection loss before: " + sql, "08006"));
        }
      }

      @Override
      public int fired() {
        return fired.get();
      }
    };
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> void sneakyThrow(Throwable e) throws E {
    throw (E) e;
  }

  /** A fault that throws once, before or after the first statement matching {@code sqlPart}. */
  static Fault failOnce(String sqlPart, Role role, boolean afterExecution) {
    AtomicInteger left = new AtomicInteger(1);
    AtomicInteger fired = new AtomicInteger();
    return new Fault() {
      @Override
      public int fired() {
        return fired.get();
      }

      @Override
      public void before(String sql, Role r) {
        if (!afterExecution) {
          maybeFail(sql, r);
        }
      }

      @Override
      public void after(String sql, Role r) {
        if (afterExecution) {
          maybeFail(sql, r);
        }
      }

      private void maybeFail(String sql, Role r) {
        if ((role == null || r == role) && sql.contains(sqlPart) && left.getAndDecrement() > 0) {
          fired.incrementAndGet();
          throw new IllegalStateException(
              "Injected failure " + (afterExecution ? "after" : "before") + ": " + sql);
        }
      }
    };
  }

  static void reset() {
    STATEMENTS.clear();
    COPY_ROWS.clear();
    COPY_BYTES.clear();
    fault = Fault.NONE;
  }

  static void setFault(Fault f) {
    fault = f;
  }

  static List<String> statements() {
    synchronized (STATEMENTS) {
      return new ArrayList<>(STATEMENTS);
    }
  }

  /** Rows sent by each COPY statement, in order. */
  static List<Integer> copyRows() {
    synchronized (COPY_ROWS) {
      return new ArrayList<>(COPY_ROWS);
    }
  }

  /** Bytes sent by each COPY statement, in order. */
  static List<Integer> copyBytes() {
    synchronized (COPY_BYTES) {
      return new ArrayList<>(COPY_BYTES);
    }
  }

  /** The Materialize-rules violations the guard beneath recorded (and refused) so far. */
  static List<String> violations() {
    return MaterializeGuard.violations();
  }

  @Override
  public Connection decorate(Connection connection, Role role) {
    return (Connection)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {Connection.class},
            new ConnectionHandler(connection, role));
  }

  private static void run(String sql, Role role) {
    STATEMENTS.add(sql);
    fault.before(sql, role);
  }

  private final class ConnectionHandler implements InvocationHandler {
    private final Connection real;
    private final Role role;

    ConnectionHandler(Connection real, Role role) {
      this.real = real;
      this.role = role;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      if (name.equals("commit")) {
        fault.before("COMMIT", role);
        Object result = invokeReal(method, args);
        fault.after("COMMIT", role);
        return result;
      } else if (name.equals("unwrap") && args[0] == PGConnection.class) {
        return pgConnection();
      } else if (name.equals("createStatement")) {
        Statement s = (Statement) invokeReal(method, args);
        return wrapStatement(s, Statement.class, null);
      } else if (name.equals("prepareStatement")) {
        PreparedStatement ps = (PreparedStatement) invokeReal(method, args);
        return wrapStatement(ps, PreparedStatement.class, (String) args[0]);
      }
      return invokeReal(method, args);
    }

    private Object invokeReal(Method method, Object[] args) throws Throwable {
      try {
        return method.invoke(real, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }

    private Object wrapStatement(Statement s, Class<?> type, String preparedSql) {
      return Proxy.newProxyInstance(
          getClass().getClassLoader(),
          new Class<?>[] {type},
          (proxy, method, args) -> {
            String name = method.getName();
            boolean executes = name.startsWith("execute");
            String sql = null;
            if (executes) {
              sql =
                  args != null && args.length > 0 && args[0] instanceof String
                      ? (String) args[0]
                      : preparedSql;
              run(sql, role);
            }
            Object result;
            try {
              result = method.invoke(s, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
            if (executes) {
              fault.after(sql, role);
            }
            return result;
          });
    }

    /** COPY goes through the connection beneath (the guard's copy API), recorded on the way. */
    private PGConnection pgConnection() throws SQLException {
      PGConnection pg = real.unwrap(PGConnection.class);
      CopyManager inner = pg.getCopyAPI();
      CopyManager copy =
          new CopyManager(real.unwrap(BaseConnection.class)) {
            @Override
            public long copyIn(String sql, Reader from) throws SQLException, IOException {
              StringBuilder text = new StringBuilder();
              char[] buf = new char[8192];
              for (int r; (r = from.read(buf)) > 0; ) {
                text.append(buf, 0, r);
              }
              byte[] bytes = text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
              return copyIn(sql, new java.io.ByteArrayInputStream(bytes));
            }

            // The sink sends COPY data as UTF-8 bytes (see ChangeTableDialect.copy).
            @Override
            public long copyIn(String sql, java.io.InputStream from)
                throws SQLException, IOException {
              run(sql, role);
              byte[] bytes = from.readAllBytes();
              int rows = 0;
              for (byte b : bytes) {
                rows += b == '\n' ? 1 : 0;
              }
              COPY_ROWS.add(rows);
              COPY_BYTES.add(bytes.length);
              long n = inner.copyIn(sql, new java.io.ByteArrayInputStream(bytes));
              fault.after(sql, role);
              return n;
            }
          };
      return (PGConnection)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {PGConnection.class},
              (proxy, method, args) -> {
                if (method.getName().equals("getCopyAPI")) {
                  return copy;
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
