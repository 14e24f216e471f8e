package dev.mssql2mz.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

class FlinkSettingsTest {

  @Test
  void aStreamEnvironmentTakesParallelismAndCheckpointingFromTheConfig() throws Exception {
    JobConfig job =
        new JobConfigLoader()
            .parse(
                "source: {host: h, database: d, user: u, password: literal-source-pw}\n"
                    + "target: {url: 'jdbc:postgresql://x/y', password: literal-target-pw}\n"
                    + "flink:\n  parallelism: 3\n  checkpoint-interval: 750ms\n"
                    + "  state-backend: rocksdb\n  checkpoint-dir: file:///tmp/mssql2mz-cp\n"
                    + "  savepoint: file:///tmp/mssql2mz-sp/savepoint-1\n",
                "test");
    Configuration conf = FlinkSettings.toConfiguration(job.flink());

    assertThat(conf.toMap())
        .containsEntry("parallelism.default", "3")
        .containsEntry("execution.checkpointing.interval", "750 ms")
        .containsEntry("execution.checkpointing.mode", "EXACTLY_ONCE")
        .containsEntry("state.backend.type", "rocksdb")
        .containsEntry("execution.checkpointing.dir", "file:///tmp/mssql2mz-cp")
        .containsEntry("execution.state-recovery.path", "file:///tmp/mssql2mz-sp/savepoint-1");
    assertThat(conf.toMap().values())
        .noneMatch(v -> v.contains("literal-source-pw") || v.contains("literal-target-pw"));

    assertThat(
            org.apache.flink.runtime.jobgraph.SavepointRestoreSettings.fromConfiguration(conf)
                .getRestorePath())
        .isEqualTo("file:///tmp/mssql2mz-sp/savepoint-1");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    assertThat(env.getParallelism()).isEqualTo(3);
    assertThat(env.getCheckpointConfig().getCheckpointInterval()).isEqualTo(750);
    assertThat(Duration.ofMillis(env.getCheckpointInterval())).isEqualTo(Duration.ofMillis(750));
  }

  @Test
  void defaultsCheckpointEveryTenSecondsOnTheHeap() {
    Configuration conf = FlinkSettings.toConfiguration(FlinkConfig.defaults());
    assertThat(conf.toMap())
        .containsEntry("parallelism.default", "1")
        .containsEntry("execution.checkpointing.interval", "10 s")
        .containsEntry("state.backend.type", "hashmap")
        .doesNotContainKey("execution.checkpointing.dir")
        .doesNotContainKey("execution.state-recovery.path");
  }
}
