package dev.mssql2mz.udfs;

import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code CDC_COLUMN_UPDATED(mask BYTES, ordinal INT) -> BOOLEAN}: whether the change row's {@code
 * __$update_mask} marks the captured column at {@code ordinal} (1-based, {@code
 * cdc.captured_columns.column_ordinal}) as changed, like {@code sys.fn_cdc_is_bit_set}: the lowest
 * ordinals are in the mask's <b>last</b> byte, ordinal 1 its lowest bit. An ordinal beyond the mask
 * is not set; an ordinal below 1 fails the query; NULL in, NULL out.
 */
public final class CdcColumnUpdated extends ScalarFunction {

  private static final long serialVersionUID = 1L;

  public Boolean eval(byte[] mask, Integer ordinal) {
    if (mask == null || ordinal == null) {
      return null;
    }
    return isSet(mask, ordinal);
  }

  /** Whether bit {@code ordinal} of {@code mask} is set, counting from the last byte. */
  public static boolean isSet(byte[] mask, int ordinal) {
    if (ordinal < 1) {
      throw new IllegalArgumentException(
          "A captured column ordinal starts at 1 (cdc.captured_columns.column_ordinal), got "
              + ordinal);
    }
    int bit = ordinal - 1;
    int byteFromEnd = bit / 8;
    if (byteFromEnd >= mask.length) {
      return false;
    }
    return (mask[mask.length - 1 - byteFromEnd] & (1 << (bit % 8))) != 0;
  }
}
