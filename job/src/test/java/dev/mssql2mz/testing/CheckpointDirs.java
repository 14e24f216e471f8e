package dev.mssql2mz.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/** Completed checkpoints in a Flink checkpoint directory (job id / chk-N / _metadata). */
public final class CheckpointDirs {

  private CheckpointDirs() {}

  /**
   * Waits up to 30 s for a completed checkpoint under {@code checkpoints} and returns the newest
   * one's folder. A walk is retried when it fails, since Flink deletes subsumed checkpoints while a
   * job runs and shortly after it stops.
   */
  public static Path awaitLatest(Path checkpoints) {
    return Awaitility.await("a completed checkpoint in " + checkpoints)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .ignoreException(UncheckedIOException.class)
        .until(() -> latest(checkpoints), Optional::isPresent)
        .get();
  }

  private static Optional<Path> latest(Path checkpoints) throws IOException {
    if (!Files.isDirectory(checkpoints)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.walk(checkpoints)) {
      return files
          .filter(p -> p.getFileName().toString().equals("_metadata"))
          .map(Path::getParent)
          .max(Comparator.comparingLong(CheckpointDirs::number));
    }
  }

  private static long number(Path checkpoint) {
    return Long.parseLong(checkpoint.getFileName().toString().substring("chk-".length()));
  }
}
