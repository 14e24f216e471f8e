package dev.mssql2mz.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mssql2mz.config.Secret;
import dev.mssql2mz.config.SourceConfig;
import dev.mssql2mz.config.SslMode;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlServerConnectionFactoryTest {

  private static SourceConfig.Builder source(SslMode mode) {
    return SourceConfig.builder()
        .host("db.example.com")
        .port(14330)
        .database("shop;odd}name")
        .user("mssql2mz")
        .password(Secret.literal("source.password", "pw"))
        .sslMode(mode);
  }

  private static Properties props(SourceConfig config) throws SQLException {
    try (SqlServerConnectionFactory f = new SqlServerConnectionFactory(config)) {
      return f.target().properties();
    }
  }

  @Test
  void disabledTurnsEncryptionOff() throws Exception {
    Properties p = props(source(SslMode.DISABLED).build());
    assertThat(p).containsEntry("encrypt", "false").doesNotContainKey("trustServerCertificate");
  }

  @Test
  void requiredEncryptsWithoutCheckingTheCertificate() throws Exception {
    Properties p = props(source(SslMode.REQUIRED).build());
    assertThat(p).containsEntry("encrypt", "true").containsEntry("trustServerCertificate", "true");
  }

  @Test
  void verifyCaChecksTheChainWithOurTrustManagerAndNotTheHostName() throws Exception {
    Properties p = props(source(SslMode.VERIFY_CA).sslCa("/etc/ca.pem").build());
    assertThat(p)
        .containsEntry("encrypt", "true")
        .containsEntry("trustServerCertificate", "false")
        .containsEntry("trustManagerClass", PemCaTrustManager.class.getName())
        .containsEntry("trustManagerConstructorArg", "/etc/ca.pem")
        .doesNotContainKey("hostNameInCertificate");
  }

  @Test
  void verifyCaWithoutCaFileUsesTheJvmTrustStoreThroughTheNoArgumentConstructor() throws Exception {
    Properties p = props(source(SslMode.VERIFY_CA).build());
    assertThat(p)
        .containsEntry("trustManagerClass", PemCaTrustManager.class.getName())
        .doesNotContainKey("trustManagerConstructorArg");
    assertThat(new PemCaTrustManager().getAcceptedIssuers()).isNotEmpty();
  }

  @Test
  @SuppressWarnings("try") // closed early on purpose, to check what closing does
  void verifyFullChecksTheHostNameOfTheConfiguredHost(@TempDir Path dir) throws Exception {
    TestCertificates certs = TestCertificates.create(dir, "FullCA", "db.example.com");
    SourceConfig config = source(SslMode.VERIFY_FULL).sslCa(certs.caPem.toString()).build();
    try (SqlServerConnectionFactory f = new SqlServerConnectionFactory(config)) {
      Properties p = f.target().properties();
      assertThat(p)
          .containsEntry("encrypt", "true")
          .containsEntry("trustServerCertificate", "false")
          .containsEntry("hostNameInCertificate", "db.example.com")
          .containsEntry("trustStoreType", "PKCS12")
          .doesNotContainKey("trustManagerClass");
      Path store = Path.of(p.getProperty("trustStore"));
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        ks.load(in, p.getProperty("trustStorePassword").toCharArray());
      }
      String alias = Collections.list(ks.aliases()).get(0);
      assertThat(ks.isCertificateEntry(alias)).isTrue();
      assertThat(((X509Certificate) ks.getCertificate(alias)).getSubjectX500Principal().getName())
          .isEqualTo("CN=FullCA");
      f.close();
      assertThat(store).doesNotExist();
    }
  }

  @Test
  void verifyFullWithoutCaUsesTheJvmTrustStore() throws Exception {
    Properties p = props(source(SslMode.VERIFY_FULL).build());
    assertThat(p)
        .containsEntry("hostNameInCertificate", "db.example.com")
        .doesNotContainKey("trustStore");
  }

  @Test
  void namesGoIntoPropertiesSoNoUrlEscapingIsNeeded() throws Exception {
    try (SqlServerConnectionFactory f =
        new SqlServerConnectionFactory(source(SslMode.REQUIRED).build())) {
      SqlServerConnectionFactory.ConnectionTarget t = f.target();
      assertThat(t.url()).isEqualTo("jdbc:sqlserver://");
      assertThat(t.properties())
          .containsEntry("serverName", "db.example.com")
          .containsEntry("portNumber", "14330")
          .containsEntry("databaseName", "shop;odd}name")
          .containsEntry("applicationName", "mssql2mz")
          .doesNotContainKey("password");
      assertThat(t.describe())
          .isEqualTo("db.example.com:14330/shop;odd}name (ssl-mode required)")
          .doesNotContain("pw");
    }
  }

  @Test
  void aJdbcUrlIsUsedAsIs() throws Exception {
    SourceConfig config =
        SourceConfig.builder().jdbcUrl("jdbc:mssql2mz-emulator:demo").user("sa").build();
    try (SqlServerConnectionFactory f = new SqlServerConnectionFactory(config)) {
      assertThat(f.target().url()).isEqualTo("jdbc:mssql2mz-emulator:demo");
      assertThat(f.target().properties()).isEmpty();
    }
  }

  @Test
  void theDriverTakesHostAndPortFromTheProperties() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    SourceConfig config =
        source(SslMode.DISABLED).host("127.0.0.1").port(closedPort).database("shop").build();
    try (SqlServerConnectionFactory f = new SqlServerConnectionFactory(config)) {
      Properties p = f.target().properties();
      p.setProperty("loginTimeout", "3");
      p.setProperty("user", "u");
      assertThatThrownBy(() -> DriverManager.getConnection(f.target().url(), p))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("127.0.0.1")
          .hasMessageContaining(Integer.toString(closedPort));
    }
  }

  @Test
  void connectionErrorsNameTheServerAndUserButNotThePassword() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    SourceConfig config =
        source(SslMode.DISABLED)
            .host("127.0.0.1")
            .port(closedPort)
            .database("shop")
            .password(Secret.literal("source.password", "very-secret-pw"))
            .build();
    try (SqlServerConnectionFactory f = new SqlServerConnectionFactory(config)) {
      assertThatThrownBy(f::connect)
          .hasMessageStartingWith(
              "Cannot connect to SQL Server at 127.0.0.1:"
                  + closedPort
                  + "/shop (ssl-mode disabled) as mssql2mz:")
          .hasMessageNotContaining("very-secret-pw");
    }
  }
}
