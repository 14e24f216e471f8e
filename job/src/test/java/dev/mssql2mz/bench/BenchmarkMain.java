package dev.mssql2mz.bench;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Runs every benchmark of {@code ./mssql2mz bench} one after the other in this JVM, then merges
 * their result files ({@code <dir>/*.json}, flat objects of numbers) into {@code
 * <dir>/results.json} and prints them as a table.
 *
 * <p>Each benchmark is a class with a {@code main(String[])} that takes the results directory and
 * writes its own file; missing benchmark classes are reported, not hidden.
 */
public final class BenchmarkMain {

  private static final List<String> BENCHMARKS =
      List.of(
          "dev.mssql2mz.bench.SinkBenchmark",
          "dev.mssql2mz.bench.SnapshotBenchmark",
          "dev.mssql2mz.bench.EndToEndBenchmark",
          "dev.mssql2mz.bench.MemoryBenchmark");

  private BenchmarkMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Paths.get(args.length > 0 ? args[0] : "target/bench");
    Files.createDirectories(dir);
    int failures = 0;
    for (String name : BENCHMARKS) {
      Class<?> type;
      try {
        type = Class.forName(name);
      } catch (ClassNotFoundException e) {
        System.out.println("bench: " + name + " does not exist yet: not measured");
        continue;
      }
      System.out.println("bench: running " + type.getSimpleName());
      Method main = type.getMethod("main", String[].class);
      try {
        main.invoke(null, (Object) argumentsFor(type.getSimpleName(), dir));
      } catch (InvocationTargetException e) {
        failures++;
        System.out.println("bench: " + type.getSimpleName() + " failed: " + e.getCause());
        e.getCause().printStackTrace(System.out);
      }
    }
    Map<String, Object> merged = merge(dir);
    Files.writeString(dir.resolve("results.json"), BenchResults.toJson(merged));
    System.out.println();
    System.out.printf("%-45s %15s%n", "key", "value");
    merged.forEach((k, v) -> System.out.printf("%-45s %15s%n", k, v));
    System.out.println("bench: results in " + dir.resolve("results.json").toAbsolutePath());
    if (failures > 0) {
      System.exit(1);
    }
  }

  /** Each benchmark's own command line: where its result file goes, and its size. */
  private static String[] argumentsFor(String benchmark, Path dir) {
    if (benchmark.equals("SnapshotBenchmark")) {
      String rows = System.getProperty("bench.snapshot.rows", "500000");
      return new String[] {rows, dir.resolve("snapshot.json").toString()};
    }
    return new String[] {dir.toString()};
  }

  private static Map<String, Object> merge(Path dir) throws IOException {
    Map<String, Object> merged = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files.sorted()::iterator) {
        String name = f.getFileName().toString();
        if (name.endsWith(".json") && !name.equals("results.json")) {
          merged.putAll(BenchResults.parseFlatJson(Files.readString(f)));
        }
      }
    }
    return merged;
  }
}
