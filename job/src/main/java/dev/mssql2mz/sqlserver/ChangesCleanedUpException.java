package dev.mssql2mz.sqlserver;

import dev.mssql2mz.udfs.Lsn;
import org.apache.flink.runtime.throwable.ThrowableAnnotation;
import org.apache.flink.runtime.throwable.ThrowableType;

/**
 * The source must resume below a capture instance's minimum LSN: CDC cleanup has deleted changes
 * the job has not delivered, so only a new snapshot can restore consistency. Restarting cannot
 * help, so the job fails at once (a non-recoverable error for Flink's failover).
 */
@ThrowableAnnotation(ThrowableType.NonRecoverableError)
public final class ChangesCleanedUpException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ChangesCleanedUpException(String table, String instance, Lsn needed, Lsn minLsn) {
    super(
        "Table "
            + table
            + ": changes were cleaned up; re-snapshot needed. The source must resume at LSN "
            + needed
            + " but capture instance "
            + instance
            + " only holds changes from LSN "
            + minLsn
            + " (sys.fn_cdc_get_min_lsn). Fix: start the job without state (a new snapshot), and"
            + " raise the CDC retention (EXEC sys.sp_cdc_change_job @job_type = N'cleanup',"
            + " @retention = <minutes>) so a stopped job can catch up.");
  }
}
