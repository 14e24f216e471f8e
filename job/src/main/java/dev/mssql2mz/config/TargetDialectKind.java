package dev.mssql2mz.config;

/** What the target database is; decides which sink dialect writes to it. */
public enum TargetDialectKind {
  /** Materialize: insert-only change tables and views over committed epochs. */
  MATERIALIZE("materialize"),
  /** Plain PostgreSQL: typed tables with the source's keys, one transaction per epoch. */
  POSTGRES("postgres");

  private final String configName;

  TargetDialectKind(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }
}
