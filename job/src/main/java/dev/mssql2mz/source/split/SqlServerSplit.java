package dev.mssql2mz.source.split;

import org.apache.flink.api.connector.source.SourceSplit;

/** A split of the SQL Server source: a snapshot chunk of one table, or the one change stream. */
public interface SqlServerSplit extends SourceSplit {

  default boolean isStream() {
    return this instanceof StreamSplit;
  }

  default SnapshotChunk asChunk() {
    return (SnapshotChunk) this;
  }

  default StreamSplit asStream() {
    return (StreamSplit) this;
  }
}
