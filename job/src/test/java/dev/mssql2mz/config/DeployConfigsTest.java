package dev.mssql2mz.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The example configs in deploy/config load without problems or warnings. */
class DeployConfigsTest {

  @Test
  void everyExampleConfigIsValid() throws Exception {
    List<Path> configs;
    try (Stream<Path> files = Files.list(Paths.get("..", "deploy", "config"))) {
      configs =
          files.filter(p -> p.toString().endsWith(".yaml")).sorted().collect(Collectors.toList());
    }
    assertThat(configs).hasSizeGreaterThanOrEqualTo(4);
    for (Path config : configs) {
      JobConfig job = new JobConfigLoader().load(config);
      assertThat(job.warnings()).as(config.toString()).isEmpty();
    }
  }

  @Test
  void theMaterializeExampleUsesATunnelAndVerifiesTheServer() throws Exception {
    JobConfig job =
        new JobConfigLoader()
            .load(Paths.get("..", "deploy", "config", "sqlserver-to-materialize.yaml"));
    assertThat(job.source().sslMode()).isEqualTo(SslMode.VERIFY_FULL);
    assertThat(job.source().sshTunnel()).isPresent();
    assertThat(job.target().dialect()).isEqualTo(TargetDialectKind.MATERIALIZE);
  }
}
