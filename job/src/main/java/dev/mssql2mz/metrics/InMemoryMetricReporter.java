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
 * ...) add up across parallel instances.
 */
public final class InMemoryMetricReporter implements MetricReporter {

  private static final Map<String, Metric> METRICS = new ConcurrentHashMap<>();

  /** Last values of metrics whose tasks ended, so a finished run's counts stay readable. */
  private static final Map<String, Double> FINAL_VALUES = new ConcurrentHashMap<>();

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
    FINAL_VALUES.forEach(
        (identifier, value) ->
            totals.merge(
                identifier.substring(identifier.lastIndexOf('.') + 1), value, Double::sum));
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

  /** The largest value any running subtask reports for a metric, or null if none does. */
  public static Double max(String name) {
    Double max = null;
    for (Map.Entry<String, Metric> e : METRICS.entrySet()) {
      if (e.getKey().endsWith("." + name)) {
        Double v = valueOf(e.getValue());
        if (v != null && (max == null || v > max)) {
          max = v;
        }
      }
    }
    return max;
  }

  /**
   * Every metric's full identifier (scope and name, as reporters and the web UI show it) with its
   * current value as text, gauges of any type included: for checks of what metrics expose.
   */
  public static Map<String, String> identifiersAndValues() {
    Map<String, String> all = new TreeMap<>();
    FINAL_VALUES.forEach((identifier, value) -> all.put(identifier, String.valueOf(value)));
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
    FINAL_VALUES.clear();
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
    METRICS.put(group.getMetricIdentifier(metricName), metric);
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
    String identifier = group.getMetricIdentifier(metricName);
    METRICS.remove(identifier);
    Double last = valueOf(metric);
    if (last != null) {
      FINAL_VALUES.put(identifier, last);
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
