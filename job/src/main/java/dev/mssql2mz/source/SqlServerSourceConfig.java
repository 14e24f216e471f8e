package dev.mssql2mz.source;

import dev.mssql2mz.sqlserver.JdbcConnectionFactory;
import dev.mssql2mz.sqlserver.TableSelection;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the enumerator and readers need, validated by the builder. {@code onlyTables}, when
 * not null, holds the qualified names of the only tables the source may read: those its downstream
 * was built for. Other tables the selection covers, enabled for CDC later, are then reported rather
 * than read.
 */
public record SqlServerSourceConfig(
    JdbcConnectionFactory connections,
    TableSelection selection,
    int chunkSize,
    int fetchSize,
    int pageSize,
    Duration pollInterval,
    Duration discoveryInterval,
    int largeValueCacheSize,
    Set<String> onlyTables)
    implements Serializable {

  /** Whether the source may read this table ({@code schema.table}). */
  public boolean mayRead(String qualifiedName) {
    return onlyTables == null || onlyTables.contains(qualifiedName);
  }

  public SqlServerSourceConfig {
    Objects.requireNonNull(connections, "connections");
    Objects.requireNonNull(selection, "selection");
    Objects.requireNonNull(pollInterval, "pollInterval");
    Objects.requireNonNull(discoveryInterval, "discoveryInterval");
  }
}
