package dev.mssql2mz.sink;

import dev.mssql2mz.source.ChangeRecord;
import dev.mssql2mz.udfs.Lsn;
import java.io.Serializable;

/**
 * Turns one element of a changelog without source positions (a Flink SQL {@code RowData}, say) into
 * the {@link ChangeRecord} a {@link ChangelogSink} writes, stamped with the position the sink
 * gives.
 *
 * @param <IN> the changelog's element type
 */
@FunctionalInterface
public interface ChangelogConverter<IN> extends Serializable {

  /**
   * The change row of {@code element}.
   *
   * @param position the LSN the sink assigns to every row of the current epoch
   */
  ChangeRecord toChangeRecord(IN element, Lsn position);
}
