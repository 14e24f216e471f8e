package dev.mssql2mz.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class InMemoryMetricReporterITCase {

  private static Configuration configuration() {
    Configuration c = new Configuration();
    InMemoryMetricReporter.register(c);
    return c;
  }

  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setConfiguration(configuration())
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @Test
  void sumsACounterOverAllSubtasksOfARunningJob() throws Exception {
    InMemoryMetricReporter.clear();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    env.fromSequence(1, 1000).map(new Counting()).sinkTo(new DiscardingSink<>());
    env.execute("metrics");
    // The job has finished: its tasks unregistered their metrics, whose last values are kept.
    assertThat(InMemoryMetricReporter.totals()).containsEntry("demo_rows_seen", 1000.0);
  }

  private static final class Counting extends RichMapFunction<Long, Long> {
    private transient Counter counter;

    @Override
    public void open(OpenContext openContext) {
      counter = getRuntimeContext().getMetricGroup().counter("demo_rows_seen");
    }

    @Override
    public Long map(Long value) {
      counter.inc();
      return value;
    }
  }
}
