package dev.mssql2mz.demo.emulator;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The JDBC driver of the SQL Server CDC emulator: URLs {@code jdbc:mssql2mz-emulator:<name>} reach
 * the running {@link SqlServerEmulator} of that name in this JVM, with properties {@code user} and
 * {@code password}. Registered with {@link DriverManager} when the class loads and through {@code
 * META-INF/services/java.sql.Driver}.
 */
public final class EmulatorDriver implements Driver {

  /** Every emulator URL starts with this. */
  public static final String URL_PREFIX = "jdbc:mssql2mz-emulator:";

  private static final Map<String, SqlServerEmulator> BY_NAME = new ConcurrentHashMap<>();
  private static final Map<String, SqlServerEmulator> BY_H2_NAME = new ConcurrentHashMap<>();

  static {
    try {
      DriverManager.registerDriver(new EmulatorDriver());
    } catch (SQLException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Makes sure the driver is registered (loading this class registers it). */
  public static void load() {}

  static String register(SqlServerEmulator emulator, String preferredName, String h2Name) {
    String name = preferredName;
    int n = 1;
    while (BY_NAME.putIfAbsent(name, emulator) != null) {
      name = preferredName + "-" + (++n);
    }
    BY_H2_NAME.put(h2Name, emulator);
    return name;
  }

  static void unregister(String name, String h2Name) {
    BY_NAME.remove(name);
    BY_H2_NAME.remove(h2Name);
  }

  /** The emulator owning an H2 database (from a function's or trigger's connection catalog). */
  static SqlServerEmulator byH2Name(String h2Name) throws SQLException {
    SqlServerEmulator emulator = BY_H2_NAME.get(h2Name);
    if (emulator == null) {
      throw new SQLException("No SQL Server emulator owns the H2 database " + h2Name);
    }
    return emulator;
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null;
    }
    String name = url.substring(URL_PREFIX.length());
    int semicolon = name.indexOf(';');
    if (semicolon >= 0) {
      name = name.substring(0, semicolon);
    }
    SqlServerEmulator emulator = BY_NAME.get(name);
    if (emulator == null) {
      throw new SQLException(
          "No SQL Server emulator named '"
              + name
              + "' runs in this JVM (running: "
              + BY_NAME.keySet()
              + "). Start one with SqlServerEmulator.builder()...build() and use its jdbcUrl().",
          "08001");
    }
    Properties p = info == null ? new Properties() : info;
    return emulator.connect(p.getProperty("user"), p.getProperty("password"));
  }

  @Override
  public boolean acceptsURL(String url) {
    return url != null && url.startsWith(URL_PREFIX);
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
    return new DriverPropertyInfo[] {
      new DriverPropertyInfo("user", info == null ? null : info.getProperty("user")),
      new DriverPropertyInfo("password", null)
    };
  }

  @Override
  public int getMajorVersion() {
    return 1;
  }

  @Override
  public int getMinorVersion() {
    return 0;
  }

  @Override
  public boolean jdbcCompliant() {
    return false;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }
}
