package dev.mssql2mz.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InMemoryMetricReporterTest {

  private final InMemoryMetricReporter reporter = new InMemoryMetricReporter();
  private final UnregisteredMetricsGroup group = new UnregisteredMetricsGroup();

  @AfterEach
  void forget() {
    InMemoryMetricReporter.clear();
  }

  @Test
  void aFinishedSubtaskKeepsItsLastValueAndARunningOneItsLiveValue() {
    Counter finished = counter(500);
    Counter running = counter(200);
    reporter.notifyOfAddedMetric(finished, "sub0.rows", group);
    reporter.notifyOfAddedMetric(running, "sub1.rows", group);
    reporter.notifyOfRemovedMetric(finished, "sub0.rows", group);
    finished.inc(1_000); // a removed metric is no longer read
    running.inc(100);

    assertThat(InMemoryMetricReporter.totals()).containsEntry("rows", 800.0);
  }

  @Test
  void aRestartedSubtaskReplacesTheLastValueOfItsPredecessor() {
    Counter before = counter(300);
    reporter.notifyOfAddedMetric(before, "sub0.rows", group);
    Counter after = counter(40);
    // Flink may register the new attempt's metric before it unregisters the old one.
    reporter.notifyOfAddedMetric(after, "sub0.rows", group);
    reporter.notifyOfRemovedMetric(before, "sub0.rows", group);

    assertThat(InMemoryMetricReporter.totals()).containsEntry("rows", 40.0);
  }

  /**
   * The flake this fixes: Flink reports a task finished before it unregisters the task's metrics,
   * so a reader that sums while a metric moves from live to last value must still count it once.
   */
  @Test
  void aReaderSummingWhileSubtasksUnregisterAndRestartCountsEachExactlyOnce() throws Exception {
    reporter.notifyOfAddedMetric(counter(500), "sub1.rows", group);
    Counter live = counter(500);
    reporter.notifyOfAddedMetric(live, "sub0.rows", group);
    AtomicBoolean stop = new AtomicBoolean();
    List<Double> wrong = new ArrayList<>();
    Thread sums =
        new Thread(
            () -> {
              while (!stop.get()) {
                double rows = InMemoryMetricReporter.totals().getOrDefault("rows", 0.0);
                if (rows != 1_000.0) {
                  synchronized (wrong) {
                    wrong.add(rows);
                  }
                }
              }
            });
    sums.start();
    try {
      for (int round = 0; round < 200_000; round++) {
        // sub0 ends (its last value stays), then a new attempt of it registers a new counter.
        reporter.notifyOfRemovedMetric(live, "sub0.rows", group);
        live = counter(500);
        reporter.notifyOfAddedMetric(live, "sub0.rows", group);
      }
    } finally {
      stop.set(true);
      sums.join();
    }
    synchronized (wrong) {
      assertThat(wrong).as("sums other than 1000 seen by a concurrent reader").isEmpty();
    }
  }

  private static Counter counter(long count) {
    Counter c = new SimpleCounter();
    c.inc(count);
    return c;
  }
}
