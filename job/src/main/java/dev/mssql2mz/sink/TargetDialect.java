package dev.mssql2mz.sink;

import dev.mssql2mz.udfs.Lsn;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * All SQL the sink sends to its target, and the shape of every transaction. The sink's core
 * (writer, committer, compaction) only calls these methods, so a target's rules live in one class.
 *
 * <p>Writers append change rows to {@code <name>_changes} in every dialect; a dialect decides what
 * a commit does with them and what users query.
 */
public interface TargetDialect extends Serializable {

  /** A short name for logs and messages. */
  String name();

  /**
   * Creates what is missing (schema, change tables, progress relation, user-facing relations). Safe
   * to run concurrently from several writers and again after a failure half-way.
   */
  void createMissing(Connection c, TargetModel model) throws SQLException;

  /** The newest committed epoch, empty when nothing was committed (or nothing exists yet). */
  Optional<CommittedEpoch> latestCommitted(Connection c, TargetModel model) throws SQLException;

  /**
   * The rows each replicated table of {@code schema} shows now, by target table name: what users
   * see, read from the user-facing relations.
   */
  Map<String, Long> rowCounts(Connection c, String schema) throws SQLException;

  /** Removes everything committed for this source, for a job told to start over. */
  void clearCommitted(Connection c, TargetModel model) throws SQLException;

  /**
   * Makes the target show epoch {@code epoch} again after a restore from an older savepoint, or
   * fails with a message when the dialect cannot.
   */
  void rollBackTo(Connection c, TargetModel model, long epoch) throws SQLException;

  /**
   * Deletes change rows of writer {@code subtask} tagged above {@code epoch} (they belong to epochs
   * that can never commit). With {@code andSubtasksFrom} >= 0 also those of every writer numbered
   * {@code andSubtasksFrom} or higher (writers that no longer exist after a rescale).
   */
  void deleteUncommitted(
      Connection c, TargetModel model, int subtask, int andSubtasksFrom, long epoch)
      throws SQLException;

  /**
   * Appends a batch of change rows in one insert-only transaction into its change table.
   *
   * @return the bytes of row data sent (COPY: the payload; INSERT: the UTF-8 text of the values)
   */
  long append(Connection c, TargetModel model, ChangeBatch batch, WriteMethod method)
      throws SQLException;

  /**
   * Commits epoch {@code epoch}: afterwards users see every change of epochs up to it with commit
   * LSN at or below {@code lsn}. The caller has checked the epoch is not committed yet.
   */
  void commitEpoch(Connection c, TargetModel model, long epoch, Lsn lsn, Instant at)
      throws SQLException;

  /**
   * Removes up to {@code maxGroups} groups of committed change rows of {@code table} whose diffs
   * cancel, in single statements that leave what users see unchanged. Returns the rows removed.
   */
  long compact(
      Connection c, TargetModel model, TableModel table, CommittedEpoch upTo, int maxGroups)
      throws SQLException;

  /** Deletes progress rows older than {@code belowEpoch} that no query needs any more. */
  int trimProgress(Connection c, TargetModel model, long belowEpoch) throws SQLException;
}
