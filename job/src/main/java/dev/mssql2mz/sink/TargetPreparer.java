package dev.mssql2mz.sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each writer does before its first row: create what is missing, refuse a target that holds
 * this source's data when the job has no state (unless told to start over), step back to the
 * restored checkpoint, and delete its own rows of epochs that can never commit.
 *
 * <p>Why deleting only its own rows is safe while other writers already write: after a restore from
 * checkpoint R every writer tags new rows R+1 or higher, and rows above R of the failed run can
 * never be committed (only checkpoints up to R are in the committer's state). Each writer deletes
 * the rows above R carrying its own subtask number before it writes any, and writer 0 also those of
 * subtasks that no longer exist. No commit can make epoch R+1 visible before every writer has
 * passed this point, because a commit needs a completed checkpoint, and a checkpoint needs every
 * writer.
 */
final class TargetPreparer {

  private static final Logger LOG = LoggerFactory.getLogger(TargetPreparer.class);

  private TargetPreparer() {}

  static void prepare(
      Connection c, SinkSettings s, int subtask, int parallelism, OptionalLong restoredCheckpoint)
      throws SQLException {
    TargetModel model = s.model;
    s.dialect.createMissing(c, model);
    Optional<CommittedEpoch> latest = s.dialect.latestCommitted(c, model);
    long restored = restoredCheckpoint.orElse(0L);
    if (restoredCheckpoint.isEmpty() && latest.isPresent()) {
      if (!s.startOver) {
        throw new TargetMismatchException(
            "Target schema "
                + model.schema()
                + " already holds data of source "
                + model.sourceName()
                + " (committed "
                + latest.get()
                + " in "
                + model.progressRelation()
                + "), but this job starts without state. Restore the job from its latest"
                + " checkpoint or savepoint, or set start-over to delete this source's data in"
                + " the target and snapshot again.");
      }
      if (subtask == 0) {
        LOG.info(
            "Starting over: deleting the committed data of source {} in schema {}",
            model.sourceName(),
            model.schema());
      }
      s.dialect.clearCommitted(c, model);
    } else if (latest.isPresent() && latest.get().epoch() > restored) {
      LOG.info(
          "Target is at epoch {} but the job restored checkpoint {}: stepping back",
          latest.get().epoch(),
          restored);
      s.dialect.rollBackTo(c, model, restored);
    }
    s.dialect.deleteUncommitted(c, model, subtask, subtask == 0 ? parallelism : -1, restored);
    LOG.info(
        "Writer {}/{} ready on {} target, schema {}, {} tables, restored checkpoint {}",
        subtask,
        parallelism,
        s.dialect.name(),
        model.schema(),
        model.tables().size(),
        restoredCheckpoint.isPresent() ? restored : "none");
  }
}
