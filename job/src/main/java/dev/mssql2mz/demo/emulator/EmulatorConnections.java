package dev.mssql2mz.demo.emulator;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.BatchUpdateException;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JDBC objects the emulator hands out: proxies over H2's that send every statement through
 * {@link TsqlRewrites} and {@link EmulatorSession}. Statements, prepared and callable statements
 * and the database metadata are wrapped too ({@code getConnection()} returns the proxy), so no SQL
 * reaches H2 unrewritten.
 */
final class EmulatorConnections {

  private static final AtomicInteger SAVEPOINT_IDS = new AtomicInteger();

  private EmulatorConnections() {}

  static Connection connection(EmulatorSession session, String url) {
    ConnectionHandler handler = new ConnectionHandler(session, url);
    Connection proxy =
        (Connection)
            Proxy.newProxyInstance(
                EmulatorConnections.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                handler);
    handler.proxy = proxy;
    return proxy;
  }

  private static Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static final class ConnectionHandler implements InvocationHandler {
    private final EmulatorSession session;
    private final String url;
    private Connection proxy;

    ConnectionHandler(EmulatorSession session, String url) {
      this.session = session;
      this.url = url;
    }

    @Override
    public Object invoke(Object p, Method method, Object[] args) throws Throwable {
      switch (method.getName()) {
        case "createStatement":
          return wrap(Statement.class, call(session.h2, method, args), null, List.of());
        case "prepareStatement":
        case "prepareCall":
          {
            List<String> statements = TsqlRewrites.splitBatch((String) args[0]);
            List<TsqlCommand> prefix = new ArrayList<>();
            for (int i = 0; i < statements.size() - 1; i++) {
              prefix.add(TsqlRewrites.rewrite(statements.get(i)));
            }
            TsqlCommand command = TsqlRewrites.rewrite(last(statements));
            Object[] h2Args = args.clone();
            h2Args[0] = command.kind() == TsqlCommand.Kind.SQL ? command.sql() : "SELECT 1";
            Class<?> type =
                method.getName().equals("prepareCall")
                    ? CallableStatement.class
                    : PreparedStatement.class;
            return wrap(type, call(session.h2, method, h2Args), command, prefix);
          }
        case "nativeSQL":
          {
            TsqlCommand command = TsqlRewrites.rewrite((String) args[0]);
            return command.kind() == TsqlCommand.Kind.SQL ? command.sql() : args[0];
          }
        case "setAutoCommit":
          session.setAutoCommit((Boolean) args[0]);
          return null;
        case "getAutoCommit":
          return session.autoCommit();
        case "commit":
          session.commit();
          return null;
        case "rollback":
          if (args == null || args.length == 0) {
            session.rollback();
          } else {
            session.rollbackTo(((Savepoint) args[0]).getSavepointName());
          }
          return null;
        case "setSavepoint":
          {
            String name =
                args == null || args.length == 0
                    ? "jdbc_savepoint_" + SAVEPOINT_IDS.incrementAndGet()
                    : (String) args[0];
            session.save(name);
            return new NamedSavepoint(name);
          }
        case "releaseSavepoint":
          return null;
        case "setTransactionIsolation":
          session.setIsolation((Integer) args[0]);
          return null;
        case "getTransactionIsolation":
          return session.isolation();
        case "close":
          session.close();
          return null;
        case "isClosed":
          return session.isClosed();
        case "isValid":
          return !session.isClosed();
        case "getMetaData":
          return metadata(session, (DatabaseMetaData) call(session.h2, method, args), proxy, url);
        case "getCatalog":
          return session.emulator.database();
        case "setCatalog":
          session.run(
              TsqlRewrites.rewrite("USE " + ObjectName.quote((String) args[0])), null, null);
          return null;
        case "unwrap":
          if (args[0] == EmulatorSession.class) {
            return session;
          }
          return ((Class<?>) args[0]).isInstance(p) ? p : call(session.h2, method, args);
        case "isWrapperFor":
          return ((Class<?>) args[0]).isInstance(p) || (Boolean) call(session.h2, method, args);
        case "equals":
          return p == args[0];
        case "hashCode":
          return System.identityHashCode(p);
        case "toString":
          return "EmulatorConnection["
              + url
              + ", user "
              + session.user
              + ", spid "
              + session.spid
              + "]";
        default:
          return call(session.h2, method, args);
      }
    }

    private Object wrap(
        Class<?> type, Object h2Statement, TsqlCommand prepared, List<TsqlCommand> prefix) {
      StatementHandler handler =
          new StatementHandler(session, (Statement) h2Statement, prepared, prefix, proxy);
      Object stmt =
          Proxy.newProxyInstance(
              EmulatorConnections.class.getClassLoader(), new Class<?>[] {type}, handler);
      handler.self = stmt;
      return stmt;
    }
  }

  private static final class StatementHandler implements InvocationHandler {
    private final EmulatorSession session;
    private final Statement h2;
    private final TsqlCommand prepared;

    /** The statements of a batch before the last one, run before it on every execution. */
    private final List<TsqlCommand> prefix;

