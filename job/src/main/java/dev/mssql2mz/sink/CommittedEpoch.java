package dev.mssql2mz.sink;

import dev.mssql2mz.udfs.Lsn;
import java.time.Instant;
import java.util.Objects;

/** The newest row of {@code <source>_progress}: what the target's users currently see. */
public final class CommittedEpoch {

  private final long epoch;
  private final Lsn lsn;
  private final Instant committedAt;

  public CommittedEpoch(long epoch, Lsn lsn, Instant committedAt) {
    this.epoch = epoch;
    this.lsn = Objects.requireNonNull(lsn, "lsn");
    this.committedAt = committedAt;
  }

  /** The checkpoint id of the commit. */
  public long epoch() {
    return epoch;
  }

  /** Every table is complete up to this commit LSN. */
  public Lsn lsn() {
    return lsn;
  }

  public Instant committedAt() {
    return committedAt;
  }

  @Override
  public String toString() {
    return "epoch " + epoch + " at LSN " + lsn;
  }
}
