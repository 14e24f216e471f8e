package dev.mssql2mz.table;

import dev.mssql2mz.sink.ChangelogSink;
import dev.mssql2mz.sink.MaterializeSink;
import java.util.List;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.types.RowKind;

/**
 * The {@code materialize} table: a Flink SQL changelog written exactly once through {@link
 * ChangelogSink} (the replication job's sink, with one epoch per checkpoint). It asks for
 * retractions ({@code -U} before {@code +U}), so every change is a retraction or an insertion of a
 * whole row: a table with a primary key needs nothing more, and a keyless one keeps its rows as a
 * multiset (duplicates count).
 */
final class MaterializeTableSink implements DynamicTableSink {

  private final MaterializeSink sink;
  private final String tableName;
  private final List<LogicalType> types;
  private final Integer parallelism;

  MaterializeTableSink(
      MaterializeSink sink, String tableName, List<LogicalType> types, Integer parallelism) {
    this.sink = sink;
    this.tableName = tableName;
    this.types = types;
    this.parallelism = parallelism;
  }

  @Override
  public ChangelogMode getChangelogMode(ChangelogMode requestedMode) {
    return ChangelogMode.newBuilder()
        .addContainedKind(RowKind.INSERT)
        .addContainedKind(RowKind.UPDATE_BEFORE)
        .addContainedKind(RowKind.UPDATE_AFTER)
        .addContainedKind(RowKind.DELETE)
        .build();
  }

  @Override
  public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
    ChangelogSink<RowData> changelog =
        ChangelogSink.of(sink, new RowDataToChangeRecord(tableName, types));
    return SinkV2Provider.of(changelog, parallelism);
  }

  @Override
  public DynamicTableSink copy() {
    return new MaterializeTableSink(sink, tableName, types, parallelism);
  }

  @Override
  public String asSummaryString() {
    return "materialize " + sink.model().schema() + "." + tableName;
  }
}
