package dev.mssql2mz.table;

import static dev.mssql2mz.table.SqlServerCdcTableOptions.DATABASE_NAME;
import static dev.mssql2mz.table.SqlServerCdcTableOptions.HOSTNAME;
import static dev.mssql2mz.table.SqlServerCdcTableOptions.JDBC_URL;
import static dev.mssql2mz.table.SqlServerCdcTableOptions.PASSWORD;
import static dev.mssql2mz.table.SqlServerCdcTableOptions.PORT;
import static dev.mssql2mz.table.SqlServerCdcTableOptions.SCAN_STARTUP_MODE;
import static dev.mssql2mz.table.SqlServerCdcTableOptions.SSL_CA;
import static dev.mssql2mz.table.SqlServerCdcTableOptions.SSL_MODE;
import static dev.mssql2mz.table.SqlServerCdcTableOptions.TABLE_NAME;
import static dev.mssql2mz.table.SqlServerCdcTableOptions.USERNAME;

import dev.mssql2mz.config.Secret;
import dev.mssql2mz.config.SourceConfig;
import dev.mssql2mz.config.TableRef;
import dev.mssql2mz.source.SqlServerCdcSourceOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.catalog.UniqueConstraint;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.logical.LogicalType;

/**
 * {@code 'connector' = 'mssql2mz-sqlserver'}: one CDC-enabled SQL Server table as a Flink SQL
 * changelog, snapshot then changes, exactly once. Option names follow Flink CDC's {@code
 * sqlserver-cdc} where they mean the same ({@link SqlServerCdcTableOptions}).
 *
 * <pre>{@code
 * CREATE TABLE orders (id BIGINT, status STRING, PRIMARY KEY (id) NOT ENFORCED) WITH (
 *   'connector' = 'mssql2mz-sqlserver', 'hostname' = 'sql1', 'database-name' = 'shop',
 *   'username' = 'mssql2mz', 'password' = '...', 'table-name' = 'dbo.orders');
 * }</pre>
 */
public final class SqlServerCdcTableFactory implements DynamicTableSourceFactory {

  public static final String IDENTIFIER = "mssql2mz-sqlserver";

  @Override
  public String factoryIdentifier() {
    return IDENTIFIER;
  }

  @Override
  public Set<ConfigOption<?>> requiredOptions() {
    return Set.of(USERNAME, TABLE_NAME);
  }

  @Override
  public Set<ConfigOption<?>> optionalOptions() {
    return Set.of(
        HOSTNAME,
        PORT,
        PASSWORD,
        DATABASE_NAME,
        SCAN_STARTUP_MODE,
        JDBC_URL,
        SSL_MODE,
        SSL_CA,
        SqlServerCdcSourceOptions.CHUNK_SIZE,
        SqlServerCdcSourceOptions.FETCH_SIZE,
        SqlServerCdcSourceOptions.POLL_INTERVAL);
  }

  @Override
  public DynamicTableSource createDynamicTableSource(Context context) {
    FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
    helper.validate();
    ReadableConfig options = helper.getOptions();
    String flinkTable = context.getObjectIdentifier().asSummaryString();

    String startup = options.get(SCAN_STARTUP_MODE);
    if (!SqlServerCdcTableOptions.STARTUP_INITIAL.equals(startup)) {
      throw new ValidationException(
          "Option '"
              + SCAN_STARTUP_MODE.key()
              + "' of table "
              + flinkTable
              + " is '"
              + startup
              + "'; only 'initial' (a consistent snapshot, then the changes) is offered.");
    }
    TableRef table;
    try {
      table = TableRef.parse(options.get(TABLE_NAME));
    } catch (IllegalArgumentException e) {
      throw new ValidationException(
          "Option '"
              + TABLE_NAME.key()
              + "' of table "
              + flinkTable
              + " must be schema.table (quote other names with [..]): "
              + e.getMessage());
    }
    positive(flinkTable, options, SqlServerCdcSourceOptions.CHUNK_SIZE);
    positive(flinkTable, options, SqlServerCdcSourceOptions.FETCH_SIZE);

    ResolvedSchema schema = context.getCatalogTable().getResolvedSchema();
    List<String> names = new ArrayList<>();
    List<LogicalType> types = new ArrayList<>();
    for (Column c : schema.getColumns()) {
      if (!c.isPhysical()) {
        throw new ValidationException(
            "Column '"
                + c.getName()
                + "' of table "
                + flinkTable
                + " is computed or metadata; the "
                + IDENTIFIER
                + " connector offers physical columns only.");
      }
      names.add(c.getName());
      types.add(c.getDataType().getLogicalType());
    }
    List<String> key = schema.getPrimaryKey().map(UniqueConstraint::getColumns).orElse(List.of());

    return new SqlServerCdcTableSource(
        flinkTable,
        connection(flinkTable, options),
        table,
        new SourceRowMapping.DeclaredSchema(names, types, key),
        context.getPhysicalRowDataType(),
        options.get(SqlServerCdcSourceOptions.CHUNK_SIZE),
        options.get(SqlServerCdcSourceOptions.FETCH_SIZE),
        options.get(SqlServerCdcSourceOptions.POLL_INTERVAL));
  }

  private static SourceConfig connection(String flinkTable, ReadableConfig options) {
    SourceConfig.Builder b =
        SourceConfig.builder()
            .user(options.get(USERNAME))
            .port(options.get(PORT))
            .sslMode(OptionValues.sslMode(SSL_MODE.key(), options.get(SSL_MODE)));
    options.getOptional(PASSWORD).ifPresent(p -> b.password(Secret.literal(PASSWORD.key(), p)));
    options.getOptional(SSL_CA).ifPresent(b::sslCa);
    if (options.getOptional(JDBC_URL).isPresent()) {
      b.jdbcUrl(options.get(JDBC_URL));
    } else {
      for (ConfigOption<String> o : List.of(HOSTNAME, DATABASE_NAME)) {
        if (options.getOptional(o).isEmpty()) {
          throw new ValidationException(
              "Table "
                  + flinkTable
                  + " needs option '"
                  + o.key()
                  + "' (or '"
                  + JDBC_URL.key()
                  + "' instead of '"
                  + HOSTNAME.key()
                  + "', '"
                  + PORT.key()
                  + "' and '"
                  + DATABASE_NAME.key()
                  + "').");
        }
      }
      b.host(options.get(HOSTNAME)).database(options.get(DATABASE_NAME));
    }
    int port = options.get(PORT);
    if (port < 1 || port > 65535) {
      throw new ValidationException(
          "Option '" + PORT.key() + "' of table " + flinkTable + " must be 1..65535, got " + port);
    }
    return b.build();
  }

  private static void positive(String flinkTable, ReadableConfig options, ConfigOption<Integer> o) {
    if (options.get(o) < 1) {
      throw new ValidationException(
          "Option '"
              + o.key()
              + "' of table "
              + flinkTable
              + " must be at least 1, got "
              + options.get(o));
    }
  }
}