    private final Connection connection;
    private final Map<Integer, Object> parameters = new HashMap<>();
    private final List<String> batch = new ArrayList<>();

    /** The parameter setter calls of a prepared SQL statement, by index: replayed per batch row. */
    private final Map<Integer, Object[]> bound = new TreeMap<>();

    /** The bound parameters of each row added to a prepared batch. */
    private final List<List<Object[]>> preparedBatch = new ArrayList<>();

    private boolean lastWasAction;
    private Object self;

    StatementHandler(
        EmulatorSession session,
        Statement h2,
        TsqlCommand prepared,
        List<TsqlCommand> prefix,
        Connection connection) {
      this.session = session;
      this.h2 = h2;
      this.prepared = prepared;
      this.prefix = prefix;
      this.connection = connection;
    }

    @Override
    public Object invoke(Object p, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      boolean withSql = args != null && args.length > 0 && args[0] instanceof String;
      switch (name) {
        case "execute":
        case "executeQuery":
        case "executeUpdate":
        case "executeLargeUpdate":
          if (withSql) {
            List<String> statements = TsqlRewrites.splitBatch((String) args[0]);
            for (int i = 0; i < statements.size() - 1; i++) {
              runAlone(TsqlRewrites.rewrite(statements.get(i)));
            }
            TsqlCommand command = TsqlRewrites.rewrite(last(statements));
            Object[] h2Args = args.clone();
            h2Args[0] = command.sql();
            return execute(command, method, h2Args);
          }
          if (prepared == null) {
            return call(h2, method, args);
          }
          for (TsqlCommand command : prefix) {
            runAlone(command);
          }
          return execute(prepared, method, args);
        case "addBatch":
          if (withSql) {
            batch.add((String) args[0]);
            return null;
          }
          if (prepared != null && prepared.kind() != TsqlCommand.Kind.SQL) {
            throw new SQLException(
                "Batches of '" + prepared.kind() + "' statements are not supported");
          }
          if (prepared == null) {
            return call(h2, method, args);
          }
          preparedBatch.add(new ArrayList<>(bound.values()));
          return null;
        case "clearBatch":
          batch.clear();
          preparedBatch.clear();
          return call(h2, method, args);
        case "executeBatch":
        case "executeLargeBatch":
          if (prepared == null) {
            long[] counts = new long[batch.size()];
            for (int i = 0; i < batch.size(); i++) {
              TsqlCommand command = TsqlRewrites.rewrite(batch.get(i));
              Object n =
                  session.run(
                      command,
                      null,
                      () ->
                          command.kind() == TsqlCommand.Kind.SQL
                              ? (Object) h2.executeLargeUpdate(command.sql())
                              : null);
              counts[i] = n == null ? 0 : ((Number) n).longValue();
            }
            batch.clear();
            if (name.equals("executeLargeBatch")) {
              return counts;
            }
            int[] ints = new int[counts.length];
            for (int i = 0; i < counts.length; i++) {
              ints[i] = (int) counts[i];
            }
            return ints;
          }
          return executePreparedBatch(name.equals("executeLargeBatch"));
        case "getConnection":
          return connection;
        case "getResultSet":
          return lastWasAction ? null : call(h2, method, args);
        case "getUpdateCount":
          return lastWasAction ? -1 : call(h2, method, args);
        case "getLargeUpdateCount":
          return lastWasAction ? -1L : call(h2, method, args);
        case "getMoreResults":
          return lastWasAction ? false : call(h2, method, args);
        case "unwrap":
          return ((Class<?>) args[0]).isInstance(p) ? p : call(h2, method, args);
        case "equals":
          return p == args[0];
        case "hashCode":
          return System.identityHashCode(p);
        case "toString":
          return "EmulatorStatement[" + (prepared == null ? "" : prepared.sql()) + "]";
        default:
          if (name.startsWith("set")
              && prepared != null
              && prepared.kind() != TsqlCommand.Kind.SQL
              && args != null
              && args.length >= 2
              && args[0] instanceof Integer) {
            parameters.put((Integer) args[0], args[1]);
            return null;
          }
          if (name.equals("clearParameters")) {
            parameters.clear();
            bound.clear();
          }
          if (name.startsWith("set")
              && prepared != null
              && args != null
              && args.length >= 2
              && args[0] instanceof Integer) {
            Object[] setter;
            try {
              setter = readOnce(method, args);
            } catch (java.io.IOException e) {
              throw new SQLException(
                  "Could not read the stream for parameter " + args[0] + ": " + e.getMessage(), e);
            }
            bound.put((Integer) args[0], setter);
            return call(h2, (Method) setter[0], (Object[]) setter[1]);
          }
          return call(h2, method, args);
      }
    }

