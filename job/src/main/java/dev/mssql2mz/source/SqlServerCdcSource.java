package dev.mssql2mz.source;

import dev.mssql2mz.source.enumerator.SqlServerEnumState;
import dev.mssql2mz.source.enumerator.SqlServerEnumStateSerializer;
import dev.mssql2mz.source.enumerator.SqlServerSourceEnumerator;
import dev.mssql2mz.source.reader.SqlServerSourceReader;
import dev.mssql2mz.source.split.SqlServerSplit;
import dev.mssql2mz.source.split.SqlServerSplitSerializer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

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

  SqlServerCdcSource(SqlServerSourceConfig config) {
    this.config = config;
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
