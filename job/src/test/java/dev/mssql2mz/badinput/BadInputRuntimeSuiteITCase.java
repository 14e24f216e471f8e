package dev.mssql2mz.badinput;

import static dev.mssql2mz.badinput.BadInputFixture.cli;
import static dev.mssql2mz.badinput.BadInputFixture.emulatorSource;
import static dev.mssql2mz.badinput.BadInputFixture.flink;
import static dev.mssql2mz.badinput.BadInputFixture.insertOrders;
import static dev.mssql2mz.badinput.BadInputFixture.parse;
import static dev.mssql2mz.badinput.BadInputFixture.shop;
import static dev.mssql2mz.badinput.BadInputFixture.target;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mssql2mz.badinput.BadInputFixture.CliResult;
import dev.mssql2mz.badinput.BadInputFixture.RunningJob;
import dev.mssql2mz.cli.ExitCodes;
import dev.mssql2mz.demo.emulator.SqlServerEmulator;
import dev.mssql2mz.sink.CommittedEpoch;
import dev.mssql2mz.sqlserver.SourceTable;
import dev.mssql2mz.testing.CheckpointDirs;
import dev.mssql2mz.testing.PostgresExtension;
import dev.mssql2mz.testing.TargetSnapshot;
import dev.mssql2mz.testing.TcpProxy;
import dev.mssql2mz.udfs.Lsn;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bad-input suite, part 2: what goes wrong while the job runs or when it resumes. Each case
 * checks the user-visible outcome (an error that names the object and the fix, or a recovery) and
 * that delivered data is neither lost nor corrupted.
 */
@Timeout(180)
class BadInputRuntimeSuiteITCase {

  @RegisterExtension final PostgresExtension pg = new PostgresExtension();

  @TempDir Path dir;

  private SqlServerEmulator db;

  @AfterEach
  void stop() throws Exception {
    if (db != null) {
      db.close();
    }
  }

  private String yaml(String targetUrl, String dialect, String flinkExtra) throws IOException {
    Path pw = dir.resolve("source-password");
    Files.writeString(pw, db.password());
    return emulatorSource(db, pw.toString(), "all")
        + target(targetUrl, dialect, "shop")
        + flink(flinkExtra);
  }

