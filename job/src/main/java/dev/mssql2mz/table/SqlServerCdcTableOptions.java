package dev.mssql2mz.table;

import dev.mssql2mz.config.SslMode;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Options of the {@code mssql2mz-sqlserver} Flink SQL source. Names are Flink CDC's {@code
 * sqlserver-cdc} names where they mean the same; the chunk, fetch and poll options are those of
 * {@link dev.mssql2mz.source.SqlServerCdcSourceOptions}.
 */
public final class SqlServerCdcTableOptions {

  private SqlServerCdcTableOptions() {}

  public static final ConfigOption<String> HOSTNAME =
      ConfigOptions.key("hostname")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Host name or IP address of SQL Server. Required unless 'jdbc-url' is given.");

  public static final ConfigOption<Integer> PORT =
      ConfigOptions.key("port").intType().defaultValue(1433).withDescription("SQL Server's port.");

  public static final ConfigOption<String> USERNAME =
      ConfigOptions.key("username").stringType().noDefaultValue().withDescription("Login name.");

  public static final ConfigOption<String> PASSWORD =
      ConfigOptions.key("password")
          .stringType()
          .noDefaultValue()
          .withDescription("Password of the login; never printed.");

  public static final ConfigOption<String> DATABASE_NAME =
      ConfigOptions.key("database-name")
          .stringType()
          .noDefaultValue()
          .withDescription("The database with CDC enabled. Required unless 'jdbc-url' is given.");

  public static final ConfigOption<String> TABLE_NAME =
      ConfigOptions.key("table-name")
          .stringType()
          .noDefaultValue()
          .withDescription("The CDC-enabled table as schema.table; quote other names with [..].");

  /** The only startup mode offered: a consistent snapshot, then the changes. */
  public static final String STARTUP_INITIAL = "initial";

  public static final ConfigOption<String> SCAN_STARTUP_MODE =
      ConfigOptions.key("scan.startup.mode")
          .stringType()
          .defaultValue(STARTUP_INITIAL)
          .withDescription(
              "Where reading starts: 'initial' takes a consistent snapshot, then follows the"
                  + " changes. The only mode offered.");

  public static final ConfigOption<String> JDBC_URL =
      ConfigOptions.key("jdbc-url")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "A full JDBC URL instead of hostname/port/database-name/ssl-mode, e.g."
                  + " jdbc:mssql2mz-emulator:demo for the emulator.");

  public static final ConfigOption<String> SSL_MODE =
      ConfigOptions.key("ssl-mode")
          .stringType()
          .defaultValue(SslMode.REQUIRED.configName())
          .withDescription(
              "TLS to SQL Server: disabled, required, verify-ca or verify-full"
                  + " (as the job config's source.ssl-mode).");

  public static final ConfigOption<String> SSL_CA =
      ConfigOptions.key("ssl-ca")
          .stringType()
          .noDefaultValue()
          .withDescription("PEM file of the certificate authority for verify-ca/verify-full.");
}
