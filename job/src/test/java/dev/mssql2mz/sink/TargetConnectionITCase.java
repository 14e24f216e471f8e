package dev.mssql2mz.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mssql2mz.config.Secret;
import dev.mssql2mz.config.SslMode;
import dev.mssql2mz.testing.PostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the sink connects (URL, user, password from a secret, SSL mode, session name), against the
 * real PostgreSQL server, which has no TLS.
 */
class TargetConnectionITCase {

  @RegisterExtension final PostgresExtension pg = new PostgresExtension();

  @TempDir Path dir;

  private MaterializeSinkBuilder sink() {
    return MaterializeSink.builder()
        .targetUrl(pg.jdbcUrl())
        .user(pg.user())
        .password(pg.password())
        .schema("s")
        .sourceName("erp")
        .tables(List.of(SinkFixtures.ACCOUNTS))
        .materializeWithoutIndexes()
        .connectTimeout(Duration.ofMillis(300))
        .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(50));
  }

  @Test
  void sslModeDisabledConnectsAndRequiredFailsNamingTheTargetAndTheFix() {
    assertThatCode(() -> sink().sslMode(SslMode.DISABLED).build().checkConnection())
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> sink().sslMode(SslMode.REQUIRED).build().checkConnection())
        .isInstanceOf(TargetUnreachableException.class)
        .hasMessageContaining("Cannot connect to the target " + pg.jdbcUrl())
        .hasMessageContaining("SSL")
        .hasMessageContaining("target.ssl-mode");
  }

  @Test
  void thePasswordIsReadFromItsSecretWhereTheSinkConnects() throws Exception {
    Path file = dir.resolve("target-password");
    MaterializeSink sink =
        sink()
            .password(Secret.fromFile("target.password", file.toString()))
            .sslMode(SslMode.DISABLED)
            .build();
    // Built before the file exists: only the reference travels with the sink.
    assertThat(sink.toString()).doesNotContain("target-password-value");
    assertThatThrownBy(sink::checkConnection)
        .hasMessageContaining("target.password: cannot read secret file " + file);
    Files.writeString(file, pg.password() == null ? "target-password-value" : pg.password());
    assertThatCode(sink::checkConnection).doesNotThrowAnyException();
  }

  @Test
  void sinkSessionsNameTheirDialectAndRole() throws Exception {
    MaterializeSink sink = sink().build();
    TargetConnector connector =
        new TargetConnector(sink.settings(), ConnectionDecorator.Role.COMMITTER);
    try (Connection c = connector.open();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_setting('application_name')")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("mssql2mz-materialize-committer");
    }
  }

  @Test
  void anUnreachableTargetIsRetriedWithBackoffUntilTheConnectTimeout() {
    MaterializeSink sink =
        sink()
            .targetUrl("jdbc:postgresql://127.0.0.1:1/nowhere?password=hidden-in-url")
            // Refused connections fail at once: back-off 100, 200, 400, 800 ms, and it gives up
            // when the next wait (1.6 s) would pass the 2 s timeout, at about 1.5 s.
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    TargetConnector connector =
        new TargetConnector(sink.settings(), ConnectionDecorator.Role.WRITER);
    long start = System.nanoTime();
    assertThatThrownBy(connector::open)
        .hasMessageContaining("Cannot connect to the target jdbc:postgresql://127.0.0.1:1/nowhere")
        .hasMessageContaining("password=***")
        .hasMessageNotContaining("hidden-in-url")
        .hasMessageMatching("(?s).*after ([3-9]|\\d\\d+) attempts.*");
    long elapsedMs = (System.nanoTime() - start) / 1_000_000L;
    assertThat(elapsedMs)
        .as("gave up at the connect timeout, not at once")
        .isBetween(1_000L, 10_000L);
  }
}
