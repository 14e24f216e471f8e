package dev.mssql2mz.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Loads and validates the YAML job config. Every problem is collected and reported at once in a
 * {@link ConfigException}, each with the key's path and, for choices, the allowed values.
 *
 * <p>The YAML is read into a tree first and walked key by key (not bound to classes by Jackson), so
 * that one bad value does not hide the others and unknown keys are reported with the keys that are
 * allowed in their place.
 */
public final class JobConfigLoader {

  private static final Pattern TARGET_IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private final ObjectMapper mapper;
  private final Set<ConfigKey> keysRead = new LinkedHashSet<>();

  public JobConfigLoader() {
    YAMLFactory yaml =
        YAMLFactory.builder()
            // Never echo a config's text (which may hold a literal password) in a parse error.
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    // Modules are registered explicitly, never discovered: a relocated Module service entry of
    // the Flink CDC fat jar breaks findAndRegisterModules() (reference/platform-facts.md).
    this.mapper = new ObjectMapper(yaml);
  }

  /** Loads the config file at {@code file}. */
  public JobConfig load(Path file) throws ConfigException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(
          file.toString(),
          List.of(
              "cannot read the config file ("
                  + e.getClass().getSimpleName()
                  + "); check the path given to --config."));
    }
    return parse(text, file.toString());
  }

  /** Parses config text; {@code origin} names it in error messages. */
  public JobConfig parse(String yamlText, String origin) throws ConfigException {
    JsonNode root;
    try (JsonParser parser = mapper.createParser(yamlText)) {
      root = mapper.readTree(parser);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new ConfigException(
          origin, List.of("not valid YAML" + where + ": " + firstLine(e.getOriginalMessage())));
    } catch (IOException e) {
      throw new ConfigException(origin, List.of("cannot read the config: " + e.getMessage()));
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new ConfigException(
          origin, List.of("the config is empty; it needs at least 'source' and 'target'."));
    }
    if (!root.isObject()) {
      throw new ConfigException(
          origin,
          List.of(
              "the config must be a mapping with 'source', 'target' and 'flink', got "
                  + MappingReader.describe(root)
                  + "."));
    }
    List<String> problems = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    MappingReader top = new MappingReader("", root, problems, warnings, keysRead);
    top.rejectUnknownKeys();

    SourceConfig source = readSource(top, problems);
    TargetConfig target = readTarget(top);
    FlinkConfig flink = readFlink(top);
    if (!problems.isEmpty()) {
      throw new ConfigException(origin, problems);
    }
    return new JobConfig(source, target, flink, warnings);
  }

  /** The keys this loader has looked at so far (tests check it covers {@link ConfigKeys}). */
  Set<ConfigKey> keysRead() {
    return Collections.unmodifiableSet(keysRead);
  }

  private SourceConfig readSource(MappingReader top, List<String> problems) {
    MappingReader r = top.mapping(ConfigKeys.SOURCE);
    if (r == null) {
      if (!top.has(ConfigKeys.SOURCE)) {
        top.problem(ConfigKeys.SOURCE, "required: the SQL Server to read from.");
      }
      return null;
    }
    r.rejectUnknownKeys();
    SourceConfig.Builder b = SourceConfig.builder();
    String jdbcUrl = r.string(ConfigKeys.SOURCE_JDBC_URL);
    if (jdbcUrl != null) {
      if (!jdbcUrl.startsWith("jdbc:")) {
        r.problem(
            ConfigKeys.SOURCE_JDBC_URL,
            "must start with 'jdbc:', e.g. jdbc:sqlserver://host:1433;databaseName=db"
                + " or jdbc:mssql2mz-emulator:demo.");
      }
      for (ConfigKey k :
          List.of(
              ConfigKeys.SOURCE_HOST,
              ConfigKeys.SOURCE_PORT,
              ConfigKeys.SOURCE_DATABASE,
              ConfigKeys.SOURCE_SSL_MODE,
              ConfigKeys.SOURCE_SSL_CA)) {
        if (r.has(k)) {
          r.problem(
              k,
              "cannot be combined with source.jdbc-url; put it into the URL or remove"
                  + " source.jdbc-url.");
        }
      }
      b.jdbcUrl(jdbcUrl);
    } else {
      String why = " (or give source.jdbc-url)";
      b.host(r.requiredString(ConfigKeys.SOURCE_HOST, why));
      b.database(r.requiredString(ConfigKeys.SOURCE_DATABASE, why));
    }
    b.port(r.integer(ConfigKeys.SOURCE_PORT, 1, 65535, SourceConfig.DEFAULT_PORT));
    b.user(r.requiredString(ConfigKeys.SOURCE_USER, ": the SQL Server login to connect as"));
    b.password(r.secret(ConfigKeys.SOURCE_PASSWORD, false));
    SslMode sslMode = r.choice(ConfigKeys.SOURCE_SSL_MODE, sslModes(), SslMode.REQUIRED);
    b.sslMode(sslMode);
    String sslCa = r.string(ConfigKeys.SOURCE_SSL_CA);
    if (sslCa != null && !sslMode.verifiesCertificate() && jdbcUrl == null) {
      r.problem(
          ConfigKeys.SOURCE_SSL_CA,
          "is only used with ssl-mode verify-ca or verify-full, but ssl-mode is "
              + sslMode.configName()
              + ".");
    }
    b.sslCa(sslCa);
    b.sshTunnel(readSshTunnel(r));
    b.selection(readSelection(r));
    try {
      return problems.isEmpty() ? b.build() : null;
    } catch (IllegalStateException e) {
      return null;
    }
  }

  private SshTunnelConfig readSshTunnel(MappingReader source) {
    MappingReader r = source.mapping(ConfigKeys.SOURCE_SSH_TUNNEL);
    if (r == null) {
      return null;
    }
    r.rejectUnknownKeys();
    String host = r.requiredString(ConfigKeys.SSH_HOST, ": the bastion's host name");
    int port = r.integer(ConfigKeys.SSH_PORT, 1, 65535, 22);
    String user = r.requiredString(ConfigKeys.SSH_USER, ": the user on the bastion");
    Secret key = null;
    if (!r.has(ConfigKeys.SSH_PRIVATE_KEY)) {
      r.problem(
          ConfigKeys.SSH_PRIVATE_KEY,
          "required: a private key file path, {file: /path} or {env: VARIABLE}.");
    } else {
      key = r.secret(ConfigKeys.SSH_PRIVATE_KEY, true);
    }
    String knownHosts = r.string(ConfigKeys.SSH_KNOWN_HOSTS);
    if (host == null || user == null || key == null) {
      return null;
    }
    return new SshTunnelConfig(host, port, user, key, knownHosts);
  }

  private TableSelection readSelection(MappingReader r) {
    boolean all = false;
    List<SelectedTable> tables = new ArrayList<>();
    JsonNode tablesNode = r.raw(ConfigKeys.SOURCE_TABLES);
    if (tablesNode == null) {
      all = !r.has(ConfigKeys.SOURCE_SCHEMAS);
    } else if (tablesNode.isTextual() && tablesNode.asText().trim().equalsIgnoreCase("all")) {
      all = true;
    } else if (tablesNode.isArray()) {
      tables = r.list(ConfigKeys.SOURCE_TABLES, QualifiedNames::selectedTable, "[dbo.orders]");
      if (tablesNode.size() == 0) {
        r.problem(
            ConfigKeys.SOURCE_TABLES,
            "the list is empty; list tables as schema.table, or write 'tables: all'.");
      }
    } else {
      r.problem(
          ConfigKeys.SOURCE_TABLES,
          "expected 'all' or a list of schema.table [as name], got "
              + MappingReader.describe(tablesNode)
              + ".");
    }
    List<String> schemas =
        r.list(
            ConfigKeys.SOURCE_SCHEMAS,
            s -> {
              List<String> parts = QualifiedNames.parse(s);
              if (parts.size() != 1) {
                throw new IllegalArgumentException("expected a schema name without dots");
              }
              return parts.get(0);
            },
            "[sales]");
    if (all && !schemas.isEmpty()) {
      r.problem(
          ConfigKeys.SOURCE_SCHEMAS,
          "cannot be combined with 'tables: all' (which already selects every schema); remove"
              + " one of them.");
    }
    List<ColumnRef> exclude =
        r.list(ConfigKeys.SOURCE_EXCLUDE_COLUMNS, QualifiedNames::column, "[dbo.orders.notes]");
    List<ColumnRef> text =
        r.list(ConfigKeys.SOURCE_TEXT_COLUMNS, QualifiedNames::column, "[dbo.orders.payload]");

    checkDuplicateTables(r, tables);
    checkTargetNameCollisions(r, tables);
    TableSelection selection = new TableSelection(all, tables, schemas, exclude, text);
    checkColumnsAreSelected(r, ConfigKeys.SOURCE_EXCLUDE_COLUMNS, exclude, selection);
    checkColumnsAreSelected(r, ConfigKeys.SOURCE_TEXT_COLUMNS, text, selection);
    for (ColumnRef c : exclude) {
      if (text.contains(c)) {
        r.problem(
            ConfigKeys.SOURCE_TEXT_COLUMNS,
            c + " is also in exclude-columns; a column is either excluded or ingested as text.");
      }
    }
    return selection;
  }

  private static void checkDuplicateTables(MappingReader r, List<SelectedTable> tables) {
    Set<TableRef> seen = new HashSet<>();
    for (SelectedTable t : tables) {
      if (!seen.add(t.table())) {
        r.problem(ConfigKeys.SOURCE_TABLES, t.table() + " is listed more than once.");
      }
    }
  }

  private static void checkTargetNameCollisions(MappingReader r, List<SelectedTable> tables) {
    Map<String, SelectedTable> byName = new HashMap<>();
    for (SelectedTable t : tables) {
      String name = t.targetName().toLowerCase(Locale.ROOT);
      SelectedTable other = byName.putIfAbsent(name, t);
      if (other != null && !other.table().equals(t.table())) {
        r.problem(
            ConfigKeys.SOURCE_TABLES,
            other.table()
                + " and "
                + t.table()
                + " would both be '"
                + t.targetName()
                + "' in the target; rename one with 'as', e.g. '"
                + t.table()
                + " as "
                + t.table().schema()
                + "_"
                + t.table().table()
                + "'.");
      }
    }
  }

  private static void checkColumnsAreSelected(
      MappingReader r, ConfigKey key, List<ColumnRef> columns, TableSelection selection) {
    if (selection.allTables()) {
      return;
    }
    for (ColumnRef c : columns) {
      if (!selection.includes(c.table())) {
        r.problem(
            key,
            c
                + " names table "
                + c.table()
                + ", which is not selected by source.tables or source.schemas.");
      }
    }
  }

  private TargetConfig readTarget(MappingReader top) {
    MappingReader r = top.mapping(ConfigKeys.TARGET);
    if (r == null) {
      if (!top.has(ConfigKeys.TARGET)) {
        top.problem(
            ConfigKeys.TARGET, "required: the Materialize or PostgreSQL database to write to.");
      }
      return null;
    }
    r.rejectUnknownKeys();
    String url =
        r.requiredString(ConfigKeys.TARGET_URL, ", e.g. jdbc:postgresql://host:6875/materialize");
    if (url != null && !url.startsWith("jdbc:postgresql:")) {
      r.problem(
          ConfigKeys.TARGET_URL,
          "must start with 'jdbc:postgresql:' (Materialize and PostgreSQL speak the PostgreSQL"
              + " wire protocol), e.g. jdbc:postgresql://host:6875/materialize.");
    }
    String user = r.string(ConfigKeys.TARGET_USER);
    Secret password = r.secret(ConfigKeys.TARGET_PASSWORD, false);
    Map<String, TargetDialectKind> dialects = new LinkedHashMap<>();
    for (TargetDialectKind d : TargetDialectKind.values()) {
      dialects.put(d.configName(), d);
    }
    TargetDialectKind dialect =
        r.choice(ConfigKeys.TARGET_DIALECT, dialects, TargetDialectKind.MATERIALIZE);
    String schema = targetIdentifier(r, ConfigKeys.TARGET_SCHEMA, "public");
    String sourceName = targetIdentifier(r, ConfigKeys.TARGET_SOURCE_NAME, "mssql2mz");
    SslMode sslMode = r.choice(ConfigKeys.TARGET_SSL_MODE, sslModes(), null);
    if (url == null || schema == null || sourceName == null) {
      return null;
    }
    return new TargetConfig(url, user, password, dialect, schema, sourceName, sslMode);
  }

  private static String targetIdentifier(MappingReader r, ConfigKey key, String def) {
    if (!r.has(key)) {
      return def;
    }
    String s = r.string(key);
    if (s != null && !TARGET_IDENTIFIER.matcher(s).matches()) {
      r.problem(
          key,
          "'"
              + s
              + "' is not a plain lower-case identifier (a-z, 0-9, _, starting with a letter or _,"
              + " at most 63 characters).");
      return null;
    }
    return s;
  }

  private FlinkConfig readFlink(MappingReader top) {
    MappingReader r = top.mapping(ConfigKeys.FLINK);
    if (r == null) {
      return FlinkConfig.defaults();
    }
    r.rejectUnknownKeys();
    int parallelism =
        r.integer(ConfigKeys.FLINK_PARALLELISM, 1, 32768, FlinkConfig.DEFAULT_PARALLELISM);
    Duration checkpointInterval =
        r.duration(
            ConfigKeys.FLINK_CHECKPOINT_INTERVAL,
            Duration.ofMillis(100),
            Duration.ofDays(1),
            FlinkConfig.DEFAULT_CHECKPOINT_INTERVAL);
    int chunkSize =
        r.integer(
            ConfigKeys.FLINK_CHUNK_SIZE, 1, Integer.MAX_VALUE, FlinkConfig.DEFAULT_CHUNK_SIZE);
    Duration pollInterval =
        r.duration(
            ConfigKeys.FLINK_POLL_INTERVAL,
            Duration.ofMillis(10),
            Duration.ofMinutes(1),
            FlinkConfig.DEFAULT_POLL_INTERVAL);
    Duration discoveryInterval =
        r.duration(
            ConfigKeys.FLINK_DISCOVERY_INTERVAL,
            Duration.ofMillis(100),
            Duration.ofDays(1),
            FlinkConfig.DEFAULT_DISCOVERY_INTERVAL);
    Map<String, StateBackendKind> backends = new LinkedHashMap<>();
    for (StateBackendKind k : StateBackendKind.values()) {
      backends.put(k.configName(), k);
    }
    StateBackendKind backend =
        r.choice(ConfigKeys.FLINK_STATE_BACKEND, backends, StateBackendKind.HASHMAP);
    String checkpointDir = uri(r, ConfigKeys.FLINK_CHECKPOINT_DIR);
    String savepoint = uri(r, ConfigKeys.FLINK_SAVEPOINT);
    return new FlinkConfig(
        parallelism,
        checkpointInterval,
        chunkSize,
        pollInterval,
        discoveryInterval,
        backend,
        checkpointDir,
        savepoint);
  }

  private static String uri(MappingReader r, ConfigKey key) {
    String s = r.string(key);
    // "file:/path" too: that is how Flink prints the savepoint paths users copy into the config.
    if (s != null && !s.matches("[a-zA-Z][a-zA-Z0-9+.-]*:/.*") && !s.startsWith("/")) {
      r.problem(
          key,
          "expected an absolute path or a URI with a scheme (file:///..., s3://..., hdfs://...),"
              + " got '"
              + s
              + "'.");
      return null;
    }
    return s;
  }

  private static Map<String, SslMode> sslModes() {
    Map<String, SslMode> modes = new LinkedHashMap<>();
    for (SslMode m : SslMode.values()) {
      modes.put(m.configName(), m);
    }
    return modes;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "syntax error";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
