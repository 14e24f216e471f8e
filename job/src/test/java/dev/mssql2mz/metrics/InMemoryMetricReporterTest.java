package dev.mssql2mz.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
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
  void aRestartedSubtasksCounterContinuesFromItsPredecessorsCount() {
    Counter first = counter(300);
    reporter.notifyOfAddedMetric(first, "sub0.rows", group);
    reporter.notifyOfRemovedMetric(first, "sub0.rows", group);
    Counter second = counter(40);
    reporter.notifyOfAddedMetric(second, "sub0.rows", group);
    assertThat(InMemoryMetricReporter.totals()).containsEntry("rows", 340.0);

    // Flink may also register the next attempt's metric before it unregisters the old one.
    Counter third = counter(2);
    reporter.notifyOfAddedMetric(third, "sub0.rows", group);
    assertThat(InMemoryMetricReporter.totals()).containsEntry("rows", 302.0);
    reporter.notifyOfRemovedMetric(second, "sub0.rows", group);
    third.inc();
    assertThat(InMemoryMetricReporter.totals()).containsEntry("rows", 343.0);
    reporter.notifyOfRemovedMetric(third, "sub0.rows", group);
    assertThat(InMemoryMetricReporter.totals()).containsEntry("rows", 343.0);
  }

  @Test
  void aRestartedSubtasksGaugeReplacesItsPredecessors() {
    Gauge<Long> before = () -> 300L;
    reporter.notifyOfAddedMetric(before, "sub0.known", group);
    reporter.notifyOfRemovedMetric(before, "sub0.known", group);
    assertThat(InMemoryMetricReporter.totals()).containsEntry("known", 300.0);
    Gauge<Long> after = () -> 40L;
    reporter.notifyOfAddedMetric(after, "sub0.known", group);
    assertThat(InMemoryMetricReporter.totals()).containsEntry("known", 40.0);
  }

  /**
   * The flake this fixes: Flink reports a task finished before it unregisters the task's metrics,
   * so a reader that sums while a metric moves from live to last value must still count it, and a
   * counter's total must never go backwards while subtasks end and restart.
   */
  @Test
  void aReaderSummingWhileSubtasksEndAndRestartNeverSeesACountGoBack() throws Exception {
    reporter.notifyOfAddedMetric(counter(500), "sub1.rows", group);
    Counter live = counter(500);
    reporter.notifyOfAddedMetric(live, "sub0.rows", group);
    AtomicBoolean stop = new AtomicBoolean();
    List<String> wrong = new ArrayList<>();
    Thread sums =
        new Thread(
            () -> {
              double seen = 0;
              while (!stop.get()) {
                double rows = InMemoryMetricReporter.totals().getOrDefault("rows", 0.0);
                if (rows < seen || rows < 1_000.0) {
                  synchronized (wrong) {
                    wrong.add(seen + " -> " + rows);
                  }
                }
                seen = Math.max(seen, rows);
              }
            });
    sums.start();
    int rounds = 100_000;
    try {
      for (int round = 0; round < rounds; round++) {
        // sub0 ends (its last value stays), then a new attempt of it registers and counts on.
        reporter.notifyOfRemovedMetric(live, "sub0.rows", group);
        live = counter(0);
        reporter.notifyOfAddedMetric(live, "sub0.rows", group);
        live.inc(500);
      }
    } finally {
      stop.set(true);
      sums.join();
    }
    synchronized (wrong) {
      assertThat(wrong).as("totals that went back, seen by a concurrent reader").isEmpty();
    }
    assertThat(InMemoryMetricReporter.totals()).containsEntry("rows", 500.0 * (rounds + 2));
  }

  private static Counter counter(long count) {
    Counter c = new SimpleCounter();
    c.inc(count);
    return c;
  }
}
