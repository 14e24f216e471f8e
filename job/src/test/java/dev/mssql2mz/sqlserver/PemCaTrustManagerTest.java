package dev.mssql2mz.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify-ca} over a real TLS handshake: the server's certificate names {@code
 * db.example.com} but the client connects to {@code localhost}, so only a check without the host
 * name accepts it.
 */
class PemCaTrustManagerTest {

  @TempDir static Path dir;
  static TestCertificates good;
  static TestCertificates other;

  @BeforeAll
  static void certificates() throws Exception {
    good = TestCertificates.create(dir, "TestCA", "db.example.com");
    other = TestCertificates.create(dir, "OtherCA", "db.example.com");
  }

  @Test
  void acceptsACertificateSignedByTheCaWhateverTheHostName() throws Exception {
    assertThat(handshake(new PemCaTrustManager(good.caPem.toString()), false)).isEqualTo(42);
  }

  @Test
  void rejectsACertificateSignedByAnotherCa() {
    assertThatThrownBy(() -> handshake(new PemCaTrustManager(other.caPem.toString()), false))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void theSameChainFailsWhenTheHostNameIsChecked() throws Exception {
    // What verify-full adds: localhost is not db.example.com.
    TrustManagerFactory f = TrustManagerFactory.getInstance("PKIX");
    f.init(PemCaTrustManager.load(good.caPem.toString()));
    assertThatThrownBy(() -> handshake(f.getTrustManagers()[0], true))
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("localhost");
  }

  @Test
  void aMissingCaFileNamesTheOptionAndThePath() {
    Path missing = dir.resolve("missing.pem");
    assertThatThrownBy(() -> new PemCaTrustManager(missing.toString()))
        .hasMessageStartingWith("source.ssl-ca: cannot read " + missing);
  }

  @Test
  void aFileWithoutCertificatesIsRejected() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "");
    assertThatThrownBy(() -> new PemCaTrustManager(empty.toString()))
        .hasMessageContaining("holds no certificate");
  }

  /** Runs one TLS exchange with a server presenting {@code good}'s certificate. */
  private static int handshake(TrustManager clientTrust, boolean checkHostName) throws Exception {
    KeyStore serverKeys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(good.serverKeyStore)) {
      serverKeys.load(in, TestCertificates.PASSWORD.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(serverKeys, TestCertificates.PASSWORD.toCharArray());
    SSLContext serverContext = SSLContext.getInstance("TLS");
    serverContext.init(kmf.getKeyManagers(), null, null);
    try (SSLServerSocket server =
        (SSLServerSocket) serverContext.getServerSocketFactory().createServerSocket(0)) {
      CompletableFuture<Void> serving =
          CompletableFuture.runAsync(
              () -> {
                try (SSLSocket s = (SSLSocket) server.accept();
                    OutputStream out = s.getOutputStream()) {
                  out.write(42);
                  out.flush();
                  s.getInputStream().read();
                } catch (Exception e) {
                  // the client's failed handshake ends the exchange
                }
              });
      SSLContext clientContext = SSLContext.getInstance("TLS");
      clientContext.init(null, new TrustManager[] {clientTrust}, null);
      try (SSLSocket client =
          (SSLSocket)
              clientContext.getSocketFactory().createSocket("localhost", server.getLocalPort())) {
        if (checkHostName) {
          SSLParameters params = client.getSSLParameters();
          params.setEndpointIdentificationAlgorithm("HTTPS");
          client.setSSLParameters(params);
        }
        client.setSoTimeout(10_000);
        client.startHandshake();
        int value = client.getInputStream().read();
        client.getOutputStream().write(1);
        client.getOutputStream().flush();
        return value;
      } finally {
        serving.get(10, TimeUnit.SECONDS);
      }
    }
  }
}
