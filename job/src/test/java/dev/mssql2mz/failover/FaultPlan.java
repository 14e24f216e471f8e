package dev.mssql2mz.failover;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Everything a seed decides: the target dialect, the job's shape (parallelism, checkpoint interval,
 * snapshot chunk and change page sizes), the emulator's capture delay, the workload's size, and the
 * faults with their trigger points. The same seed always gives the same plan, so a failing seed
 * reruns the same scenario (timing aside).
 */
record FaultPlan(
    long seed,
    boolean postgresDialect,
    int parallelism,
    int checkpointIntervalMs,
    int chunkSize,
    int pageSize,
    int captureDelayMs,
    int initialRows,
    List<Fault> faults) {

  private static final Fault.Kind[] SNAPSHOT_KINDS = {
    Fault.Kind.SOURCE_TASK_FAILURE,
    Fault.Kind.WRITER_TASK_FAILURE,
    Fault.Kind.TASK_MANAGER_LOSS,
    Fault.Kind.SAVEPOINT_RESUME,
    Fault.Kind.TARGET_RESTART
  };

  /**
   * The plan of {@code seed}. Dialect and parallelism alternate with the seed, and each seed has
   * one snapshot fault and two to four streaming faults; the kinds rotate with the seed so that
   * seeds 1 to 20, the default run, have every kind in every phase it can happen in.
   */
  static FaultPlan of(long seed) {
    Random r = new Random(seed * 0x9E3779B97F4A7C15L + 17);
    boolean postgres = seed % 2 == 1;
    int parallelism = (int) Math.floorMod(seed / 2, 2L) + 1;
    int checkpointMs = 100 + r.nextInt(101);
    int chunkSize = 8 + r.nextInt(25);
    // Change pages smaller than the workload's large transactions (250 rows): restarts land
    // inside a transaction that spans pages.
    int pageSize = 32 + r.nextInt(200);
    // A capture that lags behind commits: writes committed before a chunk's read appear in the
    // change tables only later (the apache/flink-cdc#2853 race).
    int captureDelayMs = r.nextInt(4) * 100;
    int initialRows = 60 + r.nextInt(90);
    List<Fault> faults = new ArrayList<>();
    int snapshotRows = initialRows * 5;
    faults.add(
        new Fault(
            SNAPSHOT_KINDS[(int) Math.floorMod(seed, (long) SNAPSHOT_KINDS.length)],
            Fault.Phase.SNAPSHOT,
            1 + r.nextInt(snapshotRows / 2)));
    Fault.Kind[] all = Fault.Kind.values();
    faults.add(
        new Fault(
            all[(int) Math.floorMod(seed / 4, (long) all.length)],
            Fault.Phase.STREAMING,
            20 + r.nextInt(150)));
    int more = 1 + r.nextInt(3);
    for (int i = 0; i < more; i++) {
      faults.add(new Fault(all[r.nextInt(all.length)], Fault.Phase.STREAMING, 20 + r.nextInt(150)));
    }
    return new FaultPlan(
        seed,
        postgres,
        parallelism,
        checkpointMs,
        chunkSize,
        pageSize,
        captureDelayMs,
        initialRows,
        List.copyOf(faults));
  }

  String dialectName() {
    return postgresDialect ? "postgres" : "materialize";
  }

  long failuresPlanned() {
    return faults.stream().filter(f -> f.kind().failsTheJob).count();
  }
}
