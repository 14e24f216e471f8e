package dev.mssql2mz.config;

/**
 * TLS modes, named as Materialize's {@code SSL MODE} of a SQL Server connection; the same four
 * modes apply to the target, where {@link #pgjdbcValue()} gives the PostgreSQL driver's name.
 */
public enum SslMode {
  /** No encryption. */
  DISABLED("disabled"),
  /** Encrypted, but the server's certificate is not checked. */
  REQUIRED("required"),
  /** Encrypted, the certificate chain checked against the CA; the host name is not checked. */
  VERIFY_CA("verify-ca"),
  /** Encrypted, the chain checked and the certificate issued to the host we connect to. */
  VERIFY_FULL("verify-full");

  private final String configName;

  SslMode(String configName) {
    this.configName = configName;
  }

  /** The value as written in the config. */
  public String configName() {
    return configName;
  }

  /** The PostgreSQL driver's {@code sslmode} value of this mode. */
  public String pgjdbcValue() {
    switch (this) {
      case DISABLED:
        return "disable";
      case REQUIRED:
        return "require";
      default:
        return configName;
    }
  }

  /** Whether the server's certificate chain is checked. */
  public boolean verifiesCertificate() {
    return this == VERIFY_CA || this == VERIFY_FULL;
  }
}
