/**
 * The exactly-once sink into Materialize (and plain PostgreSQL): {@link
 * dev.mssql2mz.sink.MaterializeSink}.
 *
 * <h2>How a change becomes visible</h2>
 *
 * <ol>
 *   <li>A writer appends each change row to {@code <name>_changes} with {@code _epoch} (the last
 *       checkpoint id it snapshotted + 1), {@code _subtask} (its index), {@code _lsn} (the commit
 *       LSN, bytea) and {@code _diff} (+1/-1), in batches: one COPY (or one transaction of INSERTs)
 *       into one table each.
 *   <li>At checkpoint C every writer flushes and reports a {@link dev.mssql2mz.sink.WriterResult}:
 *       its epoch tag and the latest progress marker of each source subtask it received.
 *   <li>The epoch aggregator (parallelism 1) turns all results of C into one {@link
 *       dev.mssql2mz.sink.EpochCommittable}: epoch C, and the LSN every table is complete at (the
 *       minimum over source subtasks of their latest marker).
 *   <li>When C completes, the committer writes the progress row (Materialize: one INSERT into
 *       {@code <source>_progress}; PostgreSQL: one transaction that applies the staged rows and
 *       inserts the progress row). An epoch at or below the newest progress row is not written
 *       again, so Flink's commit retries after a restart are harmless.
 *   <li>Users read {@code <name>}: on Materialize a view keeping change rows with {@code _epoch} at
 *       or below the newest progress epoch and {@code _lsn} at or below its LSN, summing {@code
 *       _diff} per full row and repeating each row as often as its sum says; on PostgreSQL a typed
 *       table with the source's primary key.
 * </ol>
 *
 * <h2>Why nothing is lost or doubled</h2>
 *
 * A row tagged t was written after the writer's snapshot of checkpoint t-1, so it is reported at
 * the writer's next checkpoint, which is at least t; if epoch E >= t is committed, every writer
 * took part in checkpoint E and so reported the row at a checkpoint up to E, which the committer
 * commits no later than E. After a restore from checkpoint R, rows tagged above R can never be
 * committed: each writer deletes those carrying its own subtask number before writing (writer 0
 * also those of subtasks that no longer exist) and new rows are tagged R+1 again; no epoch above R
 * commits before every writer has done so, because that needs a completed checkpoint. A progress
 * row above R (restore from an older savepoint) is deleted first, which steps the views back in one
 * statement (Materialize dialect; the PostgreSQL dialect refuses, it cannot undo). Appends that
 * fail are never retried in place (a lost COMMIT acknowledgement could write rows twice): the task
 * fails and the restore cleans up. Commits are retried with back-off, then the task fails and the
 * restored committer commits the same epoch.
 *
 * <h2>Requirements</h2>
 *
 * Checkpointing in EXACTLY_ONCE mode with aligned checkpoints; set a uid on the sink. The source
 * emits progress markers ({@link dev.mssql2mz.source.ChangeRecord#progress}); without them data is
 * committed but never becomes visible.
 */
package dev.mssql2mz.sink;
