package dev.mssql2mz.config;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A validated job config: source, target and Flink settings. Load one with {@link JobConfigLoader};
 * its {@link #toString()} never shows a secret.
 */
public final class JobConfig implements Serializable {

  private static final long serialVersionUID = 1L;

  private final SourceConfig source;
  private final TargetConfig target;
  private final FlinkConfig flink;
  private final List<String> warnings;

  public JobConfig(
      SourceConfig source, TargetConfig target, FlinkConfig flink, List<String> warnings) {
    this.source = Objects.requireNonNull(source, "source");
    this.target = Objects.requireNonNull(target, "target");
    this.flink = Objects.requireNonNull(flink, "flink");
    this.warnings = Collections.unmodifiableList(new ArrayList<>(warnings));
  }

  public SourceConfig source() {
    return source;
  }

  public TargetConfig target() {
    return target;
  }

  public FlinkConfig flink() {
    return flink;
  }

  /** Things that work but should be changed, e.g. a password written into the file. */
  public List<String> warnings() {
    return warnings;
  }

  @Override
  public String toString() {
    return "JobConfig{" + source + ", " + target + ", " + flink + "}";
  }
}
