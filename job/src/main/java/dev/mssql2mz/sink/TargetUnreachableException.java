package dev.mssql2mz.sink;

/**
 * The target cannot be reached or refuses the login. The message names the URL (with any password
 * masked), the user and what to check; never the password.
 */
public final class TargetUnreachableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public TargetUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
