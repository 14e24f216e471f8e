package dev.mssql2mz.udfs;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code LSN_FROM_STRING(text STRING) -> BINARY(10)}: parses {@code 0000002a:00000d08:0025} or 20
 * hex digits (with or without {@code 0x}). NULL in, NULL out; text that is not an LSN fails the
 * query with the expected form in the message.
 */
public final class LsnFromString extends ScalarFunction {

  private static final long serialVersionUID = 1L;

  public @DataTypeHint("BINARY(10)") byte[] eval(String text) {
    return text == null ? null : Lsn.parse(text).toBytes();
  }
}
