package dev.mssql2mz.cli;

/**
 * The exit codes of every {@code mssql2mz} command, as documented in the README and in {@code
 * mssql2mz --help}.
 */
public final class ExitCodes {

  /** Done; for {@code demo} and comparisons: no difference found. */
  public static final int OK = 0;

  /** The command failed while running, or {@code demo} found the target differs from the source. */
  public static final int FAILURE = 1;

  /** Bad command line or config: nothing was started. The message lists every problem. */
  public static final int USAGE = 2;

  /** {@code validate}: SQL Server is reachable but not set up; the fix-it T-SQL is printed. */
  public static final int VALIDATION_FAILED = 3;

  /** SQL Server or the target cannot be reached (network, TLS, SSH tunnel, login). */
  public static final int UNREACHABLE = 4;

  private ExitCodes() {}
}
