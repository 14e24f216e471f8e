package dev.mssql2mz.source.split;

import dev.mssql2mz.udfs.Lsn;
import java.util.Arrays;
import java.util.Objects;

/**
 * A finished snapshot chunk as the stream needs it for the handoff: the key range it covers and the
 * exact LSN it was read at. Changes for keys in the range apply iff their commit LSN is above
 * {@code lsn}.
 */
public record WindowChunk(String chunkId, String table, Object[] lower, Object[] upper, Lsn lsn)
    implements java.io.Serializable {

  public WindowChunk {
    Objects.requireNonNull(chunkId, "chunkId");
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(lsn, "lsn");
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof WindowChunk)) {
      return false;
    }
    WindowChunk w = (WindowChunk) o;
    return chunkId.equals(w.chunkId)
        && table.equals(w.table)
        && Arrays.deepEquals(lower, w.lower)
        && Arrays.deepEquals(upper, w.upper)
        && lsn.equals(w.lsn);
  }

  @Override
  public int hashCode() {
    return Objects.hash(chunkId, table, lsn);
  }

  @Override
  public String toString() {
    return chunkId + "@" + lsn;
  }
}
