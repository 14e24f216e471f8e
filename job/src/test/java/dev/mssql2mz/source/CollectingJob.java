package dev.mssql2mz.source;

import dev.mssql2mz.udfs.Lsn;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.restartstrategy.RestartStrategies;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * Runs the source in the test MiniCluster with checkpoints and collects its records through Flink's
 * checkpoint-aware collect sink (records of failed attempts are discarded, like a sink's epochs).
 */
final class CollectingJob implements AutoCloseable {

  private final CloseableIterator<ChangeRecord> iterator;
  final List<ChangeRecord> records = new ArrayList<>();

  /** The committed progress as a sink computes it: the minimum of every subtask's last marker. */
  final List<Lsn> progress = new ArrayList<>();

  private final java.util.Map<Integer, Lsn> latest = new java.util.HashMap<>();

  private CollectingJob(CloseableIterator<ChangeRecord> iterator) {
    this.iterator = iterator;
  }

  static CollectingJob start(SqlServerCdcSource source, int parallelism) throws Exception {
    return start(source, parallelism, 0, s -> s);
  }

  @SuppressWarnings("deprecation")
  static CollectingJob start(
      SqlServerCdcSource source,
      int parallelism,
      int restarts,
      Function<DataStream<ChangeRecord>, DataStream<ChangeRecord>> transform)
      throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(parallelism);
    env.enableCheckpointing(150);
    env.setRestartStrategy(
        restarts == 0
            ? RestartStrategies.noRestart()
            : RestartStrategies.fixedDelayRestart(restarts, 100));
    DataStream<ChangeRecord> stream =
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "sqlserver-cdc")
            .returns(ChangeRecordTypeInfo.INSTANCE);
    return new CollectingJob(transform.apply(stream).executeAndCollect("source-test"));
  }

  /** Collects until a progress marker at or above {@code lsn} arrives. */
  CollectingJob awaitProgress(Lsn lsn) {
    while (progress.isEmpty() || progress.get(progress.size() - 1).isBefore(lsn)) {
      next();
    }
    return this;
  }

  /** Collects until {@code n} more progress markers arrived. */
  CollectingJob awaitMoreProgress(int n) {
    int target = progress.size() + n;
    while (progress.size() < target) {
      next();
    }
    return this;
  }

  ChangeRecord next() {
    ChangeRecord r = iterator.next();
    records.add(r);
    if (r.isProgress()) {
      latest.put(r.progressSubtask(), r.completeUpTo());
      if (latest.size() == r.progressParallelism()) {
        Lsn min = latest.values().stream().min(Lsn::compareTo).orElseThrow();
        progress.add(min);
      }
    }
    return r;
  }

  @Override
  public void close() throws Exception {
    iterator.close();
  }
}