    /**
     * Runs each row of a prepared batch as its own statement, as SQL Server does: each gets its own
     * {@code __$command_id} (and, in auto-commit mode, its own transaction). H2's own batch would
     * be one statement to the emulator.
     */
    private Object executePreparedBatch(boolean large) throws SQLException {
      List<List<Object[]>> rows = new ArrayList<>(preparedBatch);
      preparedBatch.clear();
      long[] counts = new long[rows.size()];
      PreparedStatement ps = (PreparedStatement) h2;
      for (int i = 0; i < rows.size(); i++) {
        ps.clearParameters();
        for (Object[] setter : rows.get(i)) {
          try {
            call(h2, (Method) setter[0], (Object[]) setter[1]);
          } catch (SQLException | RuntimeException e) {
            throw e;
          } catch (Throwable t) {
            throw new SQLException(t);
          }
        }
        try {
          counts[i] = session.run(prepared, null, ps::executeLargeUpdate);
        } catch (SQLException e) {
          long[] done = java.util.Arrays.copyOf(counts, i);
          throw new BatchUpdateException(
              e.getMessage(), e.getSQLState(), e.getErrorCode(), done, e);
        }
      }
      lastWasAction = false;
      if (large) {
        return counts;
      }
      int[] ints = new int[counts.length];
      for (int i = 0; i < counts.length; i++) {
        ints[i] = (int) counts[i];
      }
      return ints;
    }

    /** A leading statement of a batch: run for its effect, its results dropped. */
    private void runAlone(TsqlCommand command) throws SQLException {
      if (command.kind() != TsqlCommand.Kind.SQL) {
        session.run(command, null, null);
        return;
      }
      try (Statement s = h2.getConnection().createStatement()) {
        session.run(command, null, () -> s.execute(command.sql()));
      }
    }

    private Object execute(TsqlCommand command, Method method, Object[] args) throws Throwable {
      if (command.kind() != TsqlCommand.Kind.SQL) {
        session.run(command, parameters, null);
        lastWasAction = true;
        switch (method.getName()) {
          case "executeQuery":
            throw new SQLException("The statement did not return a result set.", "S0001", 0);
          case "execute":
            return false;
          case "executeLargeUpdate":
            return 0L;
          case "executeBatch":
            return new int[0];
          default:
            return 0;
        }
      }
      lastWasAction = false;
      return session.run(
          command,
          null,
          () -> {
            try {
              return EmulatorConnections.call(h2, method, args);
            } catch (SQLException | RuntimeException e) {
              throw e;
            } catch (Throwable t) {
              throw new SQLException(t);
            }
          });
    }
  }

  /**
   * A setter call that can be replayed: a stream or reader argument is read now into bytes or a
   * string (it could be read only once), the call becoming {@code setBytes} or {@code setString}.
   */
  private static Object[] readOnce(Method method, Object[] args)
      throws java.io.IOException, NoSuchMethodException {
    Object value = args[1];
    if (value instanceof java.io.InputStream) {
      byte[] bytes = ((java.io.InputStream) value).readAllBytes();
      if (method.getName().equals("setAsciiStream")) {
        return new Object[] {
          PreparedStatement.class.getMethod("setString", int.class, String.class),
          new Object[] {args[0], new String(bytes, java.nio.charset.StandardCharsets.US_ASCII)}
        };
      }
      return new Object[] {
        PreparedStatement.class.getMethod("setBytes", int.class, byte[].class),
        new Object[] {args[0], bytes}
      };
    }
    if (value instanceof java.io.Reader) {
      StringBuilder text = new StringBuilder();
      ((java.io.Reader) value)
          .transferTo(
              new java.io.Writer() {
                @Override
                public void write(char[] buf, int off, int len) {
                  text.append(buf, off, len);
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}
              });
      return new Object[] {
        PreparedStatement.class.getMethod("setString", int.class, String.class),
        new Object[] {args[0], text.toString()}
      };
    }
    return new Object[] {method, args.clone()};
  }

  private static String last(List<String> statements) {
    return statements.isEmpty() ? "" : statements.get(statements.size() - 1);
  }

  private static DatabaseMetaData metadata(
      EmulatorSession session, DatabaseMetaData h2, Connection connection, String url) {
    return (DatabaseMetaData)
        Proxy.newProxyInstance(
            EmulatorConnections.class.getClassLoader(),
            new Class<?>[] {DatabaseMetaData.class},
            (p, method, args) -> {
              switch (method.getName()) {
                case "getConnection":
                  return connection;
                case "getURL":
                  return url;
                case "getUserName":
                  return session.user;
                case "getDatabaseProductName":
                  return "Microsoft SQL Server";
                case "getDatabaseProductVersion":
                  return "16.00.4135";
                case "getDatabaseMajorVersion":
                  return 16;
                case "getDriverName":
                  return "mssql2mz SQL Server CDC emulator (H2)";
                case "getIdentifierQuoteString":
                  return "\"";
                default:
                  return call(h2, method, args);
              }
            });
  }

  private static final class NamedSavepoint implements Savepoint {
    private final String name;

    NamedSavepoint(String name) {
      this.name = name;
    }

    @Override
    public int getSavepointId() throws SQLException {
      throw new SQLException("This savepoint is named: " + name);
    }

    @Override
    public String getSavepointName() {
      return name;
    }
  }
}
