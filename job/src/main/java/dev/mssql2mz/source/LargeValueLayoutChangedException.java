package dev.mssql2mz.source;

import org.apache.flink.runtime.throwable.ThrowableAnnotation;
import org.apache.flink.runtime.throwable.ThrowableType;

/**
 * A table's primary key or large columns differ from those its large-value state was written with
 * (the table changed between the checkpoint and this run): the stored values would be looked up
 * under other keys or in other positions, and omitted values would go out wrong or as NULL.
 */
@ThrowableAnnotation(ThrowableType.NonRecoverableError)
public final class LargeValueLayoutChangedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  LargeValueLayoutChangedException(String table, String restored, String now) {
    super(
        "Table "
            + table
            + " changed since the checkpoint this job restores: its large values were stored for "
            + restored
            + ", the table now has "
            + now
            + ". Fix: start the job without state (a new snapshot), or restore the table's"
            + " previous primary key and columns.");
  }
}
