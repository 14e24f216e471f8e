package dev.mssql2mz.config;

import java.io.Serializable;
import java.util.Objects;
import java.util.Optional;

/**
 * An SSH bastion through which SQL Server is reached, as Materialize's {@code SSH TUNNEL}
 * connection: host, port, user and the private key that the bastion accepts.
 */
public final class SshTunnelConfig implements Serializable {

  private static final long serialVersionUID = 1L;

  private final String host;
  private final int port;
  private final String user;
  private final Secret privateKey;
  private final String knownHosts;

  public SshTunnelConfig(
      String host, int port, String user, Secret privateKey, String knownHostsOrNull) {
    this.host = Objects.requireNonNull(host, "host");
    this.port = port;
    this.user = Objects.requireNonNull(user, "user");
    this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
    this.knownHosts = knownHostsOrNull;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public String user() {
    return user;
  }

  /** The private key's text (OpenSSH or PEM format). */
  public Secret privateKey() {
    return privateKey;
  }

  /** A known_hosts file to check the bastion's host key against. */
  public Optional<String> knownHosts() {
    return Optional.ofNullable(knownHosts);
  }

  @Override
  public String toString() {
    return "ssh://" + user + "@" + host + ":" + port;
  }
}
