package dev.mssql2mz.source.enumerator;

import dev.mssql2mz.source.split.SnapshotChunk;
import dev.mssql2mz.source.split.WindowChunk;
import dev.mssql2mz.sqlserver.CapturedTable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The enumerator's checkpointed state: the selected tables, chunks not yet assigned, chunks
 * assigned and not yet reported finished, finished chunks with their LSNs (until the stream split
 * is created from them), and whether the stream exists and may emit progress.
 */
public record SqlServerEnumState(
    boolean planned,
    List<CapturedTable> tables,
    List<SnapshotChunk> pending,
    Set<String> outstanding,
    Map<String, WindowChunk> finished,
    boolean streamCreated,
    boolean progressAllowed) {

  public SqlServerEnumState {
    tables = Collections.unmodifiableList(new ArrayList<>(tables));
    pending = Collections.unmodifiableList(new ArrayList<>(pending));
    outstanding = Collections.unmodifiableSet(new LinkedHashSet<>(outstanding));
    finished = Collections.unmodifiableMap(new LinkedHashMap<>(finished));
  }

  /** The state of a source that has not discovered anything yet. */
  public static SqlServerEnumState initial() {
    return new SqlServerEnumState(false, List.of(), List.of(), Set.of(), Map.of(), false, false);
  }
}
