package dev.mssql2mz.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mssql2mz.config.Secret;
import dev.mssql2mz.config.SourceConfig;
import dev.mssql2mz.config.SshTunnelConfig;
import dev.mssql2mz.config.SslMode;
import dev.mssql2mz.testing.PostgresExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SSH tunnel against an in-process Apache MINA SSHD server that accepts one public key and
 * allows port forwarding: to a TCP echo server and to a real PostgreSQL server.
 */
class SshTunnelITCase {

  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @TempDir Path dir;

  private SshServer sshd;
  private KeyPair hostKey;
  private KeyPair userKey;
  private ServerSocket echo;
  private ExecutorService echoThreads;

  @BeforeEach
  void startServers() throws Exception {
    hostKey = rsa();
    userKey = rsa();
    sshd = SshServer.setUpDefaultServer();
    sshd.setHost("127.0.0.1");
    sshd.setPort(0);
    sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    sshd.setPublickeyAuthenticator(
        (user, key, session) ->
            user.equals("tunnel") && KeyUtils.compareKeys(key, userKey.getPublic()));
    sshd.setForwardingFilter(AcceptAllForwardingFilter.INSTANCE);
    sshd.start();

    echo = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    echoThreads = Executors.newCachedThreadPool();
    echoThreads.submit(
        () -> {
          while (!echo.isClosed()) {
            Socket s = echo.accept();
            echoThreads.submit(
                () -> {
                  try (s;
                      InputStream in = s.getInputStream();
                      OutputStream out = s.getOutputStream()) {
                    in.transferTo(out);
                  }
                  return null;
                });
          }
          return null;
        });
  }

  @AfterEach
  void stopServers() throws Exception {
    sshd.stop(true);
    echo.close();
    echoThreads.shutdownNow();
  }

  @Test
  void forwardsBytesToTheRemoteEndAndBack() throws Exception {
    try (SshTunnel tunnel =
        SshTunnel.open(config(userKey, null), "127.0.0.1", echo.getLocalPort(), TIMEOUT)) {
      assertThat(tunnel.localPort()).isNotEqualTo(echo.getLocalPort());
      assertThat(echoThrough(tunnel.localPort(), "hello through the bastion"))
          .isEqualTo("hello through the bastion");
    }
  }

  @Test
  void aJdbcConnectionToPostgresWorksThroughTheTunnel() throws Exception {
    URI pg = URI.create(PG.jdbcUrl().substring("jdbc:".length()));
    try (SshTunnel tunnel =
        SshTunnel.open(config(userKey, null), pg.getHost(), pg.getPort(), TIMEOUT)) {
      String viaTunnel =
          PG.jdbcUrl()
              .replace(pg.getHost() + ":" + pg.getPort(), "127.0.0.1:" + tunnel.localPort());
      try (Connection c = DriverManager.getConnection(viaTunnel);
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT current_database(), inet_server_port()")) {
        assertThat(rs.next()).isTrue();
        assertThat(PG.jdbcUrl()).contains("/" + rs.getString(1));
        assertThat(rs.getInt(2)).isEqualTo(pg.getPort());
      }
    }
  }

  @Test
  @SuppressWarnings("try") // closed early on purpose, to check what closing does
  void theConnectionFactoryGoesThroughTheTunnelAndStillChecksTheRealHostName() throws Exception {
    SourceConfig source =
        SourceConfig.builder()
            .host("127.0.0.1")
            .port(echo.getLocalPort())
            .database("shop")
            .user("mssql2mz")
            .sslMode(SslMode.VERIFY_FULL)
            .sshTunnel(config(userKey, null))
            .build();
    try (SqlServerConnectionFactory factory = new SqlServerConnectionFactory(source)) {
      SqlServerConnectionFactory.ConnectionTarget target = factory.target();
      int localPort = Integer.parseInt(target.properties().getProperty("portNumber"));
      assertThat(localPort).isNotEqualTo(echo.getLocalPort());
      assertThat(target.properties())
          .containsEntry("serverName", "127.0.0.1")
          .containsEntry("hostNameInCertificate", "127.0.0.1");
      assertThat(target.describe()).contains("via ssh://tunnel@127.0.0.1:" + sshd.getPort());
      assertThat(echoThrough(localPort, "to sql server")).isEqualTo("to sql server");
      assertThat(factory.target().properties().getProperty("portNumber"))
          .as("one tunnel per factory")
          .isEqualTo(Integer.toString(localPort));
      factory.close();
      assertThatThrownBy(() -> echoThrough(localPort, "closed")).isInstanceOf(IOException.class);
    }
  }

