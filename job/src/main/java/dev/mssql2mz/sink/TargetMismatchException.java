package dev.mssql2mz.sink;

import org.apache.flink.runtime.throwable.ThrowableAnnotation;
import org.apache.flink.runtime.throwable.ThrowableType;

/**
 * The target holds something this job cannot continue from: data of this source while the job
 * starts without state, relations whose columns were changed by hand, or epochs the dialect cannot
 * undo. Only a person can fix it, so the job fails at once instead of restarting in a loop; the
 * message names the relation and the fix.
 */
@ThrowableAnnotation(ThrowableType.NonRecoverableError)
public final class TargetMismatchException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  public TargetMismatchException(String message) {
    super(message);
  }
}
