package dev.mssql2mz.source.reader;

import dev.mssql2mz.source.ChangeRecord;
import dev.mssql2mz.source.metrics.SqlServerSourceMetrics;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;

/** Emits a fetched record, then applies the state change that goes with it. */
final class SqlServerRecordEmitter
    implements RecordEmitter<SourceElement, ChangeRecord, SplitState> {

  private final SqlServerSourceMetrics metrics;

  SqlServerRecordEmitter(SqlServerSourceMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void emitRecord(SourceElement e, SourceOutput<ChangeRecord> output, SplitState state) {
    if (e.record() != null) {
      output.collect(e.record());
      metrics.record(e.record(), e.bytes());
    }
    e.change().apply(state);
  }
}
