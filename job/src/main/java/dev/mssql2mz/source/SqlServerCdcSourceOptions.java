package dev.mssql2mz.source;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Options of the SQL Server CDC source, with Flink CDC's names where they mean the same. */
public final class SqlServerCdcSourceOptions {

  private SqlServerCdcSourceOptions() {}

  public static final ConfigOption<Integer> CHUNK_SIZE =
      ConfigOptions.key("scan.incremental.snapshot.chunk.size")
          .intType()
          .defaultValue(8096)
          .withDescription("Rows per snapshot chunk (key range read at one exact LSN).");

  public static final ConfigOption<Integer> FETCH_SIZE =
      ConfigOptions.key("scan.snapshot.fetch.size")
          .intType()
          .defaultValue(1024)
          .withDescription("JDBC fetch size of snapshot scans and records per fetched batch.");

  public static final ConfigOption<Integer> PAGE_SIZE =
      ConfigOptions.key("scan.change.page.size")
          .intType()
          .defaultValue(4096)
          .withDescription(
              "Change rows read per query and capture instance; bounds memory even inside one"
                  + " transaction of millions of changes.");

  public static final ConfigOption<Duration> POLL_INTERVAL =
      ConfigOptions.key("scan.change.poll.interval")
          .durationType()
          .defaultValue(Duration.ofSeconds(1))
          .withDescription("Wait between change table polls when caught up (none while behind).");

  public static final ConfigOption<Duration> DISCOVERY_INTERVAL =
      ConfigOptions.key("scan.table.discovery.interval")
          .durationType()
          .defaultValue(Duration.ofSeconds(30))
          .withDescription(
              "How often to look for new CDC tables and capture instances; 0 disables.");

  public static final ConfigOption<Boolean> VALIDATE =
      ConfigOptions.key("validate")
          .booleanType()
          .defaultValue(true)
          .withDescription("Run the set-up checker at build() and fail with every problem found.");
}
