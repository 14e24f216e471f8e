package dev.mssql2mz.failover;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The failover suite's results file: one entry per seed (plan, faults with the phase they hit,
 * restarts, rows compared, mismatches, time, error) and the totals.
 */
final class FailoverSummary {

  /** One seed's outcome: a result, or the error that ended it. */
  record Entry(FaultPlan plan, FailoverRun.Result result, String error, long millis) {
    boolean passed() {
      return error == null;
    }
  }

  private final List<Entry> entries = new ArrayList<>();

  synchronized void add(Entry e) {
    entries.add(e);
  }

  synchronized List<Entry> entries() {
    return List.copyOf(entries);
  }

  synchronized void write(Path file) throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    List<Map<String, Object>> seeds = new ArrayList<>();
    long rows = 0;
    long missing = 0;
    long extra = 0;
    long restarts = 0;
    long faults = 0;
    long millis = 0;
    Map<String, Long> byKind = new TreeMap<>();
    for (Entry e : entries) {
      Map<String, Object> s = new LinkedHashMap<>();
      FaultPlan p = e.plan();
      s.put("seed", p.seed());
      s.put("dialect", p.dialectName());
      s.put("parallelism", p.parallelism());
      s.put("checkpoint_interval_ms", p.checkpointIntervalMs());
      s.put("chunk_size", p.chunkSize());
      s.put("change_page_size", p.pageSize());
      s.put("capture_delay_ms", p.captureDelayMs());
      s.put("initial_rows_per_table", p.initialRows());
      s.put("passed", e.passed());
      millis += e.millis();
      s.put("duration_ms", e.millis());
      FailoverRun.Result r = e.result();
      if (r != null) {
        List<Map<String, Object>> injected = new ArrayList<>();
        for (FailoverRun.Injected f : r.faults()) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("kind", f.kind().name());
          m.put("planned_phase", f.planned().name());
          m.put("phase", f.phase().name());
          m.put("detail", f.detail());
          injected.add(m);
          byKind.merge(f.kind() + "@" + f.phase(), 1L, Long::sum);
        }
        faults += injected.size();
        restarts += r.restarts();
        rows += r.rows();
        missing += r.missing();
        extra += r.extra();
        s.put("faults", injected);
        s.put("restarts_observed", r.restarts());
        s.put("rows_compared", r.rows());
        s.put("missing", r.missing());
        s.put("extra", r.extra());
        s.put("committed_lsn", r.committedLsn());
        if (!r.examples().isEmpty()) {
          s.put("mismatch_examples", r.examples());
        }
      } else {
        s.put("planned_faults", p.faults().stream().map(Fault::toString).toList());
      }
      if (e.error() != null) {
        s.put("error", e.error());
      }
      seeds.add(s);
    }
    root.put("seeds", entries.size());
    root.put("passed", entries.stream().filter(Entry::passed).count());
    root.put("failed", entries.stream().filter(e -> !e.passed()).count());
    root.put("faults_injected", faults);
    root.put("faults_by_kind_and_phase", byKind);
    root.put("restarts_observed", restarts);
    root.put("rows_compared", rows);
    root.put("missing", missing);
    root.put("extra", extra);
    root.put("duration_ms", millis);
    root.put("results", seeds);
    Files.createDirectories(file.getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
  }
}
