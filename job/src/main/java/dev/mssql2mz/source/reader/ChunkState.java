package dev.mssql2mz.source.reader;

import dev.mssql2mz.source.split.SnapshotChunk;
import dev.mssql2mz.sqlserver.ChangePosition;
import dev.mssql2mz.udfs.Lsn;

/** Progress of a snapshot chunk: see {@link SnapshotChunk} for the meaning of each field. */
public final class ChunkState implements SplitState {

  final SnapshotChunk chunk;
  ChangePosition prefixAt;
  Object[] resumeAfter;
  Object[] groupRow;
  int groupCount;
  Lsn finishedLsn;

  ChunkState(SnapshotChunk chunk) {
    this.chunk = chunk;
    this.prefixAt = chunk.prefixAt();
    this.resumeAfter = chunk.resumeAfter();
    this.groupRow = chunk.groupRow();
    this.groupCount = chunk.groupCount();
    this.finishedLsn = chunk.finishedLsn();
  }

  @Override
  public SnapshotChunk toSplit() {
    return new SnapshotChunk(
        chunk.table(),
        chunk.index(),
        chunk.lower(),
        chunk.upper(),
        prefixAt,
        resumeAfter,
        groupRow,
        groupCount,
        finishedLsn);
  }
}