  @Test
  void closingTheTunnelStopsTheLocalPort() throws Exception {
    SshTunnel tunnel =
        SshTunnel.open(config(userKey, null), "127.0.0.1", echo.getLocalPort(), TIMEOUT);
    int port = tunnel.localPort();
    assertThat(echoThrough(port, "x")).isEqualTo("x");
    tunnel.close();
    assertThat(tunnel.isOpen()).isFalse();
    assertThatThrownBy(() -> echoThrough(port, "y")).isInstanceOf(IOException.class);
  }

  @Test
  void aRefusedKeyFailsWithAnErrorNamingTheBastionAndTheFix() throws Exception {
    KeyPair stranger = rsa();
    assertThatThrownBy(
            () -> SshTunnel.open(config(stranger, null), "127.0.0.1", echo.getLocalPort(), TIMEOUT))
        .isInstanceOf(SshTunnel.SshTunnelException.class)
        .hasMessageStartingWith("SSH tunnel ssh://tunnel@127.0.0.1:" + sshd.getPort())
        .hasMessageContaining(
            "the bastion refused the private key from source.ssh-tunnel.private-key (file ")
        .hasMessageContaining("Add the matching public key to ~tunnel/.ssh/authorized_keys");
  }

  @Test
  void aKnownHostsFileAcceptsTheRightHostKeyAndRejectsAnUnknownOne() throws Exception {
    Path knownHosts = dir.resolve("known_hosts");
    Files.writeString(
        knownHosts,
        "[127.0.0.1]:"
            + sshd.getPort()
            + " "
            + PublicKeyEntry.toString(hostKey.getPublic())
            + "\n");
    try (SshTunnel tunnel =
        SshTunnel.open(
            config(userKey, knownHosts.toString()), "127.0.0.1", echo.getLocalPort(), TIMEOUT)) {
      assertThat(echoThrough(tunnel.localPort(), "known")).isEqualTo("known");
    }

    Files.writeString(
        knownHosts,
        "[127.0.0.1]:" + sshd.getPort() + " " + PublicKeyEntry.toString(rsa().getPublic()) + "\n");
    assertThatThrownBy(
            () ->
                SshTunnel.open(
                    config(userKey, knownHosts.toString()),
                    "127.0.0.1",
                    echo.getLocalPort(),
                    TIMEOUT))
        .isInstanceOf(SshTunnel.SshTunnelException.class)
        .hasMessageContaining("the bastion's host key is not accepted by " + knownHosts)
        .hasMessageContaining("ssh-keyscan -p " + sshd.getPort() + " 127.0.0.1");
  }

  @Test
  void anUnreachableBastionIsReportedWithTheHostAndPort() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    SshTunnelConfig config =
        new SshTunnelConfig("127.0.0.1", closed, "tunnel", keyFile(userKey), null);
    assertThatThrownBy(() -> SshTunnel.open(config, "127.0.0.1", 1433, TIMEOUT))
        .isInstanceOf(SshTunnel.SshTunnelException.class)
        .hasMessageContaining("ssh://tunnel@127.0.0.1:" + closed)
        .hasMessageContaining("cannot reach the bastion")
        .hasMessageContaining("Check source.ssh-tunnel.host and source.ssh-tunnel.port");
  }

  @Test
  void garbageInsteadOfAKeyIsReportedWithoutItsContent() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-key"), "password123-not-a-key");
    SshTunnelConfig config =
        new SshTunnelConfig(
            "127.0.0.1",
            sshd.getPort(),
            "tunnel",
            Secret.fromFile("source.ssh-tunnel.private-key", file.toString()),
            null);
    assertThatThrownBy(() -> SshTunnel.open(config, "127.0.0.1", echo.getLocalPort(), TIMEOUT))
        .isInstanceOf(SshTunnel.SshTunnelException.class)
        .hasMessageContaining("source.ssh-tunnel.private-key (file " + file + ")")
        .hasMessageNotContaining("password123");
  }

  private SshTunnelConfig config(KeyPair key, String knownHosts) throws Exception {
    return new SshTunnelConfig("127.0.0.1", sshd.getPort(), "tunnel", keyFile(key), knownHosts);
  }

  private Secret keyFile(KeyPair key) throws Exception {
    Path file = Files.createTempFile(dir, "id_rsa", "");
    Files.writeString(file, openSsh(key));
    return Secret.fromFile("source.ssh-tunnel.private-key", file.toString());
  }

  private static String openSsh(KeyPair key) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "test", null, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  private static String echoThrough(int port, String message) throws IOException {
    byte[] sent = message.getBytes(StandardCharsets.UTF_8);
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write(sent);
      s.getOutputStream().flush();
      // No half-close: SSH port forwards close the whole channel on EOF.
      byte[] answer = s.getInputStream().readNBytes(sent.length);
      if (answer.length == 0) {
        throw new IOException("the forward closed the connection without an answer");
      }
      return new String(answer, StandardCharsets.UTF_8);
    }
  }
}
