package dev.mssql2mz.sqlserver;

import dev.mssql2mz.config.Secret;
import dev.mssql2mz.config.SshTunnelConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Objects;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.forward.ExplicitPortForwardingTracker;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local port forward through an SSH bastion (Apache MINA SSHD): connections to {@code
 * 127.0.0.1:}{@link #localPort()} reach {@code remoteHost:remotePort} as seen from the bastion.
 * Open it before connecting to SQL Server and close it after the last connection.
 */
public final class SshTunnel implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SshTunnel.class);

  /** How long connecting and authenticating to the bastion may take. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final SshClient client;
  private final ClientSession session;
  private final ExplicitPortForwardingTracker forward;
  private final String description;

  private SshTunnel(
      SshClient client,
      ClientSession session,
      ExplicitPortForwardingTracker forward,
      String description) {
    this.client = client;
    this.session = session;
    this.forward = forward;
    this.description = description;
  }

  /**
   * Connects to the bastion, authenticates with the configured private key and opens a local port
   * forward to {@code remoteHost:remotePort}.
   *
   * @throws SshTunnelException naming the bastion and the fix; never containing the key
   */
  public static SshTunnel open(
      SshTunnelConfig config, String remoteHost, int remotePort, Duration timeout)
      throws SshTunnelException {
    Objects.requireNonNull(config, "config");
    String bastion = config.toString();
    String description = "SSH tunnel " + bastion + " -> " + remoteHost + ":" + remotePort;
    SshClient client = SshClient.setUpDefaultClient();
    // Only the configured key is offered: never ~/.ssh of whoever runs the job.
    client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
    if (config.knownHosts().isPresent()) {
      client.setServerKeyVerifier(
          new KnownHostsServerKeyVerifier(
              RejectAllServerKeyVerifier.INSTANCE, Paths.get(config.knownHosts().get())));
    } else {
      LOG.warn(
          "{}: source.ssh-tunnel.known-hosts is not set, so the bastion's host key is not checked",
          bastion);
      client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
    }
    client.start();
    ClientSession session = null;
    try {
      try {
        session =
            client
                .connect(config.user(), config.host(), config.port())
                .verify(timeout)
                .getSession();
      } catch (IOException e) {
        throw new SshTunnelException(
            description
                + ": cannot reach the bastion ("
                + rootMessage(e)
                + "). Check source.ssh-tunnel.host and source.ssh-tunnel.port, and that the"
                + " bastion's firewall lets this machine in.",
            e);
      }
      for (KeyPair key : loadKeys(config.privateKey(), session, description)) {
        session.addPublicKeyIdentity(key);
      }
      try {
        session.auth().verify(timeout);
      } catch (IOException e) {
        throw new SshTunnelException(authFailureMessage(config, description, session, e), e);
      }
      ExplicitPortForwardingTracker forward =
          session.createLocalPortForwardingTracker(
              new SshdSocketAddress("127.0.0.1", 0), new SshdSocketAddress(remoteHost, remotePort));
      SshTunnel tunnel = new SshTunnel(client, session, forward, description);
      LOG.info("{}: open on 127.0.0.1:{}", description, tunnel.localPort());
      return tunnel;
    } catch (SshTunnelException e) {
      closeQuietly(session, client);
      throw e;
    } catch (IOException | RuntimeException e) {
      closeQuietly(session, client);
      throw new SshTunnelException(
          description + ": cannot open the port forward (" + rootMessage(e) + ").", e);
    }
  }

  private static String authFailureMessage(
      SshTunnelConfig config, String description, ClientSession session, IOException e) {
    if (session.getServerKey() == null || isHostKeyRejection(e)) {
      return description
          + ": the bastion's host key is not accepted by "
          + config.knownHosts().orElse("the known-hosts file")
          + " (unknown host or changed key). If the bastion is the right one, add its key:"
          + " ssh-keyscan -p "
          + config.port()
          + " "
          + config.host()
          + " >> "
          + config.knownHosts().orElse("known_hosts");
    }
    return description
        + ": the bastion refused the private key from source.ssh-tunnel.private-key ("
        + config.privateKey().describe()
        + "). Add the matching public key to ~"
        + config.user()
        + "/.ssh/authorized_keys on "
        + config.host()
        + ", or check source.ssh-tunnel.user.";
  }

  private static boolean isHostKeyRejection(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && m.contains("Server key did not validate")) {
        return true;
      }
    }
    return false;
  }

  private static Iterable<KeyPair> loadKeys(
      Secret privateKey, ClientSession session, String description) throws SshTunnelException {
    String text = privateKey.reveal();
    try {
      Iterable<KeyPair> keys =
          SecurityUtils.loadKeyPairIdentities(
              session,
              NamedResource.ofName(privateKey.configKey()),
              new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
              null);
      if (keys == null || !keys.iterator().hasNext()) {
        throw new SshTunnelException(
            description
                + ": source.ssh-tunnel.private-key ("
                + privateKey.describe()
                + ") holds no private key. Give an OpenSSH or PEM private key without a"
                + " passphrase.",
            null);
      }
      return keys;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new SshTunnelException(
          description
              + ": cannot read the private key from source.ssh-tunnel.private-key ("
              + privateKey.describe()
              + "): "
              + e.getClass().getSimpleName()
              + ". Give an OpenSSH or PEM private key without a passphrase.",
          e);
    }
  }

  /** The local port that leads to the remote host. */
  public int localPort() {
    return forward.getBoundAddress().getPort();
  }

  /** The local host name to connect to: always the loopback address. */
  public String localHost() {
    return "127.0.0.1";
  }

  public boolean isOpen() {
    return forward.isOpen() && session.isOpen();
  }

  @Override
  public void close() {
    try {
      forward.close();
    } catch (IOException e) {
      LOG.debug("{}: closing the port forward failed", description, e);
    }
    closeQuietly(session, client);
    LOG.info("{}: closed", description);
  }

  private static void closeQuietly(ClientSession session, SshClient client) {
    try {
      if (session != null) {
        session.close(true);
      }
    } finally {
      client.stop();
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    if (t instanceof ConnectException && t.getMessage() == null) {
      return "connection refused";
    }
    return t.getClass().getSimpleName() + (t.getMessage() != null ? ": " + t.getMessage() : "");
  }

  /** The tunnel could not be opened; the message names the bastion and the fix. */
  public static final class SshTunnelException extends Exception {
    private static final long serialVersionUID = 1L;

    SshTunnelException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
