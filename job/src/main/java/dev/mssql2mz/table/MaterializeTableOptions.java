package dev.mssql2mz.table;

import dev.mssql2mz.config.TargetDialectKind;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Options of the {@code materialize} Flink SQL sink. */
public final class MaterializeTableOptions {

  private MaterializeTableOptions() {}

  public static final ConfigOption<String> URL =
      ConfigOptions.key("url")
          .stringType()
          .noDefaultValue()
          .withDescription("JDBC URL of the target, jdbc:postgresql://host:port/database.");

  public static final ConfigOption<String> USERNAME =
      ConfigOptions.key("username").stringType().noDefaultValue().withDescription("Target user.");

  public static final ConfigOption<String> PASSWORD =
      ConfigOptions.key("password")
          .stringType()
          .noDefaultValue()
          .withDescription("Target password; never printed.");

  public static final ConfigOption<String> DIALECT =
      ConfigOptions.key("dialect")
          .stringType()
          .defaultValue(TargetDialectKind.MATERIALIZE.configName())
          .withDescription(
              "materialize: change table plus a view; postgres: a typed table with the declared"
                  + " primary key.");

  public static final ConfigOption<String> SCHEMA =
      ConfigOptions.key("schema")
          .stringType()
          .defaultValue("public")
          .withDescription("Schema the relations are created in.");

  public static final ConfigOption<String> TABLE_NAME =
      ConfigOptions.key("table-name")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Name of the relation users query; the change table is" + " {table-name}_changes.");

  public static final ConfigOption<String> SOURCE_NAME =
      ConfigOptions.key("source-name")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Names the progress relation {source-name}_progress (default: the table-name).");

  public static final ConfigOption<String> SSL_MODE =
      ConfigOptions.key("ssl-mode")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "TLS to the target: disabled, required, verify-ca or verify-full (default: as the"
                  + " URL says).");

  public static final ConfigOption<Boolean> START_OVER =
      ConfigOptions.key("start-over")
          .booleanType()
          .defaultValue(false)
          .withDescription(
              "Whether a job starting without state may delete what an earlier job committed to"
                  + " this relation (otherwise such a start fails).");

  public static final ConfigOption<Boolean> VIEW_INDEXES =
      ConfigOptions.key("view-indexes")
          .booleanType()
          .defaultValue(true)
          .withDescription(
              "Index the Materialize dialect's view; false for a PostgreSQL server standing in"
                  + " for Materialize.");
}
