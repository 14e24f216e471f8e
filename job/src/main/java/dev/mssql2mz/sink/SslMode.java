package dev.mssql2mz.sink;

/** TLS to the target, with the PostgreSQL driver's {@code sslmode} value of each mode. */
public enum SslMode {
  DISABLE("disable"),
  REQUIRE("require"),
  VERIFY_CA("verify-ca"),
  VERIFY_FULL("verify-full");

  private final String driverValue;

  SslMode(String driverValue) {
    this.driverValue = driverValue;
  }

  /** The {@code sslmode} connection property. */
  public String driverValue() {
    return driverValue;
  }
}
