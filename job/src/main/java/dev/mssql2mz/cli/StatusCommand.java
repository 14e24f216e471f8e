package dev.mssql2mz.cli;

import dev.mssql2mz.ReplicationJob;
import dev.mssql2mz.config.JobConfig;
import dev.mssql2mz.config.JobConfigLoader;
import dev.mssql2mz.config.TargetConfig;
import dev.mssql2mz.config.TargetDialectKind;
import dev.mssql2mz.sink.CommittedEpoch;
import dev.mssql2mz.sink.MaterializeDialect;
import dev.mssql2mz.sink.PostgresDialect;
import dev.mssql2mz.sink.TargetDialect;
import dev.mssql2mz.sink.TargetModel;
import dev.mssql2mz.sqlserver.CapturedTable;
import dev.mssql2mz.sqlserver.CatalogDiscovery;
import dev.mssql2mz.sqlserver.SqlServerConnectionFactory;
import dev.mssql2mz.sqlserver.SqlServerQueries;
import dev.mssql2mz.udfs.Lsn;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mssql2mz status --config job.yaml}: how far the target is, read from its progress
 * relation, and how far behind SQL Server.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Shows the target's committed progress (epoch, LSN, time) from <source>_progress, the rows"
          + " each replicated table shows, and, when SQL Server is reachable, its newest LSN and"
          + " the lag between them, and the CDC tables of the selection not replicated yet."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:progress shown",
      "1:nothing committed yet",
      "2:bad command line or config",
      "4:the target cannot be reached"
    })
final class StatusCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      required = true,
      description = "Job config (YAML).")
  Path config;

  private static TargetDialect dialect(TargetConfig target) {
    return target.dialect() == TargetDialectKind.POSTGRES
        ? new PostgresDialect()
        : new MaterializeDialect(false);
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    JobConfig job = new JobConfigLoader().load(config);
    TargetConfig target = job.target();
    Optional<CommittedEpoch> committed;
    Properties props = target.connectionProperties();
    Map<String, Long> rows;
    try (Connection c = DriverManager.getConnection(target.url(), props)) {
      TargetDialect dialect = dialect(target);
      committed =
          dialect.latestCommitted(
              c, TargetModel.progressOnly(target.schema(), target.sourceName()));
      rows = committed.isEmpty() ? Map.of() : dialect.rowCounts(c, target.schema());
    } catch (java.sql.SQLException e) {
      spec.commandLine().getErr().println("status: cannot read the target: " + e.getMessage());
      return ExitCodes.UNREACHABLE;
    }
    if (committed.isEmpty()) {
      out.println("status: source '" + target.sourceName() + "': nothing committed yet");
      return ExitCodes.FAILURE;
    }
    CommittedEpoch e = committed.get();
    out.printf(
        "status: source '%s': epoch %d committed LSN %s at %s (%d s ago)%n",
        target.sourceName(),
        e.epoch(),
        e.lsn(),
        e.committedAt(),
        Duration.between(e.committedAt(), Instant.now()).toSeconds());
    rows.forEach((table, n) -> out.printf("status:   %-30s %12d rows%n", table, n));
    try (SqlServerConnectionFactory connections = new SqlServerConnectionFactory(job.source());
        Connection s = connections.connect()) {
      Lsn max = SqlServerQueries.maxLsn(s);
      LocalDateTime newest = SqlServerQueries.lsnToTime(s, max);
      LocalDateTime done = SqlServerQueries.lsnToTime(s, e.lsn());
      long lag =
          max.compareTo(e.lsn()) <= 0 || newest == null || done == null
              ? 0
              : Duration.between(done, newest).toMillis();
      out.printf("status: SQL Server max LSN %s, lag %d ms%n", max, lag);
      List<String> notReplicated = new ArrayList<>();
      for (CapturedTable t :
          ReplicationJob.selection(job)
              .resolve(
                  CatalogDiscovery.discover(s), SqlServerQueries.tables(s), new ArrayList<>())) {
        if (!rows.containsKey(t.table().targetName())) {
          notReplicated.add(t.table().qualifiedName());
        }
      }
      if (!notReplicated.isEmpty()) {
        // Enabled after the job was built: the job reads them once restarted from a savepoint.
        out.printf(
            "status: enabled for CDC but not replicated: %s (stop the job with a savepoint and"
                + " start it from that savepoint to add them)%n",
            String.join(", ", notReplicated));
      }
    } catch (java.sql.SQLException ex) {
      out.println("status: SQL Server not reachable for the lag: " + ex.getMessage());
    }
    return ExitCodes.OK;
  }
}
