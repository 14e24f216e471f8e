package dev.mssql2mz.sink;

import dev.mssql2mz.source.ChangeRecord;
import dev.mssql2mz.udfs.Lsn;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The latest progress marker of each source subtask. Writers keep one for the markers they
 * received; the epoch aggregator merges the writers' trackers. Markers need no particular routing:
 * whichever writer receives source subtask s's marker before checkpoint barrier C reports it for C,
 * and every change s emitted before that marker reached some writer before the same barrier. So the
 * LSN complete in every table at C is the minimum over all source subtasks of their latest marker,
 * unknown until each has reported.
 */
final class ProgressTracker {

  private final Map<Integer, Lsn> latest = new TreeMap<>();
  private int sourceParallelism = -1;

  void accept(ChangeRecord marker) {
    accept(marker.progressSubtask(), marker.progressParallelism(), marker.completeUpTo());
  }

  void accept(int subtask, int parallelism, Lsn lsn) {
    if (parallelism != sourceParallelism) {
      if (parallelism < sourceParallelism) {
        return; // A marker of an older layout; the newer one wins.
      }
      // The source was rescaled: the markers of the old layout no longer describe it.
      latest.clear();
      sourceParallelism = parallelism;
    }
    latest.merge(subtask, lsn, (a, b) -> a.compareTo(b) >= 0 ? a : b);
  }

  /** Takes over every marker another tracker holds. */
  void merge(int parallelism, Map<Integer, Lsn> markers) {
    for (Map.Entry<Integer, Lsn> e : markers.entrySet()) {
      accept(e.getKey(), parallelism, e.getValue());
    }
  }

  int sourceParallelism() {
    return sourceParallelism;
  }

  /** The latest marker per source subtask (a copy). */
  Map<Integer, Lsn> markers() {
    return Collections.unmodifiableMap(new TreeMap<>(latest));
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
