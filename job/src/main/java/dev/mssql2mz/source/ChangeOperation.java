package dev.mssql2mz.source;

/**
 * What a {@link ChangeRecord} does to its table, with the diff it contributes: +1 adds the row, -1
 * retracts it. An update is a retraction of the old row followed by an insertion of the new.
 */
public enum ChangeOperation {
  /** A row read by the initial snapshot. */
  SNAPSHOT(0, +1),
  /** {@code __$operation = 1}. */
  DELETE(1, -1),
  /** {@code __$operation = 2}. */
  INSERT(2, +1),
  /** {@code __$operation = 3}: the row before an update. */
  UPDATE_BEFORE(3, -1),
  /** {@code __$operation = 4}: the row after an update. */
  UPDATE_AFTER(4, +1),
  /**
   * Not a row: a progress marker, see {@link ChangeRecord#progress}. Contributes no diff and has no
   * {@code __$operation} (code -1).
   */
  PROGRESS(-1, 0);

  private final int cdcCode;
  private final int diff;

  ChangeOperation(int cdcCode, int diff) {
    this.cdcCode = cdcCode;
    this.diff = diff;
  }

  /** SQL Server's {@code __$operation} value; 0 for snapshot rows. */
  public int cdcCode() {
    return cdcCode;
  }

  /** +1 for rows that are added, -1 for rows that are retracted, 0 for progress markers. */
  public int diff() {
    return diff;
  }

  /** The operation for a {@code __$operation} value. */
  public static ChangeOperation fromCdcCode(int code) {
    switch (code) {
      case 1:
        return DELETE;
      case 2:
        return INSERT;
      case 3:
        return UPDATE_BEFORE;
      case 4:
        return UPDATE_AFTER;
      default:
        throw new IllegalArgumentException("Unknown CDC __$operation " + code);
    }
  }
}
