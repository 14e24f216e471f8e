package dev.mssql2mz.sqlserver;

/**
 * SQL Server cannot be reached or refuses the login (network, TLS, SSH tunnel, password). The
 * message names where it connected, as whom, and what to check; never the password.
 */
public final class SourceUnreachableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public SourceUnreachableException(String message, Throwable cause) {
    super(withFix(message, driverMessage(cause)), cause);
  }

  /** The innermost message: the driver's, without our own description of the target. */
  private static String driverMessage(Throwable cause) {
    String m = "";
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null) {
        m = t.getMessage();
      }
    }
    return m;
  }

  /** Adds what to check, chosen by what failed (the driver's message says that). */
  private static String withFix(String message, String driverMessage) {
    String m = driverMessage.toLowerCase(java.util.Locale.ROOT);
    String fix;
    if (message.contains("SSH tunnel")) {
      return message; // the tunnel's errors carry their own fix
    } else if (m.contains("login failed") || m.contains("18456")) {
      fix = "check source.user and source.password (the login and its password on SQL Server).";
    } else if (m.contains("ssl")
        || m.contains("tls")
        || m.contains("certificate")
        || m.contains("encrypt")) {
      fix =
          "check source.ssl-mode and source.ssl-ca against SQL Server's TLS set-up (its"
              + " certificate, and whether it forces encryption).";
    } else {
      fix =
          "check that SQL Server runs and is reachable from here: source.host and source.port"
              + " (or source.jdbc-url), firewalls, and that TCP/IP is enabled on SQL Server.";
    }
    return message + (message.endsWith(".") ? "" : ".") + " Fix: " + fix;
  }
}
