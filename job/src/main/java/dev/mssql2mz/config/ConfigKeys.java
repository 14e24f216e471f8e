package dev.mssql2mz.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Every key of the YAML job config, in the order the README lists them. {@link #markdownTable()}
 * renders the README's options table; a test fails when the two differ.
 */
public final class ConfigKeys {

  private static final List<ConfigKey> ALL = new ArrayList<>();

  public static final ConfigKey SOURCE =
      key(
          "source",
          "mapping",
          null,
          "The SQL Server database to read (like Materialize's `CREATE CONNECTION ... TO SQL SERVER` and `CREATE SOURCE`).");
  public static final ConfigKey SOURCE_HOST =
      key(
          "source.host",
          "string",
          null,
          "Host name or IP address of SQL Server; an AWS PrivateLink endpoint's DNS name works as is. Required unless `jdbc-url` is given.");
  public static final ConfigKey SOURCE_PORT =
      key("source.port", "integer 1..65535", "1433", "TCP port of SQL Server.");
  public static final ConfigKey SOURCE_DATABASE =
      key(
          "source.database",
          "string",
          null,
          "The database with CDC enabled. Required unless `jdbc-url` is given.");
  public static final ConfigKey SOURCE_USER =
      key("source.user", "string", null, "Login name (required). `setup-sql` creates it.");
  public static final ConfigKey SOURCE_PASSWORD =
      key(
          "source.password",
          "secret",
          null,
          "Password of the login: `{env: NAME}`, `{file: /path}`, or a literal (warned about).");
  public static final ConfigKey SOURCE_SSL_MODE =
      key(
          "source.ssl-mode",
          "`disabled` \\| `required` \\| `verify-ca` \\| `verify-full`",
          "`required`",
          "TLS to SQL Server: off; on without checks; on with the certificate checked against the CA; and also the host name.");
  public static final ConfigKey SOURCE_SSL_CA =
      key(
          "source.ssl-ca",
          "file path",
          null,
          "PEM file of the certificate authority for `verify-ca`/`verify-full` (default: the JVM's trust store).");
  public static final ConfigKey SOURCE_JDBC_URL =
      key(
          "source.jdbc-url",
          "string",
          null,
          "A full JDBC URL instead of host/port/database/ssl-mode, e.g. `jdbc:mssql2mz-emulator:demo` for the emulator.");
  public static final ConfigKey SOURCE_SSH_TUNNEL =
      key(
          "source.ssh-tunnel",
          "mapping",
          null,
          "Reach SQL Server through an SSH bastion: a local port forward is opened before connecting.");
  public static final ConfigKey SSH_HOST =
      key(
          "source.ssh-tunnel.host",
          "string",
          null,
          "Bastion host name (required in `ssh-tunnel`).");
  public static final ConfigKey SSH_PORT =
      key("source.ssh-tunnel.port", "integer 1..65535", "22", "Bastion SSH port.");
  public static final ConfigKey SSH_USER =
      key(
          "source.ssh-tunnel.user",
          "string",
          null,
          "User on the bastion (required in `ssh-tunnel`).");
  public static final ConfigKey SSH_PRIVATE_KEY =
      key(
          "source.ssh-tunnel.private-key",
          "file path or secret",
          null,
          "OpenSSH/PEM private key: a file path, `{file: /path}` or `{env: NAME}` holding the key text (required in `ssh-tunnel`).");
  public static final ConfigKey SSH_KNOWN_HOSTS =
      key(
          "source.ssh-tunnel.known-hosts",
          "file path",
          null,
          "known_hosts file to check the bastion's host key; without it any host key is accepted, with a warning.");
  public static final ConfigKey SOURCE_TABLES =
      key(
          "source.tables",
          "`all` or list of `schema.table [as name]`",
          "`all`",
          "Tables to replicate: every CDC-enabled table, or the listed ones, optionally renamed in the target. Names may be quoted `[..]`.");
  public static final ConfigKey SOURCE_SCHEMAS =
      key(
          "source.schemas",
          "list of schema names",
          null,
          "Also replicate every CDC-enabled table of these schemas (cannot be combined with `tables: all`).");
  public static final ConfigKey SOURCE_EXCLUDE_COLUMNS =
      key(
          "source.exclude-columns",
          "list of `schema.table.column`",
          null,
          "Columns left out of the target (e.g. types the target cannot hold).");
  public static final ConfigKey SOURCE_TEXT_COLUMNS =
      key(
          "source.text-columns",
          "list of `schema.table.column`",
          null,
          "Columns ingested as text instead of their own type.");
  public static final ConfigKey TARGET =
      key(
          "target",
          "mapping",
          null,
          "Where the data goes: Materialize or PostgreSQL, over the PostgreSQL wire protocol.");
  public static final ConfigKey TARGET_URL =
      key("target.url", "`jdbc:postgresql://...`", null, "JDBC URL of the target (required).");
  public static final ConfigKey TARGET_USER =
      key("target.user", "string", null, "Target user (or in the URL).");
  public static final ConfigKey TARGET_PASSWORD =
      key(
          "target.password",
          "secret",
          null,
          "Target password: `{env: NAME}`, `{file: /path}`, or a literal (warned about).");
  public static final ConfigKey TARGET_DIALECT =
      key(
          "target.dialect",
          "`materialize` \\| `postgres`",
          "`materialize`",
          "What the target is: change tables and views for Materialize, typed tables for PostgreSQL.");
  public static final ConfigKey TARGET_SCHEMA =
      key("target.schema", "identifier", "`public`", "Schema the tables and views are created in.");
  public static final ConfigKey TARGET_SOURCE_NAME =
      key(
          "target.source-name",
          "identifier",
          "`mssql2mz`",
          "Name of this source in the target; the progress table is `<source-name>_progress`.");
  public static final ConfigKey TARGET_SSL_MODE =
      key(
          "target.ssl-mode",
          "`disabled` \\| `required` \\| `verify-ca` \\| `verify-full`",
          "as the URL says",
          "TLS to the target, mapped onto the PostgreSQL driver's `sslmode`.");
  public static final ConfigKey FLINK = key("flink", "mapping", null, "How the Flink job runs.");
  public static final ConfigKey FLINK_PARALLELISM =
      key(
          "flink.parallelism",
          "integer >= 1",
          "1",
          "Parallelism of the snapshot readers and the sink writers.");
  public static final ConfigKey FLINK_CHECKPOINT_INTERVAL =
      key(
          "flink.checkpoint-interval",
          "duration (`500ms`, `10s`, `2m`, `1h`)",
          "`10s`",
          "How often changes are committed to the target (at least 100ms).");
  public static final ConfigKey FLINK_CHUNK_SIZE =
      key("flink.chunk-size", "integer >= 1", "8096", "Rows per snapshot chunk.");
  public static final ConfigKey FLINK_POLL_INTERVAL =
      key(
          "flink.poll-interval",
          "duration",
          "`1s`",
          "How long the change reader waits when the change tables have nothing new (10ms..1m).");
  public static final ConfigKey FLINK_DISCOVERY_INTERVAL =
      key(
          "flink.discovery-interval",
          "duration",
          "`30s`",
          "How often the source looks for new capture instances of its tables, and for tables"
              + " enabled for CDC after the job started (100ms..1d). Such a table is reported in"
              + " the log and added when the job is restarted from a savepoint.");
  public static final ConfigKey FLINK_STATE_BACKEND =
      key("flink.state-backend", "`hashmap` \\| `rocksdb`", "`hashmap`", "Flink state backend.");
  public static final ConfigKey FLINK_CHECKPOINT_DIR =
      key(
          "flink.checkpoint-dir",
          "URI",
          null,
          "Where checkpoints are stored, e.g. `file:///var/lib/mssql2mz/checkpoints` or `s3://bucket/path` (default: the cluster's; a local `run` uses `./mssql2mz-checkpoints`).");
  public static final ConfigKey FLINK_SAVEPOINT =
      key("flink.savepoint", "URI", null, "Savepoint or retained checkpoint to start from.");

  private ConfigKeys() {}

  private static ConfigKey key(String path, String type, String defaultValue, String description) {
    ConfigKey key = new ConfigKey(path, type, defaultValue, description);
    ALL.add(key);
    return key;
  }

  /** All keys, parents before their children. */
  public static List<ConfigKey> all() {
    return Collections.unmodifiableList(ALL);
  }

  /** The key at {@code path}, if there is one. */
  public static Optional<ConfigKey> byPath(String path) {
    return ALL.stream().filter(k -> k.path().equals(path)).findFirst();
  }

  /** The keys directly inside the mapping at {@code parentPath} ({@code ""} for the top). */
  public static List<ConfigKey> childrenOf(String parentPath) {
    List<ConfigKey> children = new ArrayList<>();
    for (ConfigKey key : ALL) {
      if (key.parentPath().equals(parentPath)) {
        children.add(key);
      }
    }
    return children;
  }

  /** The README's options table, as Markdown. */
  public static String markdownTable() {
    StringBuilder sb = new StringBuilder();
    sb.append("| key | type | default | what it does |\n");
    sb.append("|---|---|---|---|\n");
    for (ConfigKey key : ALL) {
      sb.append("| `")
          .append(key.path())
          .append("` | ")
          .append(key.type())
          .append(" | ")
          .append(key.defaultValue() == null ? "" : key.defaultValue())
          .append(" | ")
          .append(key.description())
          .append(" |\n");
    }
    return sb.toString();
  }
}
