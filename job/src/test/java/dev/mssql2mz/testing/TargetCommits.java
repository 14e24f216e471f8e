package dev.mssql2mz.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mssql2mz.demo.TargetVerifier;
import dev.mssql2mz.sink.CommittedEpoch;
import dev.mssql2mz.sink.MaterializeDialect;
import dev.mssql2mz.sink.TargetModel;
import dev.mssql2mz.sqlserver.SourceTable;
import dev.mssql2mz.udfs.Lsn;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.flink.core.execution.JobClient;
import org.awaitility.Awaitility;

/**
 * What whole-job tests wait for and check on a Materialize-dialect target: the committed LSN
 * reaching a source commit, and every table equal to the source, row by row.
 */
public final class TargetCommits {

  private static final MaterializeDialect DIALECT = new MaterializeDialect(false);

  private TargetCommits() {}

  /** The newest committed epoch; empty before the sink has created its relations. */
  public static Optional<CommittedEpoch> latest(Connection target, TargetModel model) {
    try {
      return DIALECT.latestCommitted(target, model);
    } catch (SQLException e) {
      return Optional.empty();
    }
  }

  /** Waits until the target has committed {@code lsn}, failing early if the job ends. */
  public static CommittedEpoch await(
      JobClient client, Connection target, TargetModel model, Lsn lsn, Duration timeout) {
    return await(
        () -> client.getJobStatus().get().isGloballyTerminalState(), target, model, lsn, timeout);
  }

  /** Waits until the target has committed {@code lsn}, failing early once {@code ended} is true. */
  public static CommittedEpoch await(
      Callable<Boolean> ended, Connection target, TargetModel model, Lsn lsn, Duration timeout) {
    return Awaitility.await("committed LSN reaching " + lsn)
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              assertThat(ended.call()).as("job ended").isFalse();
              return latest(target, model);
            },
            c -> c.isPresent() && c.get().lsn().compareTo(lsn) >= 0)
        .orElseThrow();
  }

  /**
   * Asserts every table of the target equals its source table as a multiset; returns the rows the
   * source tables hold.
   */
  public static long assertEqualToSource(
      Connection source, Connection target, String schema, List<SourceTable> tables)
      throws Exception {
    TargetVerifier verifier = new TargetVerifier(source, target, schema);
    long rows = 0;
    for (SourceTable t : tables) {
      TargetVerifier.TableResult r = verifier.verify(t);
      assertThat(r.missing()).as("missing in %s: %s", t.qualifiedName(), r.examples()).isZero();
      assertThat(r.extra()).as("extra in %s: %s", t.qualifiedName(), r.examples()).isZero();
      rows += r.sourceRows();
    }
    return rows;
  }
}
