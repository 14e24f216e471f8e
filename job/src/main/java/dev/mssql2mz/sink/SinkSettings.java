package dev.mssql2mz.sink;

import dev.mssql2mz.config.Secret;
import dev.mssql2mz.config.SslMode;
import java.io.Serializable;
import java.time.Duration;

/**
 * Everything a sink's writers and committer need, fixed by {@link MaterializeSinkBuilder#build()}.
 * A password given as a {@link Secret} travels as its reference only and is read where a connection
 * is opened; a plain password travels with the job (as in every Flink JDBC sink). Neither appears
 * in {@link #toString()} or a log line.
 */
final class SinkSettings implements Serializable {

  private static final long serialVersionUID = 1L;

  final String url;
  final String user;
  final String password;
  final Secret passwordSecret;
  final SslMode sslMode;
  final String sslRootCert;
  final TargetDialect dialect;
  final TargetModel model;
  final int batchSize;
  final int maxBufferedRows;
  final WriteMethod writeMethod;
  final boolean startOver;
  final int commitAttempts;
  final Duration initialBackoff;
  final Duration maxBackoff;
  final Duration connectTimeout;
  final int compactionEveryEpochs;
  final int compactionMaxGroups;
  final int progressRetentionEpochs;
  final ConnectionDecorator decorator;

  SinkSettings(MaterializeSinkBuilder b, TargetModel model) {
    this.url = b.url;
    this.user = b.user;
    this.password = b.password;
    this.passwordSecret = b.passwordSecret;
    this.sslMode = b.sslMode;
    this.sslRootCert = b.sslRootCert;
    this.dialect = b.dialect;
    this.model = model;
    this.batchSize = b.batchSize;
    this.maxBufferedRows = b.maxBufferedRows > 0 ? b.maxBufferedRows : 4 * b.batchSize;
    this.writeMethod = b.writeMethod;
    this.startOver = b.startOver;
    this.commitAttempts = b.commitAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.connectTimeout = b.connectTimeout;
    this.compactionEveryEpochs = b.compactionEveryEpochs;
    this.compactionMaxGroups = b.compactionMaxGroups;
    this.progressRetentionEpochs = b.progressRetentionEpochs;
    this.decorator = b.decorator;
  }

  /** The password to connect with, read from its secret now; null when there is none. */
  String revealPassword() {
    return passwordSecret != null ? passwordSecret.reveal() : password;
  }

  /** The URL for messages: a password given as a URL parameter is masked. */
  String redactedUrl() {
    return url.replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  /** The back-off before attempt {@code attempt} (1-based) of a retried operation. */
  long backoffMillis(int attempt) {
    long ms = initialBackoff.toMillis() << Math.min(20, Math.max(0, attempt - 1));
    return Math.min(ms, maxBackoff.toMillis());
  }

  @Override
  public String toString() {
    return "target "
        + redactedUrl()
        + " user "
        + user
        + " password "
        + (password == null && passwordSecret == null ? "(none)" : "(set)")
        + ", dialect "
        + dialect.name()
        + ", schema "
        + model.schema()
        + ", source "
        + model.sourceName()
        + ", "
        + model.tables().size()
        + " tables, batch "
        + batchSize
        + ", "
        + writeMethod
        + (startOver ? ", start over" : "");
  }
}
