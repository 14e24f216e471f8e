package dev.mssql2mz.sqlserver;

import java.util.List;

/** A misconfiguration of the source; the message lists every problem found, each with its fix. */
public class SourceConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public SourceConfigException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
