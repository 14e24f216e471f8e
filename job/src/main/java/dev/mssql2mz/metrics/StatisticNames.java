package dev.mssql2mz.metrics;

/**
 * Metric names, after Materialize's {@code mz_source_statistics} where a statistic means the same,
 * so dashboards read alike. Source and sink register theirs under these names.
 */
public final class StatisticNames {

  private StatisticNames() {}

  /** Change rows written to the target but not yet committed (a counter of rows staged). */
  public static final String UPDATES_STAGED = "updates_staged";

  /** Change rows of epochs the target has committed. */
  public static final String UPDATES_COMMITTED = "updates_committed";

  /** Change rows written to the target's change tables. */
  public static final String ROWS_WRITTEN = "rows_written";

  /** Bytes of change-row data sent: the COPY payload, or the UTF-8 text of INSERT values. */
  public static final String BYTES_WRITTEN = "bytes_written";

  /** Milliseconds the last commit took, including retries. */
  public static final String COMMIT_LATENCY_MS = "commit_latency_ms";

  /** Epochs committed by this job. */
  public static final String EPOCHS_COMMITTED = "epochs_committed";

  /** The committed LSN in its text form. */
  public static final String OFFSET_COMMITTED = "offset_committed";

  /** Change rows removed by compaction. */
  public static final String ROWS_COMPACTED = "rows_compacted";

  /** Commit attempts that failed and were retried. */
  public static final String COMMIT_RETRIES = "commit_retries";

  public static final String SNAPSHOT_RECORDS_KNOWN = "snapshot_records_known";
  public static final String SNAPSHOT_RECORDS_STAGED = "snapshot_records_staged";
  public static final String MESSAGES_RECEIVED = "messages_received";
  public static final String BYTES_RECEIVED = "bytes_received";
  public static final String OFFSET_KNOWN = "offset_known";
}
