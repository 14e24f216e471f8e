package dev.mssql2mz.testing;

import dev.mssql2mz.metrics.InMemoryMetricReporter;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.TestStreamEnvironment;

/**
 * One Flink MiniCluster for the whole test JVM (started on first use, closed when the JVM exits),
 * so that tests running many short jobs pay its start-up once. It has a REST endpoint on a free
 * port (what the web UI reads) and the {@link InMemoryMetricReporter}.
 */
public final class SharedMiniCluster {

  private static MiniCluster cluster;

  private SharedMiniCluster() {}

  /** The cluster, started if needed. */
  public static synchronized MiniCluster get() {
    if (cluster == null) {
      Configuration conf = new Configuration();
      conf.set(RestOptions.BIND_PORT, "0");
      InMemoryMetricReporter.register(conf);
      MiniCluster started =
          new MiniCluster(
              new MiniClusterConfiguration.Builder()
                  .setConfiguration(conf)
                  .setNumTaskManagers(1)
                  .setNumSlotsPerTaskManager(8)
                  .build());
      try {
        started.start();
      } catch (Exception e) {
        throw new IllegalStateException("Could not start the shared MiniCluster", e);
      }
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      started.close();
                    } catch (Exception ignored) {
                      // the JVM is exiting
                    }
                  }));
      cluster = started;
    }
    return cluster;
  }

  /** An environment whose jobs run on the shared cluster, configured by {@code configuration}. */
  public static StreamExecutionEnvironment environment(
      Configuration configuration, int parallelism) {
    return new TestStreamEnvironment(get(), configuration, parallelism, List.of(), List.of());
  }

  /**
   * Runs {@code work} with {@code StreamExecutionEnvironment.getExecutionEnvironment(...)}
   * returning environments of the shared cluster (as {@code mssql2mz run} calls it), then restores
   * the default.
   */
  public static <T> T asContext(java.util.function.Supplier<T> work) {
    TestStreamEnvironment.setAsContext(get(), 1);
    try {
      return work.get();
    } finally {
      TestStreamEnvironment.unsetAsContext();
    }
  }
}
