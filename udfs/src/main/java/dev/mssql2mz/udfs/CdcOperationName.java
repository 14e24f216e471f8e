package dev.mssql2mz.udfs;

import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code CDC_OPERATION_NAME(op INT) -> STRING}: the name of a change table's {@code __$operation}:
 * 1 {@code delete}, 2 {@code insert}, 3 {@code update_before}, 4 {@code update_after}. Other values
 * fail the query; NULL gives NULL.
 */
public final class CdcOperationName extends ScalarFunction {

  private static final long serialVersionUID = 1L;

  private static final String[] NAMES = {"delete", "insert", "update_before", "update_after"};

  public String eval(Integer operation) {
    if (operation == null) {
      return null;
    }
    return name(operation);
  }

  /** The name of operation code {@code operation}. */
  public static String name(int operation) {
    if (operation < 1 || operation > NAMES.length) {
      throw new IllegalArgumentException(
          "Not a CDC __$operation: "
              + operation
              + ". SQL Server uses 1 (delete), 2 (insert), 3 (update_before), 4 (update_after)");
    }
    return NAMES[operation - 1];
  }
}
