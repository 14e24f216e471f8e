package dev.mssql2mz.source.reader;

import dev.mssql2mz.source.ChangeRecord;

/**
 * What the fetcher hands to the emitter: an optional record and the state change that holds once it
 * is emitted, so a checkpoint always sees state that matches the records before it.
 */
public record SourceElement(ChangeRecord record, StateChange change, long bytes) {

  /** A change to a split's state, applied on the task thread right after the record is emitted. */
  @FunctionalInterface
  public interface StateChange {
    void apply(SplitState state);
  }

  public static SourceElement stateOnly(StateChange change) {
    return new SourceElement(null, change, 0);
  }
}
