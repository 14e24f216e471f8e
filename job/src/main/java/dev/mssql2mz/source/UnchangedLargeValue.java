package dev.mssql2mz.source;

import java.io.Serializable;

/**
 * Placeholder the reader puts where CDC left a large value out of a change row: a {@code (max)}
 * column not changed by an update ({@code __$update_mask} bit clear), or a {@code text}/{@code
 * ntext}/{@code image} column in a delete or update-before row. {@link LargeValueFiller} replaces
 * it with the key's last value; nothing after the filler ever sees it.
 */
public final class UnchangedLargeValue implements Serializable {

  private static final long serialVersionUID = 1L;

  public static final UnchangedLargeValue INSTANCE = new UnchangedLargeValue();

  private UnchangedLargeValue() {}

  private Object readResolve() {
    return INSTANCE;
  }

  @Override
  public String toString() {
    return "<unchanged large value>";
  }
}
