package dev.mssql2mz.sink;

import dev.mssql2mz.source.ChangeRecord;
import dev.mssql2mz.udfs.Lsn;
import java.util.HashMap;
import java.util.Map;

/**
 * The latest progress marker of each source subtask, as one writer received them. Markers are
 * broadcast, so every writer holds the same markers at a checkpoint barrier; the LSN complete in
 * every table is the minimum over all source subtasks, unknown until each has reported.
 */
final class ProgressTracker {

  private final Map<Integer, Lsn> latest = new HashMap<>();
  private int sourceParallelism = -1;

  void accept(ChangeRecord marker) {
    int parallelism = marker.progressParallelism();
    if (parallelism != sourceParallelism) {
      // The source was rescaled: the markers of the old layout no longer describe it.
      latest.clear();
      sourceParallelism = parallelism;
    }
    latest.merge(
        marker.progressSubtask(), marker.completeUpTo(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
  }

  /** The LSN every source subtask has completed, or null when one has not reported yet. */
  Lsn completeUpTo() {
    if (sourceParallelism <= 0 || latest.size() < sourceParallelism) {
      return null;
    }
    Lsn min = null;
    for (Lsn l : latest.values()) {
      if (min == null || l.compareTo(min) < 0) {
        min = l;
      }
    }
    return min;
  }
}
