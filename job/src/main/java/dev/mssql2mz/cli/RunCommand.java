package dev.mssql2mz.cli;

import dev.mssql2mz.ReplicationJob;
import dev.mssql2mz.config.JobConfig;
import dev.mssql2mz.config.JobConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mssql2mz run --config job.yaml}: runs the replication job. Started from the shell it runs
 * in a local MiniCluster; started by {@code flink run} it is submitted to that cluster.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the replication job of a config: snapshot, then changes, exactly once, until stopped.",
      "From the shell the job runs in a local Flink MiniCluster; under 'flink run' it is"
          + " submitted to that cluster (same main class)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the job finished (it runs until cancelled)",
      "1:the job failed",
      "2:bad command line or config",
      "3:SQL Server is not set up (every problem and its fixing T-SQL is printed)",
      "4:SQL Server or the target cannot be reached or refuses the login"
    })
final class RunCommand implements Callable<Integer> {

  /** Where a local run keeps checkpoints when the config names no directory. */
  static final String LOCAL_CHECKPOINTS = "mssql2mz-checkpoints";

  @Spec CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      required = true,
      description = "Job config (YAML).")
  Path config;

  @Option(
      names = "--start-over",
      description =
          "Replace what an earlier job of the same source wrote to the target (needed when the"
              + " job's state was lost).")
  boolean startOver;

  @Override
  public Integer call() throws Exception {
    JobConfig job = new JobConfigLoader().load(config);
    job.warnings().forEach(w -> spec.commandLine().getErr().println("mssql2mz: warning: " + w));
    ReplicationJob replication = new ReplicationJob(job, startOver);
    StreamExecutionEnvironment env =
        environment(replication, job, spec.commandLine().getOut(), Path.of(LOCAL_CHECKPOINTS));
    ReplicationJob.Assembly assembly = replication.addTo(env);
    assembly.sink().checkConnection();
    spec.commandLine()
        .getOut()
        .printf(
            "mssql2mz: replicating %d tables into %s as source '%s'%n",
            assembly.tables().size(), job.target().dialect(), job.target().sourceName());
    spec.commandLine().getOut().flush();
    env.execute("mssql2mz " + job.target().sourceName());
    return ExitCodes.OK;
  }

  /**
   * The job's execution environment: the cluster's under {@code flink run}, else a local
   * MiniCluster that keeps checkpoints in {@code localCheckpoints} unless the config names a
   * directory.
   */
  static StreamExecutionEnvironment environment(
      ReplicationJob replication, JobConfig job, PrintWriter out, Path localCheckpoints) {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(replication.flinkConfiguration());
    if (env instanceof LocalStreamEnvironment && job.flink().checkpointDir().isEmpty()) {
      // Without a directory a MiniCluster keeps checkpoints in the JobManager's memory, limited to
      // 5 MB: the large-value state of a real database outgrows that and every checkpoint fails,
      // so nothing is ever committed. On a cluster the cluster's own setting applies.
      String dir = localCheckpoints.toAbsolutePath().toUri().toString();
      Configuration checkpoints = new Configuration();
      checkpoints.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir);
      env.configure(checkpoints);
      out.printf(
          "mssql2mz: checkpoints go to %s (set flink.checkpoint-dir to choose; resume with"
              + " flink.savepoint set to a retained checkpoint)%n",
          dir);
    }
    return env;
  }
}