  private Path write(String yaml) throws IOException {
    Path file = dir.resolve("job-" + System.nanoTime() + ".yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private TargetSnapshot snapshot() throws Exception {
    try (Connection c = pg.connect()) {
      return TargetSnapshot.of(c, "shop");
    }
  }

  private List<SourceTable> tables;

  /** Delivers the emulator's data once, cancels the job and returns its retained checkpoint. */
  private Path deliverAndCancel(String dialect) throws Exception {
    Path checkpoints = dir.resolve("checkpoints");
    String yaml = yaml(pg.jdbcUrl(), dialect, "  checkpoint-dir: " + checkpoints.toUri() + "\n");
    try (RunningJob job = BadInputFixture.start(parse(yaml), true);
        Connection target = pg.connect()) {
      tables = job.tables();
      db.execute("UPDATE dbo.orders SET note = N'changed' WHERE id <= 3");
      job.awaitCommitted(
          target,
          db.awaitCaptured(db.lastCommitLsn(), Duration.ofSeconds(30)),
          Duration.ofSeconds(60));
    }
    return CheckpointDirs.awaitLatest(checkpoints);
  }

  @Test
  void resumingBelowTheMinimumLsnFailsOnceNamingTheTableAndBothLsns() throws Exception {
    db = shop(20);
    Path checkpoint = deliverAndCancel("materialize");
    TargetSnapshot delivered = snapshot();

    // While the job is stopped, more changes come and CDC cleanup removes them.
    insertOrders(db, 100, 5);
    Lsn captured = db.awaitCaptured(db.lastCommitLsn(), Duration.ofSeconds(30));
    db.cleanupAll(captured);
    String instance = db.captureInstances().get(0);

    CliResult r =
        cli(
            "run",
            "--config",
            write(yaml(pg.jdbcUrl(), "materialize", "  savepoint: " + checkpoint.toUri() + "\n"))
                .toString());
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.err())
        .startsWith(
            "mssql2mz run: the job stopped: Table dbo.orders: changes were cleaned up;"
                + " re-snapshot needed")
        .contains("capture instance " + instance + " only holds changes from LSN " + captured)
        .containsPattern("must resume at LSN [0-9a-f]{8}:[0-9a-f]{8}:[0-9a-f]{4}")
        .contains("start the job without state");
    assertThat(snapshot()).as("target after the refused resume").isEqualTo(delivered);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"materialize", "postgres"})
  void aTargetTableAlteredByHandStopsTheResumedJobOnceNamingTheTable(String dialect)
      throws Exception {
    db = shop(20);
    Path checkpoint = deliverAndCancel(dialect);
    String altered = dialect.equals("postgres") ? "orders" : "orders_changes";
    try (Connection c = pg.connect();
        Statement s = c.createStatement()) {
      s.execute("ALTER TABLE shop." + altered + " RENAME COLUMN note TO remark");
    }
    TargetSnapshot before = snapshot();
    insertOrders(db, 100, 5);

    CliResult r =
        cli(
            "run",
            "--config",
            write(yaml(pg.jdbcUrl(), dialect, "  savepoint: " + checkpoint.toUri() + "\n"))
                .toString());
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.err())
        .startsWith(
            "mssql2mz run: the job stopped: Target table shop."
                + altered
                + " has the columns [id, remark, total")
        .contains("but the job writes [id, note, total")
        .contains("altered by hand")
        .contains("restore the table's columns");
    assertThat(snapshot()).as("target after the refused resume").isEqualTo(before);
  }

  @Test
  void anUnreachableTargetMidRunIsRetriedAndTheJobCatchesUpWithoutLoss() throws Exception {
    db = shop(30);
    URI pgUri = URI.create(pg.jdbcUrl().substring("jdbc:".length()));
    try (TcpProxy proxy = new TcpProxy(pgUri.getHost(), pgUri.getPort())) {
      String viaProxy =
          pg.jdbcUrl()
              .replace(pgUri.getHost() + ":" + pgUri.getPort(), "127.0.0.1:" + proxy.port());
      try (RunningJob job = BadInputFixture.start(parse(yaml(viaProxy, "postgres", "")), true);
          Connection target = pg.connect()) {
        job.awaitCommitted(
            target,
            db.awaitCaptured(db.lastCommitLsn(), Duration.ofSeconds(30)),
            Duration.ofSeconds(60));
        proxy.cut();
        // A commit already in flight may still land, so compare with the first change made
        // during the outage rather than with what was committed when it began.
        Lsn firstDuringOutage = insertOrders(db, 100, 20);
        db.execute("UPDATE dbo.orders SET total = total + 1 WHERE id % 2 = 0");
        db.execute("DELETE FROM dbo.orders WHERE id % 5 = 0");
        Lsn last = db.awaitCaptured(db.lastCommitLsn(), Duration.ofSeconds(30));
        Awaitility.await("nothing of the outage committed while the target is unreachable")
            .during(Duration.ofSeconds(1))
            .atMost(Duration.ofSeconds(5))
            .until(
                () ->
                    job.committed(target)
                        .map(CommittedEpoch::lsn)
                        .map(lsn -> lsn.compareTo(firstDuringOutage) < 0)
                        .orElse(false));

        proxy.restore();
        job.awaitCommitted(target, last, Duration.ofSeconds(90));
        BadInputFixture.assertTargetEqualsSource(db, target, "shop", job.tables());
      }
    }
  }

  @Test
  void aFullCheckpointDiskCommitsNothingAndTheJobCatchesUpOnceSpaceIsFree() throws Exception {
    Path mount = dir.resolve("full-disk");
    Files.createDirectories(mount);
    Assumptions.assumeTrue(
        mountTmpfs(mount, "1m"),
        "needs root to mount a 1 MB tmpfs for the checkpoint directory (mount -t tmpfs)");
    try {
      Path filler = mount.resolve("filler");
      fill(filler);
      db = shop(30);
      String yaml = yaml(pg.jdbcUrl(), "postgres", "  checkpoint-dir: " + mount.toUri() + "\n");
      try (RunningJob job = BadInputFixture.start(parse(yaml), true);
          Connection target = pg.connect()) {
        Lsn last = db.awaitCaptured(db.lastCommitLsn(), Duration.ofSeconds(30));
        Awaitility.await("nothing committed while checkpoints cannot be written")
            .during(Duration.ofSeconds(2))
            .atMost(Duration.ofSeconds(10))
            .until(() -> job.committed(target).isEmpty());
        assertThat(TargetSnapshot.of(target, "shop").rows("orders"))
            .as("rows visible before any checkpoint completed")
            .isZero();

        Files.delete(filler);
        job.awaitCommitted(target, last, Duration.ofSeconds(90));
        BadInputFixture.assertTargetEqualsSource(db, target, "shop", job.tables());
      }
    } finally {
      new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor();
    }
  }

  private static boolean mountTmpfs(Path mount, String size) {
    try {
      Process p =
          new ProcessBuilder(
                  "mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mount.toString())
              .redirectErrorStream(true)
              .start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Writes {@code file} until the file system reports it is full. */
  private static void fill(Path file) throws IOException {
    byte[] block = new byte[4096];
    try (OutputStream out = Files.newOutputStream(file)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException e) {
      if (!String.valueOf(e.getMessage()).contains("No space left")) {
        throw e;
      }
    }
  }
}
