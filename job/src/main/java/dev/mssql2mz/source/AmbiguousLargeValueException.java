package dev.mssql2mz.source;

import org.apache.flink.runtime.throwable.ThrowableAnnotation;
import org.apache.flink.runtime.throwable.ThrowableType;

/**
 * A delete or update of a keyless table left a large value out, and the rows it may have been
 * differ in that value: CDC gives no way to tell which row changed, and guessing would corrupt the
 * target. Restarting cannot help, so the job fails at once.
 */
@ThrowableAnnotation(ThrowableType.NonRecoverableError)
public final class AmbiguousLargeValueException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  AmbiguousLargeValueException(ChangeRecord r, String column) {
    super(
        "Table "
            + r.table()
            + ": a "
            + r.operation()
            + " at "
            + r.position()
            + " left large column "
            + column
            + " out (SQL Server CDC omits unchanged large values), and the table has no primary"
            + " key and several rows equal in every other column but different in "
            + column
            + ", so which row changed is unknown. Fix: add a primary key to the table, or exclude"
            + " the column (source.exclude-columns), then start the job without state (a new"
            + " snapshot).");
  }
}
