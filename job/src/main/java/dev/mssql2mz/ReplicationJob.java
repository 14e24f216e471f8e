package dev.mssql2mz;

import dev.mssql2mz.config.ColumnRef;
import dev.mssql2mz.config.FlinkSettings;
import dev.mssql2mz.config.JobConfig;
import dev.mssql2mz.config.SelectedTable;
import dev.mssql2mz.config.TargetConfig;
import dev.mssql2mz.config.TargetDialectKind;
import dev.mssql2mz.sink.MaterializeSink;
import dev.mssql2mz.sink.MaterializeSinkBuilder;
import dev.mssql2mz.source.ChangeRecord;
import dev.mssql2mz.source.SqlServerCdcSource;
import dev.mssql2mz.sqlserver.SourceTable;
import dev.mssql2mz.sqlserver.TableSelection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replication job of a {@link JobConfig}: the SQL Server CDC source, the large-value filler and
 * the exactly-once sink, wired into a Flink environment. The same assembly runs in a local
 * MiniCluster ({@code mssql2mz run}, the demo) and on a Flink cluster ({@code flink run}).
 *
 * <p>Building the source discovers and validates the selected tables against SQL Server, so a bad
 * set-up fails here, before the job is submitted.
 */
public final class ReplicationJob {

  private static final Logger LOG = LoggerFactory.getLogger(ReplicationJob.class);

  /** Stable operator ids: a savepoint of one version restores into the next. */
  static final String SOURCE_UID = "mssql2mz-sqlserver-source";

  static final String SINK_UID = "mssql2mz-sink";

  /** The keyed large-value state lives here: without a uid a changed topology would lose it. */
  static final String FILLER_UID = "mssql2mz-fill-large-values";

  private final JobConfig config;
  private final boolean startOver;
  private boolean viewIndexes = true;

  public ReplicationJob(JobConfig config, boolean startOver) {
    this.config = Objects.requireNonNull(config, "config");
    this.startOver = startOver;
  }

  /**
   * Leaves out the indexes of the Materialize dialect's views, for a PostgreSQL server standing in
   * for Materialize (the demo, tests): PostgreSQL cannot index views.
   */
  public ReplicationJob withoutViewIndexes() {
    viewIndexes = false;
    return this;
  }

  /** The Flink configuration the job's {@code flink} section asks for. */
  public Configuration flinkConfiguration() {
    return FlinkSettings.toConfiguration(config.flink());
  }

  /** The source, after discovering and validating the selected tables. */
  public SqlServerCdcSource buildSource() {
    return SqlServerCdcSource.builder()
        .connection(config.source())
        .tables(selection(config))
        .chunkSize(config.flink().chunkSize())
        .pollInterval(config.flink().pollInterval())
        .discoveryInterval(config.flink().discoveryInterval())
        // The sink and the large-value filler are built for the tables found now.
        .onlyTablesFoundAtBuild(true)
        .build();
  }

  /** The sink for the tables the source discovered. */
  public MaterializeSink buildSink(List<SourceTable> tables) {
    TargetConfig target = config.target();
    MaterializeSinkBuilder b =
        MaterializeSink.builder()
            .targetUrl(target.url())
            .schema(target.schema())
            .sourceName(target.sourceName())
            .tables(tables)
            .startOver(startOver);
    target.user().ifPresent(b::user);
    target.password().ifPresent(b::password);
    target.sslMode().ifPresent(b::sslMode);
    if (target.dialect() == TargetDialectKind.POSTGRES) {
      b.postgres();
    } else if (viewIndexes) {
      b.materialize();
    } else {
      b.materializeWithoutIndexes();
    }
    return b.build();
  }

  /** What {@link #addTo} wired: the replicated tables and the sink writing them. */
  public record Assembly(List<SourceTable> tables, MaterializeSink sink) {}

  /** Adds the job to {@code env}. */
  public Assembly addTo(StreamExecutionEnvironment env) {
    SqlServerCdcSource source = buildSource();
    List<SourceTable> tables = source.tablesAtBuild();
    LOG.info(
        "Replicating {} tables into {} as source '{}'",
        tables.size(),
        config.target().dialect(),
        config.target().sourceName());
    DataStream<ChangeRecord> changes =
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "SQL Server CDC").uid(SOURCE_UID);
    MaterializeSink sink = buildSink(tables);
    source.withLargeValuesFilled(changes).uid(FILLER_UID).sinkTo(sink).uid(SINK_UID).name("target");
    return new Assembly(tables, sink);
  }

  /** The source's table selection for the config's {@code source} section. */
  public static TableSelection selection(JobConfig config) {
    dev.mssql2mz.config.TableSelection s = config.source().selection();
    TableSelection selection;
    if (s.allTables()) {
      selection = TableSelection.allTables();
    } else {
      List<TableSelection.TableRef> refs = new ArrayList<>();
      for (SelectedTable t : s.tables()) {
        refs.add(
            new TableSelection.TableRef(
                t.table().schema(), t.table().table(), t.alias().orElse(null)));
      }
      selection = TableSelection.of(refs, new LinkedHashSet<>(s.schemas()));
    }
    return selection
        .excludingColumns(qualified(s.excludeColumns()))
        .withTextColumns(qualified(s.textColumns()));
  }

  private static Set<String> qualified(List<ColumnRef> columns) {
    Set<String> names = new LinkedHashSet<>();
    for (ColumnRef c : columns) {
      names.add(c.table().schema() + "." + c.table().table() + "." + c.column());
    }
    return names;
  }
}
