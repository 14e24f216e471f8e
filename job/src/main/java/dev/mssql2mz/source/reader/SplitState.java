package dev.mssql2mz.source.reader;

import dev.mssql2mz.source.split.SqlServerSplit;

/** Mutable progress of one split on a reader, updated as its records are emitted. */
public interface SplitState {

  /** The split as it stands now, for a checkpoint. */
  SqlServerSplit toSplit();
}
