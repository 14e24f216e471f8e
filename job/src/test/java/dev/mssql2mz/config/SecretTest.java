package dev.mssql2mz.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretTest {

  @Test
  void toStringNeverShowsTheValue() {
    assertThat(Secret.literal("source.password", "p@ss").toString()).isEqualTo("****");
    assertThat(Secret.fromEnv("source.password", "PW").toString()).isEqualTo("****");
  }

  @Test
  void readsTheEnvironmentOnlyWhenRevealed() {
    Secret secret = Secret.fromEnv("target.password", "MZ_PW");
    assertThat(secret.withEnvironment(Map.of("MZ_PW", "s3cret")).reveal()).isEqualTo("s3cret");
    assertThatThrownBy(() -> secret.withEnvironment(Map.of()).reveal())
        .isInstanceOf(Secret.SecretUnavailableException.class)
        .hasMessage(
            "target.password: environment variable MZ_PW is not set. Export it before starting"
                + " the job, or give the secret as {file: /path/to/file}.");
  }

  @Test
  void readsAFileDroppingOneTrailingNewline(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("pw");
    Files.writeString(file, "line one\n");
    assertThat(Secret.fromFile("source.password", file.toString()).reveal()).isEqualTo("line one");
    Files.writeString(file, "key\nbody\n\n");
    assertThat(Secret.fromFile("k", file.toString()).reveal()).isEqualTo("key\nbody\n");
  }

  @Test
  void missingFileNamesTheKeyAndPathButNoValue(@TempDir Path dir) {
    Path file = dir.resolve("absent");
    assertThatThrownBy(() -> Secret.fromFile("source.password", file.toString()).reveal())
        .hasMessageStartingWith("source.password: cannot read secret file " + file)
        .hasMessageContaining("NoSuchFileException");
  }

  @Test
  void serializedFormHoldsOnlyTheReferenceForEnvAndFileSecrets() throws Exception {
    Secret secret = Secret.fromEnv("source.password", "PW_VARIABLE");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(secret.withEnvironment(Map.of("PW_VARIABLE", "the-real-value")));
    }
    String serialized = bytes.toString(StandardCharsets.ISO_8859_1);
    assertThat(serialized).contains("PW_VARIABLE").doesNotContain("the-real-value");
  }

  @Test
  void describeSaysWhereTheValueComesFrom() {
    assertThat(Secret.fromEnv("k", "A").describe()).isEqualTo("environment variable A");
    assertThat(Secret.fromFile("k", "/f").describe()).isEqualTo("file /f");
    assertThat(Secret.literal("k", "v").describe()).isEqualTo("a literal in the config file");
  }
}
