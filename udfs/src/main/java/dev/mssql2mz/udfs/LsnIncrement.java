package dev.mssql2mz.udfs;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code LSN_INCREMENT(lsn BYTES) -> BINARY(10)}: the next LSN, as {@code sys.fn_cdc_increment_lsn}
 * returns it (the ten bytes plus one, carrying). The maximum LSN has no successor and fails the
 * query.
 */
public final class LsnIncrement extends ScalarFunction {

  private static final long serialVersionUID = 1L;

  public @DataTypeHint("BINARY(10)") byte[] eval(byte[] lsn) {
    return lsn == null ? null : Lsn.fromBytes(lsn).increment().toBytes();
  }
}
