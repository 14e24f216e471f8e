package dev.mssql2mz.source.reader;

import java.time.Duration;

/** Waits between polls; {@link #wakeUp()} ends a wait early (Flink calls it on new splits). */
final class Waiter {

  private boolean woken;

  synchronized void await(Duration d) throws InterruptedException {
    if (!woken) {
      wait(Math.max(1, d.toMillis()));
    }
    woken = false;
  }

  synchronized void wakeUp() {
    woken = true;
    notifyAll();
  }
}
