package dev.mssql2mz.udfs;

import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code LSN_COMPARE(a, b) -> INT}: -1, 0 or 1 as LSN {@code a} is below, equal to or above {@code
 * b}, comparing bytes unsigned like SQL Server compares {@code binary(10)}. Takes two byte strings
 * or two text forms. NULL if either is NULL.
 */
public final class LsnCompare extends ScalarFunction {

  private static final long serialVersionUID = 1L;

  public Integer eval(byte[] a, byte[] b) {
    if (a == null || b == null) {
      return null;
    }
    return Integer.signum(Lsn.fromBytes(a).compareTo(Lsn.fromBytes(b)));
  }

  public Integer eval(String a, String b) {
    if (a == null || b == null) {
      return null;
    }
    return Integer.signum(Lsn.parse(a).compareTo(Lsn.parse(b)));
  }
}
