package dev.mssql2mz.sqlserver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The trust manager of {@code ssl-mode: verify-ca}: checks the server's certificate chain against
 * the CA certificates of a PEM file (or the JVM's trust store when none is given) and, on purpose,
 * not the host name.
 *
 * <p>mssql-jdbc instantiates it by name ({@code trustManagerClass}) with the PEM path as its only
 * constructor argument ({@code trustManagerConstructorArg}); given a custom trust manager, the
 * driver leaves all certificate checks, host name included, to it. It is a plain {@link
 * X509TrustManager}, not an extended one, so that JSSE adds no endpoint identification either.
 */
public final class PemCaTrustManager implements X509TrustManager {

  private final X509TrustManager delegate;

  /** Checks the chain against the JVM's trust store (verify-ca without {@code ssl-ca}). */
  public PemCaTrustManager() throws GeneralSecurityException, IOException {
    this(null);
  }

  /**
   * @param pemPath a PEM file with one or more CA certificates; empty for the JVM's trust store
   */
  public PemCaTrustManager(String pemPath) throws GeneralSecurityException, IOException {
    this.delegate = pkixTrustManager(pemPath == null || pemPath.isEmpty() ? null : load(pemPath));
  }

  /** A key store holding the certificates of a PEM file as trusted entries. */
  static KeyStore load(String pemPath) throws GeneralSecurityException, IOException {
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(Paths.get(pemPath))) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (IOException e) {
      throw new IOException(
          "source.ssl-ca: cannot read "
              + pemPath
              + " ("
              + e.getClass().getSimpleName()
              + "). Give the PEM file of the CA that signed SQL Server's certificate.",
          e);
    }
    if (certificates.isEmpty()) {
      throw new CertificateException(
          "source.ssl-ca: "
              + pemPath
              + " holds no certificate; give a PEM file (BEGIN CERTIFICATE).");
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    int i = 0;
    for (Certificate c : certificates) {
      store.setCertificateEntry("ca-" + i++, c);
    }
    return store;
  }

  private static X509TrustManager pkixTrustManager(KeyStore trusted)
      throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trusted);
    for (TrustManager tm : factory.getTrustManagers()) {
      if (tm instanceof X509TrustManager) {
        return (X509TrustManager) tm;
      }
    }
    throw new GeneralSecurityException("No X509TrustManager in " + factory.getAlgorithm());
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    delegate.checkClientTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    delegate.checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }
}
