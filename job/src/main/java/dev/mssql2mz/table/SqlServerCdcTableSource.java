package dev.mssql2mz.table;

import dev.mssql2mz.config.SourceConfig;
import dev.mssql2mz.config.TableRef;
import dev.mssql2mz.source.ChangeRecord;
import dev.mssql2mz.source.SqlServerCdcSource;
import dev.mssql2mz.sqlserver.SourceTable;
import dev.mssql2mz.sqlserver.TableSelection;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSource;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.ProviderContext;
import org.apache.flink.table.connector.source.DataStreamScanProvider;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.types.RowKind;

/**
 * The {@code mssql2mz-sqlserver} table: one SQL Server table through {@link SqlServerCdcSource}
 * (consistent snapshot, then every change exactly once), its omitted large values filled in by
 * {@link dev.mssql2mz.source.LargeValueFiller}, as a changelog of inserts, update pairs and
 * deletes.
 *
 * <p>The SQL Server table is looked up when the planner asks for the runtime provider, i.e. when a
 * query using the table is planned: that is where a table without CDC, a declared column the table
 * does not capture or a type that does not fit fails, naming the table and the column.
 */
final class SqlServerCdcTableSource implements ScanTableSource {

  private final String flinkTable;
  private final SourceConfig connection;
  private final TableRef table;
  private final SourceRowMapping.DeclaredSchema declared;
  private final DataType producedType;
  private final int chunkSize;
  private final int fetchSize;
  private final Duration pollInterval;

  /** Built on first use: the planner may ask for the provider more than once per plan. */
  private transient ScanRuntimeProvider provider;

  SqlServerCdcTableSource(
      String flinkTable,
      SourceConfig connection,
      TableRef table,
      SourceRowMapping.DeclaredSchema declared,
      DataType producedType,
      int chunkSize,
      int fetchSize,
      Duration pollInterval) {
    this.flinkTable = flinkTable;
    this.connection = connection;
    this.table = table;
    this.declared = declared;
    this.producedType = producedType;
    this.chunkSize = chunkSize;
    this.fetchSize = fetchSize;
    this.pollInterval = pollInterval;
  }

  @Override
  public ChangelogMode getChangelogMode() {
    return ChangelogMode.newBuilder()
        .addContainedKind(RowKind.INSERT)
        .addContainedKind(RowKind.UPDATE_BEFORE)
        .addContainedKind(RowKind.UPDATE_AFTER)
        .addContainedKind(RowKind.DELETE)
        .build();
  }

  @Override
  public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
    if (provider == null) {
      provider = provider(context);
    }
    return provider;
  }

  private ScanRuntimeProvider provider(ScanContext context) {
    SqlServerCdcSource source = buildSource();
    List<SourceTable> tables = source.tablesAtBuild();
    if (tables.size() != 1) {
      throw new ValidationException(
          "SQL Server table "
              + table.schema()
              + "."
              + table.table()
              + " of Flink table "
              + flinkTable
              + " was not found among the CDC-enabled tables.");
    }
    SourceRowMapping mapping = SourceRowMapping.bind(flinkTable, tables.get(0), declared);
    TypeInformation<RowData> rowType = context.createTypeInformation(producedType);
    String name = "SQL Server CDC " + table.schema() + "." + table.table();
    return new DataStreamScanProvider() {
      @Override
      public DataStream<RowData> produceDataStream(
          ProviderContext provider, StreamExecutionEnvironment env) {
        DataStreamSource<ChangeRecord> records =
            env.fromSource(source, WatermarkStrategy.noWatermarks(), name);
        provider.generateUid("source").ifPresent(records::uid);
        SingleOutputStreamOperator<ChangeRecord> filled = source.withLargeValuesFilled(records);
        provider.generateUid("fill-large-values").ifPresent(filled::uid);
        SingleOutputStreamOperator<RowData> rows =
            filled.flatMap(new ChangeRecordToRowData(mapping), rowType).name("to rows");
        provider.generateUid("to-rows").ifPresent(rows::uid);
        return rows;
      }

      @Override
      public boolean isBounded() {
        return false;
      }
    };
  }

  private SqlServerCdcSource buildSource() {
    TableSelection selection =
        TableSelection.of(
            List.of(new TableSelection.TableRef(table.schema(), table.table(), null)), Set.of());
    try {
      return SqlServerCdcSource.builder()
          .connection(connection)
          .tables(selection)
          .chunkSize(chunkSize)
          .fetchSize(fetchSize)
          .pollInterval(pollInterval)
          .build();
    } catch (RuntimeException e) {
      throw new ValidationException(
          "Flink table " + flinkTable + " cannot read SQL Server: " + e.getMessage(), e);
    }
  }

  @Override
  public DynamicTableSource copy() {
    return new SqlServerCdcTableSource(
        flinkTable, connection, table, declared, producedType, chunkSize, fetchSize, pollInterval);
  }

  @Override
  public String asSummaryString() {
    return "mssql2mz-sqlserver " + table.schema() + "." + table.table();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SqlServerCdcTableSource)) {
      return false;
    }
    SqlServerCdcTableSource s = (SqlServerCdcTableSource) o;
    return flinkTable.equals(s.flinkTable)
        && table.equals(s.table)
        && producedType.equals(s.producedType)
        && chunkSize == s.chunkSize;
  }

  @Override
  public int hashCode() {
    return Objects.hash(flinkTable, table, producedType, chunkSize);
  }
}
