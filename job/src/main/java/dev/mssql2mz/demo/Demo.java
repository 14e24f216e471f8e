package dev.mssql2mz.demo;

import java.io.PrintStream;

/** The embedded demo: an emulated SQL Server with a live workload, and the job reading it. */
public final class Demo {

  private final long seed;
  private final PrintStream out;

  public Demo(long seed, PrintStream out) {
    this.seed = seed;
    this.out = out;
  }

  /** Runs the demo and returns the process exit code. */
  public int run() throws Exception {
    out.println("demo: seed " + seed + " (the emulator is not wired in yet)");
    return 0;
  }
}
