package dev.mssql2mz.config;

/** Flink state backends the job can run with. */
public enum StateBackendKind {
  /** State on the JVM heap; fast, bounded by memory. */
  HASHMAP("hashmap"),
  /** State in embedded RocksDB on local disk. */
  ROCKSDB("rocksdb");

  private final String configName;

  StateBackendKind(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }
}
