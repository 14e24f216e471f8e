package dev.mssql2mz.testing;

import dev.mssql2mz.config.JobConfigYaml;
import dev.mssql2mz.demo.emulator.SqlServerEmulator;

/** Job configs for tests and benchmarks that run the job from the emulator into PostgreSQL. */
public final class TestJobConfigs {

  private TestJobConfigs() {}

  /**
   * All tables of {@code db} (password inline) into {@code schema} on the target, Materialize
   * dialect, as source {@code sourceName}; add the {@code flink} section and more as needed.
   */
  public static JobConfigYaml emulatorToTarget(
      SqlServerEmulator db,
      String targetUrl,
      String targetUser,
      String targetPassword,
      String schema,
      String sourceName) {
    return new JobConfigYaml()
        .set("source", "jdbc-url", db.jdbcUrl())
        .set("source", "user", db.user())
        .set("source", "password", db.password())
        .set("source", "tables", "all")
        .set("target", "url", targetUrl)
        .set("target", "user", targetUser)
        .set(
            "target",
            "password",
            targetPassword == null || targetPassword.isEmpty() ? null : targetPassword)
        .set("target", "dialect", "materialize")
        .set("target", "schema", schema)
        .set("target", "source-name", sourceName);
  }
}
