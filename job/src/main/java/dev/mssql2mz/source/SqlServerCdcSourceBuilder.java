package dev.mssql2mz.source;

import dev.mssql2mz.sqlserver.CapturedTable;
import dev.mssql2mz.sqlserver.CatalogDiscovery;
import dev.mssql2mz.sqlserver.JdbcConnectionFactory;
import dev.mssql2mz.sqlserver.SetupChecker;
import dev.mssql2mz.sqlserver.SourceConfigException;
import dev.mssql2mz.sqlserver.SourceTable;
import dev.mssql2mz.sqlserver.SourceUnreachableException;
import dev.mssql2mz.sqlserver.SqlServerQueries;
import dev.mssql2mz.sqlserver.TableSelection;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a {@link SqlServerCdcSource}. Connection by JDBC URL or host/port/database, a table
 * selection, chunk size and poll interval; {@link #build()} validates the settings and, unless
 * turned off, checks the database set-up and fails with every problem and its fix.
 */
public final class SqlServerCdcSourceBuilder {

  private static final Logger LOG = LoggerFactory.getLogger(SqlServerCdcSourceBuilder.class);

  private String url;
  private String host;
  private int port = 1433;
  private String database;
  private String user;
  private String password;
  private Properties properties = new Properties();
  private TableSelection selection = TableSelection.allTables();
  private int chunkSize = SqlServerCdcSourceOptions.CHUNK_SIZE.defaultValue();
  private int fetchSize = SqlServerCdcSourceOptions.FETCH_SIZE.defaultValue();
  private int pageSize = SqlServerCdcSourceOptions.PAGE_SIZE.defaultValue();
  private Duration pollInterval = SqlServerCdcSourceOptions.POLL_INTERVAL.defaultValue();
  private Duration discoveryInterval = SqlServerCdcSourceOptions.DISCOVERY_INTERVAL.defaultValue();
  private boolean onlyTablesFoundAtBuild;
  private boolean validate = true;
  private JdbcConnectionFactory connectionFactory;

  SqlServerCdcSourceBuilder() {}

  /**
   * Connects as a job config says (TLS mode, SSH tunnel, password secret); replaces the other
   * connection settings.
   */
  public SqlServerCdcSourceBuilder connection(dev.mssql2mz.config.SourceConfig config) {
    this.connectionFactory = JdbcConnectionFactory.fromConfig(config);
    return this;
  }

  /** A full JDBC URL (SQL Server's, or the emulator's {@code jdbc:mssql2mz-emulator:<name>}). */
  public SqlServerCdcSourceBuilder jdbcUrl(String url) {
    this.url = url;
    return this;
  }

  public SqlServerCdcSourceBuilder host(String host) {
    this.host = host;
    return this;
  }

  public SqlServerCdcSourceBuilder port(int port) {
    this.port = port;
    return this;
  }

  public SqlServerCdcSourceBuilder database(String database) {
    this.database = database;
    return this;
  }

  public SqlServerCdcSourceBuilder user(String user) {
    this.user = user;
    return this;
  }

  public SqlServerCdcSourceBuilder password(String password) {
    this.password = password;
    return this;
  }

  /**
   * Extra driver properties, e.g. TLS settings ({@code encrypt}, {@code trustServerCertificate}).
   */
  public SqlServerCdcSourceBuilder driverProperties(Properties properties) {
    this.properties = (Properties) properties.clone();
    return this;
  }

  public SqlServerCdcSourceBuilder tables(TableSelection selection) {
    this.selection = selection;
    return this;
  }

  public SqlServerCdcSourceBuilder chunkSize(int rows) {
    this.chunkSize = rows;
    return this;
  }

  public SqlServerCdcSourceBuilder fetchSize(int rows) {
    this.fetchSize = rows;
    return this;
  }

  public SqlServerCdcSourceBuilder pageSize(int rows) {
    this.pageSize = rows;
    return this;
  }

  public SqlServerCdcSourceBuilder pollInterval(Duration interval) {
    this.pollInterval = interval;
    return this;
  }

  public SqlServerCdcSourceBuilder discoveryInterval(Duration interval) {
    this.discoveryInterval = interval;
    return this;
  }

  /**
   * Reads only the tables the selection covers when {@link #build()} runs (default false: also
   * tables enabled for CDC later). For a downstream built for a fixed set of tables, like the
   * replication job's sink: a table enabled later is then reported in the log, and read once the
   * job is built again (restarted from a savepoint). Needs {@link #validate(boolean) validation}.
   */
  public SqlServerCdcSourceBuilder onlyTablesFoundAtBuild(boolean only) {
    this.onlyTablesFoundAtBuild = only;
    return this;
  }

  /** Whether build() runs the set-up checker against the database (default true). */
  public SqlServerCdcSourceBuilder validate(boolean validate) {
    this.validate = validate;
    return this;
  }

  public SqlServerCdcSource build() {
    if (connectionFactory == null && url == null && (host == null || database == null)) {
      throw new IllegalArgumentException(
          "SQL Server source: set jdbcUrl(...) or host(...) and database(...)");
    }
    positive("chunkSize", chunkSize);
    positive("fetchSize", fetchSize);
    positive("pageSize", pageSize);
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("SQL Server source: pollInterval must be positive");
    }
    if (onlyTablesFoundAtBuild && !validate) {
      throw new IllegalArgumentException(
          "SQL Server source: onlyTablesFoundAtBuild needs validate(true), which finds them");
    }
    JdbcConnectionFactory connections =
        connectionFactory != null
            ? connectionFactory
            : url != null
                ? new JdbcConnectionFactory(url, user, password, properties)
                : JdbcConnectionFactory.forSqlServer(
                    host, port, database, user, password, properties);
    List<SourceTable> tables = List.of();
    if (validate) {
      try (Connection c = open(connections)) {
        SetupChecker checker = new SetupChecker(c, selection);
        List<String> problems = checker.problems();
        if (!problems.isEmpty()) {
          throw new SourceConfigException(problems);
        }
        for (String w : checker.warnings()) {
          LOG.warn(w);
        }
        tables =
            selection.resolve(CatalogDiscovery.discover(c), SqlServerQueries.tables(c)).stream()
                .map(CapturedTable::table)
                .toList();
      } catch (SQLException e) {
        throw new IllegalStateException(
            "SQL Server source: reading the catalog of "
                + connections
                + " failed: "
                + e.getMessage(),
            e);
      }
    }
    Set<String> only =
        onlyTablesFoundAtBuild
            ? tables.stream().map(SourceTable::qualifiedName).collect(Collectors.toSet())
            : null;
    SqlServerSourceConfig config =
        new SqlServerSourceConfig(
            connections,
            selection,
            chunkSize,
            fetchSize,
            pageSize,
            pollInterval,
            discoveryInterval,
            0,
            only == null ? null : Set.copyOf(only));
    return new SqlServerCdcSource(config, tables);
  }

  private static Connection open(JdbcConnectionFactory connections) {
    try {
      return connections.open();
    } catch (SQLException e) {
      throw new SourceUnreachableException(
          e.getMessage().startsWith("Cannot connect to SQL Server")
              ? e.getMessage()
              : "Cannot connect to SQL Server at " + connections + ": " + e.getMessage(),
          e);
    }
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(
          "SQL Server source: " + name + " must be at least 1, got " + value);
    }
  }
}
