package dev.mssql2mz.metrics;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.configuration.ConfigConstants;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A metric reporter for local runs (demo, tests, benchmarks) that keeps every counter and numeric
 * gauge of the job in memory, so the process that started the MiniCluster can read the job's
 * statistics while it runs.
 *
 * <p>{@link #totals()} sums each metric over all subtasks by its simple name, which is how the
 * statistics of the source and sink ({@code snapshot_records_known}, {@code updates_committed},
 * ...) add up across parallel instances. A subtask restarted on the same TaskManager reports under
 * the same identifier: its counters continue from what the attempts before it counted (so totals
 * never go backwards), and its gauges replace theirs. On another TaskManager the identifier
 * differs, and the predecessor's last values stay in the sums beside the new ones.
 */
public final class InMemoryMetricReporter implements MetricReporter {

  /**
   * Every metric by full identifier: the live metric while its task runs (a {@link CarriedCounter}
   * for a restarted subtask's counter), then a {@link FinalValue} with its last value once the task
   * ended, so a finished run's counts stay readable. Each change of an identifier is one atomic
   * step, so that a reader never misses a metric whose task is unregistering it at that moment
   * (Flink unregisters metrics after it reports the task done).
   */
  private static final Map<String, Metric> METRICS = new ConcurrentHashMap<>();

  /** Adds this reporter to a configuration of a local MiniCluster. */
  public static void register(Configuration configuration) {
    configuration.setString(
        ConfigConstants.METRICS_REPORTER_PREFIX
            + "mssql2mz."
            + MetricOptions.REPORTER_FACTORY_CLASS.key(),
        Factory.class.getName());
    configuration.setString(
        ConfigConstants.METRICS_REPORTER_PREFIX
            + "mssql2mz."
            + MetricOptions.REPORTER_INTERVAL.key(),
        "100 ms");
  }

  /** Each metric summed over the subtasks that report it, by simple name. */
  public static Map<String, Double> totals() {
    Map<String, Double> totals = new TreeMap<>();
    METRICS.forEach(
        (identifier, metric) -> {
          Double value = valueOf(metric);
          if (value != null) {
            String name = identifier.substring(identifier.lastIndexOf('.') + 1);
            totals.merge(name, value, Double::sum);
          }
        });
    return totals;
  }

  /**
   * Every metric's full identifier (scope and name, as reporters and the web UI show it) with its
   * current value as text, gauges of any type included: for checks of what metrics expose.
   */
  public static Map<String, String> identifiersAndValues() {
    Map<String, String> all = new TreeMap<>();
    METRICS.forEach(
        (identifier, metric) -> {
          Object value =
              metric instanceof Gauge
                  ? ((Gauge<?>) metric).getValue()
                  : metric instanceof Counter ? ((Counter) metric).getCount() : metric;
          all.put(identifier, String.valueOf(value));
        });
    return all;
  }

  /** Forgets every metric (between runs in one JVM). */
  public static void clear() {
    METRICS.clear();
  }

  private static Double valueOf(Metric metric) {
    if (metric instanceof Counter) {
      return (double) ((Counter) metric).getCount();
    }
    if (metric instanceof Gauge) {
      Object v = ((Gauge<?>) metric).getValue();
      return v instanceof Number ? ((Number) v).doubleValue() : null;
    }
    return null;
  }

  @Override
  public void open(MetricConfig config) {}

  @Override
  public void close() {}

  @Override
  public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
    METRICS.compute(
        group.getMetricIdentifier(metricName),
        (identifier, previous) -> {
          if (!(metric instanceof Counter) || previous == null) {
            return metric;
          }
          // A restarted subtask: its counter continues from the attempts before it. A live
          // predecessor adds its own count when it is removed.
          long carried =
              previous instanceof FinalValue
                  ? Math.round(((FinalValue) previous).value)
                  : previous instanceof CarriedCounter ? ((CarriedCounter) previous).offset : 0;
          return carried == 0 ? metric : new CarriedCounter(carried, (Counter) metric);
        });
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
    // One atomic step per identifier, so that a reader summing meanwhile sees the metric either
    // live or as its last value, never neither.
    METRICS.computeIfPresent(
        group.getMetricIdentifier(metricName),
        (identifier, current) -> {
          if (current == metric || isCarrying(current, metric)) {
            Double last = valueOf(current);
            return last == null ? null : new FinalValue(last);
          }
          // A newer attempt registered first: it keeps its place, and takes over this attempt's
          // count if both are counters.
          if (metric instanceof Counter && current instanceof Counter) {
            long removed = ((Counter) metric).getCount();
            return current instanceof CarriedCounter
                ? new CarriedCounter(
                    ((CarriedCounter) current).offset + removed, ((CarriedCounter) current).live)
                : new CarriedCounter(removed, (Counter) current);
          }
          return current;
        });
  }

  private static boolean isCarrying(Metric entry, Metric metric) {
    return entry instanceof CarriedCounter && ((CarriedCounter) entry).live == metric;
  }

  /** The last value of a metric whose task ended. */
  private static final class FinalValue implements Gauge<Double> {
    private final double value;

    FinalValue(double value) {
      this.value = value;
    }

    @Override
    public Double getValue() {
      return value;
    }
  }

  /** The live counter of a restarted subtask plus what the attempts before it counted. */
  private static final class CarriedCounter implements Counter {
    private final long offset;
    private final Counter live;

    CarriedCounter(long offset, Counter live) {
      this.offset = offset;
      this.live = live;
    }

    @Override
    public void inc() {
      live.inc();
    }

    @Override
    public void inc(long n) {
      live.inc(n);
    }

    @Override
    public void dec() {
      live.dec();
    }

    @Override
    public void dec(long n) {
      live.dec(n);
    }

    @Override
    public long getCount() {
      return offset + live.getCount();
    }
  }

  /** Creates the reporter; named in the Flink configuration by {@link #register}. */
  public static final class Factory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
      return new InMemoryMetricReporter();
    }
  }
}
