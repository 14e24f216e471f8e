package dev.mssql2mz.table;

import dev.mssql2mz.source.ChangeRecord;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.Collector;

/** The rows of a {@code mssql2mz-sqlserver} table: change records as RowData, markers dropped. */
final class ChangeRecordToRowData implements FlatMapFunction<ChangeRecord, RowData> {

  private static final long serialVersionUID = 1L;

  private final SourceRowMapping mapping;

  ChangeRecordToRowData(SourceRowMapping mapping) {
    this.mapping = mapping;
  }

  @Override
  public void flatMap(ChangeRecord record, Collector<RowData> out) {
    RowData row = mapping.toRowData(record);
    if (row != null) {
      out.collect(row);
    }
  }
}
