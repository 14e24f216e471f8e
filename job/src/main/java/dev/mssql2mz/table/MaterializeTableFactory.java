package dev.mssql2mz.table;

import static dev.mssql2mz.table.MaterializeTableOptions.DIALECT;
import static dev.mssql2mz.table.MaterializeTableOptions.PASSWORD;
import static dev.mssql2mz.table.MaterializeTableOptions.SCHEMA;
import static dev.mssql2mz.table.MaterializeTableOptions.SOURCE_NAME;
import static dev.mssql2mz.table.MaterializeTableOptions.SSL_MODE;
import static dev.mssql2mz.table.MaterializeTableOptions.START_OVER;
import static dev.mssql2mz.table.MaterializeTableOptions.TABLE_NAME;
import static dev.mssql2mz.table.MaterializeTableOptions.URL;
import static dev.mssql2mz.table.MaterializeTableOptions.USERNAME;
import static dev.mssql2mz.table.MaterializeTableOptions.VIEW_INDEXES;

import dev.mssql2mz.config.TargetDialectKind;
import dev.mssql2mz.sink.MaterializeSink;
import dev.mssql2mz.sink.MaterializeSinkBuilder;
import dev.mssql2mz.sqlserver.SourceColumn;
import dev.mssql2mz.sqlserver.SourceTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.catalog.UniqueConstraint;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.logical.LogicalType;

/**
 * {@code 'connector' = 'materialize'}: writes a Flink SQL changelog into Materialize (or PostgreSQL
 * with {@code 'dialect' = 'postgres'}) exactly once, one epoch per checkpoint ({@link
 * MaterializeTableOptions}). The relation users query is {@code <schema>.<table-name>}.
 */
public final class MaterializeTableFactory implements DynamicTableSinkFactory {

  public static final String IDENTIFIER = "materialize";

  @Override
  public String factoryIdentifier() {
    return IDENTIFIER;
  }

  @Override
  public Set<ConfigOption<?>> requiredOptions() {
    return Set.of(URL, TABLE_NAME);
  }

  @Override
  public Set<ConfigOption<?>> optionalOptions() {
    return Set.of(
        USERNAME,
        PASSWORD,
        DIALECT,
        SCHEMA,
        SOURCE_NAME,
        SSL_MODE,
        START_OVER,
        VIEW_INDEXES,
        FactoryUtil.SINK_PARALLELISM);
  }

  @Override
  public DynamicTableSink createDynamicTableSink(Context context) {
    FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
    helper.validate();
    ReadableConfig options = helper.getOptions();
    String flinkTable = context.getObjectIdentifier().asSummaryString();
    String tableName = options.get(TABLE_NAME);

    ResolvedSchema schema = context.getCatalogTable().getResolvedSchema();
    List<SourceColumn> columns = new ArrayList<>();
    List<LogicalType> types = new ArrayList<>();
    for (Column c : schema.getColumns()) {
      if (!c.isPhysical()) {
        continue; // computed and metadata columns are not written
      }
      LogicalType type = c.getDataType().getLogicalType();
      columns.add(SinkColumns.describe(flinkTable, c.getName(), type));
      types.add(type);
    }
    List<String> key = schema.getPrimaryKey().map(UniqueConstraint::getColumns).orElse(List.of());
    SourceTable table = new SourceTable(options.get(SCHEMA), tableName, tableName, columns, key);

    TargetDialectKind dialect = OptionValues.dialect(DIALECT.key(), options.get(DIALECT));
    MaterializeSinkBuilder b =
        MaterializeSink.builder()
            .targetUrl(options.get(URL))
            .schema(options.get(SCHEMA))
            .sourceName(options.getOptional(SOURCE_NAME).orElse(tableName))
            .tables(List.of(table))
            .startOver(options.get(START_OVER));
    options.getOptional(USERNAME).ifPresent(b::user);
    options.getOptional(PASSWORD).ifPresent(b::password);
    options
        .getOptional(SSL_MODE)
        .ifPresent(m -> b.sslMode(OptionValues.sslMode(SSL_MODE.key(), m)));
    if (dialect == TargetDialectKind.POSTGRES) {
      b.postgres();
    } else if (options.get(VIEW_INDEXES)) {
      b.materialize();
    } else {
      b.materializeWithoutIndexes();
    }
    MaterializeSink sink;
    try {
      sink = b.build();
    } catch (IllegalArgumentException e) {
      // The URL may carry a password parameter: never echo it.
      String message = e.getMessage().replaceAll("(?i)(password=)[^&;]*", "$1***");
      throw new ValidationException("Table " + flinkTable + ": " + message);
    }
    Integer parallelism = options.getOptional(FactoryUtil.SINK_PARALLELISM).orElse(null);
    return new MaterializeTableSink(sink, tableName, types, parallelism);
  }
}
