package dev.mssql2mz.source;

import dev.mssql2mz.sqlserver.JdbcConnectionFactory;
import dev.mssql2mz.sqlserver.TableSelection;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/** Everything the enumerator and readers need, validated by the builder. */
public record SqlServerSourceConfig(
    JdbcConnectionFactory connections,
    TableSelection selection,
    int chunkSize,
    int fetchSize,
    int pageSize,
    Duration pollInterval,
    Duration discoveryInterval,
    int largeValueCacheSize)
    implements Serializable {

  public SqlServerSourceConfig {
    Objects.requireNonNull(connections, "connections");
    Objects.requireNonNull(selection, "selection");
    Objects.requireNonNull(pollInterval, "pollInterval");
    Objects.requireNonNull(discoveryInterval, "discoveryInterval");
  }
}
