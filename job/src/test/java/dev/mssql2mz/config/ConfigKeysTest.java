package dev.mssql2mz.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** Keeps the README's options table, the key catalog and the loader in step. */
class ConfigKeysTest {

  static final String START = "<!-- config-options:start (generated from ConfigKeys) -->";
  static final String END = "<!-- config-options:end -->";

  @Test
  void readmeOptionsTableMatchesTheConfigModel() throws Exception {
    Path readme = Paths.get("..", "README.md");
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    String expected = ConfigKeys.markdownTable();
    // Written so that a changed model can be pasted into the README.
    Files.createDirectories(Paths.get("target"));
    Files.writeString(Paths.get("target", "config-options.md"), expected);
    int start = text.indexOf(START);
    int end = text.indexOf(END);
    assertThat(start).as("README.md must contain the marker %s", START).isNotNegative();
    assertThat(end).as("README.md must contain the marker %s", END).isGreaterThan(start);
    String actual = text.substring(start + START.length(), end).strip() + "\n";
    assertThat(actual)
        .as(
            "README.md's options table differs from ConfigKeys; job/target/config-options.md has"
                + " the current table")
        .isEqualTo(expected);
  }

  @Test
  void theReadmeConfigExampleIsAValidConfig() throws Exception {
    String text = Files.readString(Paths.get("..", "README.md"), StandardCharsets.UTF_8);
    int section = text.indexOf("## Configuration");
    int start = text.indexOf("```yaml\n", section);
    int end = text.indexOf("```", start + 7);
    assertThat(section).isNotNegative();
    assertThat(start).isGreaterThan(section);
    JobConfig config = new JobConfigLoader().parse(text.substring(start + 8, end), "README.md");
    assertThat(config.source().sslMode()).isEqualTo(SslMode.VERIFY_FULL);
    assertThat(config.warnings()).isEmpty();
  }

  @Test
  void theLoaderReadsExactlyTheKeysTheCatalogDeclares() throws Exception {
    JobConfigLoader loader = new JobConfigLoader();
    loader.parse(
        "source:\n  host: h\n  database: d\n  user: u\n"
            + "  ssh-tunnel: {host: b, user: u, private-key: /k}\n"
            + "target:\n  url: jdbc:postgresql://x/y\n"
            + "flink:\n  parallelism: 2\n",
        "test");
    assertThat(loader.keysRead()).containsExactlyInAnyOrderElementsOf(ConfigKeys.all());
  }

  @Test
  void everyKeyHasADescriptionAndAParentThatIsAMapping() {
    for (ConfigKey key : ConfigKeys.all()) {
      assertThat(key.description()).as(key.path()).isNotBlank();
      if (!key.parentPath().isEmpty()) {
        assertThat(ConfigKeys.byPath(key.parentPath()))
            .as("parent of %s", key.path())
            .hasValueSatisfying(p -> assertThat(p.type()).isEqualTo("mapping"));
      }
    }
  }
}
