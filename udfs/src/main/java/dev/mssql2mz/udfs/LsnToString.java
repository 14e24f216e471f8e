package dev.mssql2mz.udfs;

import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code LSN_TO_STRING(lsn BYTES) -> STRING}: the text form {@code 0000002a:00000d08:0025} of a
 * {@code binary(10)} LSN. NULL in, NULL out; a value that is not 10 bytes fails the query.
 */
public final class LsnToString extends ScalarFunction {

  private static final long serialVersionUID = 1L;

  public String eval(byte[] lsn) {
    return lsn == null ? null : Lsn.fromBytes(lsn).toString();
  }
}
