package dev.mssql2mz.source;

import dev.mssql2mz.source.enumerator.SqlServerEnumState;
import dev.mssql2mz.source.enumerator.SqlServerEnumStateSerializer;
import dev.mssql2mz.source.enumerator.SqlServerSourceEnumerator;
import dev.mssql2mz.source.reader.SqlServerSourceReader;
import dev.mssql2mz.source.split.SqlServerSplit;
import dev.mssql2mz.source.split.SqlServerSplitSerializer;
import dev.mssql2mz.sqlserver.SourceTable;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The SQL Server CDC source: a consistent snapshot of the selected tables in parallel key-range
 * chunks, each at an exact LSN, then one change stream over all capture instances, handing off per
 * chunk so every change is delivered exactly once. Emits {@link ChangeRecord}s, including {@link
 * ChangeOperation#PROGRESS} markers. Build it with {@link #builder()}.
 */
public final class SqlServerCdcSource
    implements Source<ChangeRecord, SqlServerSplit, SqlServerEnumState>,
        ResultTypeQueryable<ChangeRecord> {

  private static final long serialVersionUID = 1L;

  private final SqlServerSourceConfig config;
  private final List<SourceTable> tablesAtBuild;

  SqlServerCdcSource(SqlServerSourceConfig config, List<SourceTable> tablesAtBuild) {
    this.config = config;
    this.tablesAtBuild = List.copyOf(tablesAtBuild);
  }

  /** The tables the selection covered when the source was built (empty without validation). */
  public List<SourceTable> tablesAtBuild() {
    return tablesAtBuild;
  }

  /**
   * The source's records with the large values CDC leaves out of updates filled in ({@link
   * LargeValueFiller}); use this between the source and the sink.
   */
  public SingleOutputStreamOperator<ChangeRecord> withLargeValuesFilled(
      DataStream<ChangeRecord> records) {
    return LargeValueFiller.fill(records, tablesAtBuild, config.onlyTables() != null);
  }

  public static SqlServerCdcSourceBuilder builder() {
    return new SqlServerCdcSourceBuilder();
  }

  public SqlServerSourceConfig config() {
    return config;
  }

  @Override
  public Boundedness getBoundedness() {
    return Boundedness.CONTINUOUS_UNBOUNDED;
  }

  @Override
  public SourceReader<ChangeRecord, SqlServerSplit> createReader(SourceReaderContext context) {
    return SqlServerSourceReader.create(config, context);
  }

  @Override
  public SplitEnumerator<SqlServerSplit, SqlServerEnumState> createEnumerator(
      SplitEnumeratorContext<SqlServerSplit> context) {
    return new SqlServerSourceEnumerator(context, config, SqlServerEnumState.initial());
  }

  @Override
  public SplitEnumerator<SqlServerSplit, SqlServerEnumState> restoreEnumerator(
      SplitEnumeratorContext<SqlServerSplit> context, SqlServerEnumState checkpoint) {
    return new SqlServerSourceEnumerator(context, config, checkpoint);
  }

  @Override
  public SimpleVersionedSerializer<SqlServerSplit> getSplitSerializer() {
    return SqlServerSplitSerializer.INSTANCE;
  }

  @Override
  public SimpleVersionedSerializer<SqlServerEnumState> getEnumeratorCheckpointSerializer() {
    return new SqlServerEnumStateSerializer();
  }

  @Override
  public TypeInformation<ChangeRecord> getProducedType() {
    return ChangeRecordTypeInfo.INSTANCE;
  }
}
