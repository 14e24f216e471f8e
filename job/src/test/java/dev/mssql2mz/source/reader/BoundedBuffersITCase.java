package dev.mssql2mz.source.reader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mssql2mz.demo.emulator.SqlServerEmulator;
import dev.mssql2mz.source.ChangeOperation;
import dev.mssql2mz.source.split.SnapshotChunk;
import dev.mssql2mz.source.split.StreamSplit;
import dev.mssql2mz.sqlserver.CapturedTable;
import dev.mssql2mz.sqlserver.CatalogDiscovery;
import dev.mssql2mz.sqlserver.JdbcConnectionFactory;
import dev.mssql2mz.sqlserver.SqlServerQueries;
import dev.mssql2mz.sqlserver.TableSelection;
import dev.mssql2mz.udfs.Lsn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Memory stays flat: a 1,000,000-row chunk and a 1,000,000-change transaction pass through the
 * readers in batches no larger than the configured fetch and page sizes (asserted on every batch,
 * not on timing).
 */
@Timeout(600)
class BoundedBuffersITCase {

  private static final int ROWS = 1_000_000;
  private static final int FETCH = 1000;
  private static final int PAGE = 2000;

  private SqlServerEmulator emulator;

  @AfterEach
  void stop() throws Exception {
    if (emulator != null) {
      emulator.close();
    }
  }

  private CapturedTable start() throws Exception {
    emulator =
        SqlServerEmulator.builder()
            .database("big")
            .captureInterval(Duration.ofMillis(200))
            .maxTrans(10_000)
            .cdcEnabled(true)
            .snapshotIsolation(true)
            .build();
    emulator.execute("CREATE TABLE dbo.big (id INT NOT NULL PRIMARY KEY, v INT)");
    emulator.enableTable("dbo", "big");
    try (Connection c = emulator.connect()) {
      return TableSelection.tables("dbo.big")
          .resolve(CatalogDiscovery.discover(c), SqlServerQueries.tables(c))
          .get(0);
    }
  }

  private static Iterator<Object[]> rows(int from, int n) {
    return new Iterator<>() {
      int i = from;

      @Override
      public boolean hasNext() {
        return i < from + n;
      }

      @Override
      public Object[] next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        int id = i++;
        return new Object[] {id, id % 97};
      }
    };
  }

  private Connections connections() {
    return new Connections(
        new JdbcConnectionFactory(emulator.jdbcUrl(), emulator.user(), emulator.password(), null));
  }

  @Test
  void aMillionRowChunkIsReadInBatchesOfAtMostTheFetchSize() throws Exception {
    CapturedTable table = start();
    emulator.bulkLoad("dbo", "big", List.of("id", "v"), rows(0, ROWS), 50_000);
    try (Connections conns = connections()) {
      ChunkReader reader =
          new ChunkReader(
              SnapshotChunk.fresh(table, 0, null, null),
              conns,
              FETCH,
              PAGE,
              Duration.ofMillis(100),
              new Waiter());
      long rows = 0;
      int largest = 0;
      while (!reader.isDone()) {
        List<SourceElement> batch = reader.next(FETCH);
        largest = Math.max(largest, batch.size());
        rows += batch.stream().filter(e -> e.record() != null).count();
      }
      assertThat(rows).isEqualTo(ROWS);
      assertThat(largest).isLessThanOrEqualTo(FETCH + 1);
      assertThat(reader.lsn()).isNotNull();
    }
  }

  @Test
  void aMillionChangeTransactionIsStreamedInPagesOfAtMostThePageSize() throws Exception {
    CapturedTable table = start();
    Lsn before = emulator.awaitCaptured(emulator.maxLsn(), Duration.ofSeconds(30));
    Lsn big =
        emulator.inTransaction(
            c -> {
              try (PreparedStatement ps = c.prepareStatement("INSERT INTO dbo.big VALUES (?, ?)")) {
                Iterator<Object[]> it = rows(0, ROWS);
                int n = 0;
                while (it.hasNext()) {
                  Object[] r = it.next();
                  ps.setInt(1, (Integer) r[0]);
                  ps.setInt(2, (Integer) r[1]);
                  ps.addBatch();
                  if (++n % 50_000 == 0) {
                    ps.executeBatch();
                  }
                }
                ps.executeBatch();
              }
            });
    emulator.awaitCaptured(big, Duration.ofMinutes(5));
    StreamSplit split =
        new StreamSplit(
            List.of(table),
            List.of(),
            null,
            0,
            null,
            dev.mssql2mz.sqlserver.ChangePosition.afterAllOf(before),
            Map.of(),
            before,
            null,
            true);
    try (Connections conns = connections()) {
      StreamReader reader =
          new StreamReader(split, conns, PAGE, StreamReader.SourceMetricsSink.noop(), 0, 1);
      long changes = 0;
      int largest = 0;
      boolean sawProgress = false;
      while (!sawProgress) {
        List<SourceElement> out = new ArrayList<>();
        reader.poll(out);
        largest = Math.max(largest, out.size());
        for (SourceElement e : out) {
          if (e.record() != null && e.record().operation() == ChangeOperation.INSERT) {
            changes++;
          }
          if (e.record() != null
              && e.record().isProgress()
              && !e.record().position().commitLsn().isBefore(big)) {
            sawProgress = true;
          }
        }
      }
      assertThat(changes).isEqualTo(ROWS);
      // A page of changes plus a few state-only elements and a progress marker.
      assertThat(largest).isLessThanOrEqualTo(PAGE + 3);
    }
  }
}
