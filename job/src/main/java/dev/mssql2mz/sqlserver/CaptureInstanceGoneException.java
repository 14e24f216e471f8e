package dev.mssql2mz.sqlserver;

import dev.mssql2mz.udfs.Lsn;
import org.apache.flink.runtime.throwable.ThrowableAnnotation;
import org.apache.flink.runtime.throwable.ThrowableType;

/**
 * The capture instance a replicated table is read from no longer exists (CDC disabled on the table,
 * or the table dropped) while the job still needs its changes. Restarting cannot bring it back, so
 * the job fails at once (a non-recoverable error for Flink's failover).
 */
@ThrowableAnnotation(ThrowableType.NonRecoverableError)
public final class CaptureInstanceGoneException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public CaptureInstanceGoneException(
      String table, String instance, Lsn readingAt, Throwable cause) {
    super(
        "Table "
            + table
            + ": capture instance "
            + instance
            + " is gone (CDC was disabled on the table, or the table was dropped) while the job"
            + " still reads its changes after LSN "
            + readingAt
            + ". Its change rows are deleted with it, so the table cannot be followed further."
            + " Fix: enable CDC on the table again (EXEC sys.sp_cdc_enable_table ...) and start the"
            + " job without state (a new snapshot); or, to stop replicating it, take it out of"
            + " source.tables and restart from a savepoint taken before this point.",
        cause);
  }
}
