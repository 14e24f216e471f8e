package dev.mssql2mz.demo.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every T-SQL construct H2 (MODE=MSSQLServer) cannot run as SQL Server would, and what the emulator
 * does instead: one entry per construct. The product sends real T-SQL; nothing else in the emulator
 * changes SQL text.
 *
 * <p>Done first, to the whole statement: {@code [name]} becomes {@code "name"} (H2 ends a bracket
 * name at the first {@code ]}, so {@code [a]]b]} breaks); string literals are masked so no rewrite
 * touches their content.
 *
 * <table>
 *   <caption>Whole statements</caption>
 *   <tr><th>T-SQL</th><th>Emulator</th></tr>
 *   <tr><td>{@code BEGIN TRAN[SACTION] [name]}</td><td>explicit transaction (H2 has none in auto-commit)</td></tr>
 *   <tr><td>{@code COMMIT [TRAN[SACTION]|WORK] [name]}</td><td>the emulator's commit: LSN + log, see {@link EmulatorSession}</td></tr>
 *   <tr><td>{@code ROLLBACK [TRAN[SACTION]|WORK]}</td><td>rollback</td></tr>
 *   <tr><td>{@code ROLLBACK TRAN[SACTION] sp}</td><td>{@code ROLLBACK TO SAVEPOINT sp} (H2 reads it as an XA rollback and rolls back nothing)</td></tr>
 *   <tr><td>{@code SAVE TRAN[SACTION] sp}</td><td>{@code SAVEPOINT sp} plus a fresh log LSN for {@code sys.dm_tran_database_transactions}</td></tr>
 *   <tr><td>{@code SET TRANSACTION ISOLATION LEVEL SNAPSHOT} (and the other levels)</td><td>H2 level 6; Msg 3952 when the database does not allow snapshot isolation</td></tr>
 *   <tr><td>{@code ALTER DATABASE db SET ALLOW_SNAPSHOT_ISOLATION ON|OFF}</td><td>the emulated database setting</td></tr>
 *   <tr><td>{@code EXEC sys.sp_cdc_enable_db}, {@code sp_cdc_disable_db}, {@code sp_cdc_enable_table @source_schema = ..., ...}, {@code sp_cdc_disable_table}, {@code sp_cdc_start_job}, {@code sp_cdc_stop_job}, {@code sp_cdc_cleanup_change_table}, {@code msdb.dbo.rds_cdc_enable_db}, also as {@code {call ...}}</td><td>the Java API ({@link CdcAdmin}); H2 silently turns {@code @a = v} into a comparison</td></tr>
 *   <tr><td>{@code GRANT|REVOKE|DENY perm ON [class::]securable TO|FROM user}</td><td>the emulator's permission model ({@link Permissions})</td></tr>
 *   <tr><td>{@code SET NOCOUNT|XACT_ABORT|ANSI_*|LOCK_TIMEOUT ...}</td><td>ignored</td></tr>
 *   <tr><td>{@code USE db}</td><td>accepted for the emulated database</td></tr>
 *   <tr><td>{@code CREATE [UNIQUE] [NON]CLUSTERED INDEX}</td><td>{@code CREATE [UNIQUE] INDEX}</td></tr>
 *   <tr><td>{@code CREATE TABLE} / {@code ALTER TABLE ... ADD}</td><td>SQL Server types to H2 types, declared types remembered ({@link TsqlDdl}); {@code CLUSTERED}, {@code COLLATE} dropped</td></tr>
 * </table>
 *
 * <table>
 *   <caption>Inside statements</caption>
 *   <tr><th>T-SQL</th><th>H2</th></tr>
 *   <tr><td>{@code t WITH (TABLOCK, HOLDLOCK)}</td><td>kept (H2 ignores it) and the emulator's shared lock on t, held to the end of the transaction ({@link TableLocks})</td></tr>
 *   <tr><td>{@code cdc.fn_cdc_get_all_changes_<ci>(a, b, c)}</td><td>{@code cdc.fn_cdc_get_all_changes('<ci>', a, b, c)} (one Java function for every capture instance)</td></tr>
 *   <tr><td>{@code COUNT_BIG(}</td><td>{@code COUNT(} (H2's COUNT is already bigint)</td></tr>
 *   <tr><td>{@code DB_NAME(}, {@code DB_ID(}, {@code OBJECT_ID(}, {@code SCHEMA_NAME(}, {@code HAS_PERMS_BY_NAME(}, {@code DATALENGTH(}, {@code SYSUTCDATETIME()}, {@code SYSDATETIME()}, {@code CURRENT_TRANSACTION_ID()}, {@code @@SPID}, {@code @@VERSION}, {@code @@TRANCOUNT}</td><td>functions in schema {@code emu} ({@link SessionFunctions})</td></tr>
 *   <tr><td>{@code CURRENT_USER}, {@code USER_NAME()}</td><td>the database user ({@code dbo} for the admin) instead of H2's own user</td></tr>
 *   <tr><td>{@code SYSTEM_USER}, {@code SUSER_NAME()}, {@code SUSER_SNAME()}, {@code ORIGINAL_LOGIN()}</td><td>the login</td></tr>
 *   <tr><td>{@code IIF(}</td><td>{@code CASEWHEN(}</td></tr>
 *   <tr><td>{@code OPTION (RECOMPILE)}</td><td>dropped</td></tr>
 *   <tr><td>{@code x LIKE '<pattern with [...]>'} (a literal pattern, no {@code ESCAPE})</td><td>{@code x REGEXP '<the pattern as a regex>'} (H2's LIKE has no character classes)</td></tr>
 * </table>
 *
 * <p>Not rewrites, but differences handled elsewhere: {@code LIKE} without {@code ESCAPE} has no
 * escape character (H2's default is {@code \}; the emulator's H2 URL sets {@code DEFAULT_ESCAPE=});
 * {@code datetime} and {@code smalldatetime} are rounded as SQL Server stores them by {@link
 * DatetimeRounding}; each row of a prepared JDBC batch runs as its own statement ({@link
 * EmulatorConnections}). Not emulated: {@code LIKE} character classes in a bound parameter ({@code
 * LIKE ?}) or with {@code ESCAPE}, which H2 matches literally.
 */
final class TsqlRewrites {

  private static final char MASK = '\uE000';
  private static final String NAME = "(?:\"(?:[^\"]|\"\")+\"|[\\w@#$]+)";
  private static final String QNAME = NAME + "(?:\\s*\\.\\s*" + NAME + "){0,2}";
  private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.DOTALL;

  private static final Pattern BEGIN =
      Pattern.compile("^BEGIN\\s+TRAN(?:SACTION)?(?:\\s+\\S+)?$", FLAGS);
  private static final Pattern COMMIT =
      Pattern.compile("^COMMIT(?:\\s+(?:TRAN(?:SACTION)?|WORK))?(?:\\s+\\S+)?$", FLAGS);
  private static final Pattern ROLLBACK_TO =
      Pattern.compile("^ROLLBACK\\s+TRAN(?:SACTION)?\\s+(" + NAME + ")$", FLAGS);
  private static final Pattern ROLLBACK =
      Pattern.compile("^ROLLBACK(?:\\s+(?:TRAN(?:SACTION)?|WORK))?$", FLAGS);
  private static final Pattern SAVE =
      Pattern.compile("^SAVE\\s+TRAN(?:SACTION)?\\s+(" + NAME + ")$", FLAGS);
  private static final Pattern ISOLATION =
      Pattern.compile("^SET\\s+TRANSACTION\\s+ISOLATION\\s+LEVEL\\s+(.+)$", FLAGS);
  private static final Pattern SESSION_SETTING =
      Pattern.compile(
          "^SET\\s+(?:NOCOUNT|XACT_ABORT|ANSI_\\w+|QUOTED_IDENTIFIER|ARITHABORT|CONCAT_NULL_YIELDS_NULL"
              + "|LOCK_TIMEOUT|DEADLOCK_PRIORITY|TEXTSIZE|DATEFORMAT|LANGUAGE|IMPLICIT_TRANSACTIONS)\\b.*$",
          FLAGS);
  private static final Pattern SNAPSHOT_SETTING =
      Pattern.compile(
          "^ALTER\\s+DATABASE\\s+(" + NAME + ")\\s+SET\\s+ALLOW_SNAPSHOT_ISOLATION\\s+(ON|OFF)$",
          FLAGS);
  private static final Pattern OTHER_DATABASE_SETTING =
      Pattern.compile(
          "^ALTER\\s+DATABASE\\s+(" + NAME + ")\\s+SET\\s+READ_COMMITTED_SNAPSHOT\\b.*$", FLAGS);
  private static final Pattern USE = Pattern.compile("^USE\\s+(" + NAME + ")$", FLAGS);
  private static final Pattern EXEC =
      Pattern.compile(
          "^(?:EXEC(?:UTE)?\\s+)?((?:(?:msdb\\s*\\.\\s*)?(?:\"?dbo\"?|\"?sys\"?)\\s*\\.\\s*)?"
              + "\"?(?:sp_cdc_\\w+|rds_cdc_\\w+)\"?)(?:\\s+(.*))?$",
          FLAGS);
  private static final Pattern CALL_ESCAPE =
      Pattern.compile("^\\{\\s*call\\s+(" + QNAME + ")\\s*(?:\\((.*)\\))?\\s*\\}$", FLAGS);
  private static final Pattern PERMISSION =
      Pattern.compile(
          "^(GRANT|REVOKE|DENY)\\s+(.+?)(?:\\s+ON\\s+(?:(OBJECT|SCHEMA|DATABASE)\\s*::\\s*)?("
              + QNAME
              + "))?\\s+(?:TO|FROM)\\s+("
              + NAME
              + ")(?:\\s+CASCADE)?$",
          FLAGS);
  private static final Pattern TRUNCATE =
      Pattern.compile("^TRUNCATE\\s+TABLE\\s+(" + QNAME + ")$", FLAGS);
  private static final Pattern CREATE_INDEX =
      Pattern.compile("^CREATE\\s+(UNIQUE\\s+)?(?:NON)?CLUSTERED\\s+INDEX\\b", FLAGS);
  private static final Pattern DDL = Pattern.compile("^(?:CREATE|ALTER|DROP|TRUNCATE)\\b", FLAGS);
  private static final Pattern TABLOCK =
      Pattern.compile(
          "("
              + QNAME
              + ")\\s+(?:(?:AS\\s+)?(?!WITH\\b)\\w+\\s+)?WITH\\s*\\(([^)]*\\bTABLOCKX?\\b[^)]*)\\)",
          FLAGS);

  /** Rewrites inside statements: pattern and replacement, applied in this order. */
  private static final List<Object[]> INLINE = new ArrayList<>();

  static {
    inline(
        "(?:\\bcdc|\"cdc\")\\s*\\.\\s*(?:\"fn_cdc_get_all_changes_((?:[^\"]|\"\")+)\"|fn_cdc_get_all_changes_(\\w+))\\s*\\(",
        m ->
            "cdc.fn_cdc_get_all_changes('"
                + (m.group(1) != null ? m.group(1).replace("\"\"", "\"") : m.group(2))
                    .replace("'", "''")
                + "', ");
    inline("\\bCOUNT_BIG\\s*\\(", m -> "COUNT(");
    inline("(?<![.\\w])DB_NAME\\s*\\(", m -> "emu.db_name(");
    inline("(?<![.\\w])DB_ID\\s*\\(", m -> "emu.db_id(");
    inline("(?<![.\\w])OBJECT_ID\\s*\\(", m -> "emu.object_id(");
    inline("(?<![.\\w])SCHEMA_NAME\\s*\\(", m -> "emu.schema_name(");
    inline("(?<![.\\w])HAS_PERMS_BY_NAME\\s*\\(", m -> "emu.has_perms_by_name(");
    inline("(?<![.\\w])DATALENGTH\\s*\\(", m -> "emu.datalength(");
    inline("(?<![.\\w])SYSUTCDATETIME\\s*\\(\\s*\\)", m -> "emu.sysutcdatetime()");
    inline("(?<![.\\w])SYSDATETIME\\s*\\(\\s*\\)", m -> "emu.sysdatetime()");
    inline("(?<![.\\w])CURRENT_TRANSACTION_ID\\s*\\(\\s*\\)", m -> "emu.current_transaction_id()");
    inline(
        "(?<![.\\w\"])(?:CURRENT_USER|USER_NAME\\s*\\(\\s*\\))(?![\\w(])", m -> "emu.user_name()");
    inline(
        "(?<![.\\w\"])(?:SYSTEM_USER\\b|(?:SUSER_NAME|SUSER_SNAME|ORIGINAL_LOGIN)\\s*\\(\\s*\\))",
        m -> "emu.login_name()");
    inline("@@SPID\\b", m -> "emu.spid()");
    inline("@@VERSION\\b", m -> "emu.version()");
    inline("@@TRANCOUNT\\b", m -> "emu.trancount()");
    inline("(?<![.\\w])IIF\\s*\\(", m -> "CASEWHEN(");
    inline("\\bOPTION\\s*\\(\\s*RECOMPILE\\s*\\)", m -> "");
  }

  private TsqlRewrites() {}

  private static final int CACHE_SIZE = 2048;

  /** Commands are immutable: the same statement text is rewritten once (prepared statements). */
  private static final Map<String, TsqlCommand> CACHE = new ConcurrentHashMap<>();

  /** The command for one T-SQL statement. */
  static TsqlCommand rewrite(String tsql) {
    TsqlCommand cached = CACHE.get(tsql);
    if (cached != null) {
      return cached;
    }
    TsqlCommand command = rewriteUncached(tsql);
    if (CACHE.size() >= CACHE_SIZE) {
      CACHE.clear();
    }
    CACHE.put(tsql, command);
    return command;
  }

  private static TsqlCommand rewriteUncached(String tsql) {
    List<String> literals = new ArrayList<>();
    String masked = mask(tsql, literals).trim();
    while (masked.endsWith(";")) {
      masked = masked.substring(0, masked.length() - 1).trim();
    }
    Matcher m;
    if (BEGIN.matcher(masked).matches()) {
      return TsqlCommand.action(TsqlCommand.Kind.BEGIN, null, null);
    }
    if (COMMIT.matcher(masked).matches()) {
      return TsqlCommand.action(TsqlCommand.Kind.COMMIT, null, null);
    }
    if ((m = ROLLBACK_TO.matcher(masked)).matches()) {
      return TsqlCommand.action(TsqlCommand.Kind.ROLLBACK_TO, ObjectName.unquote(m.group(1)), null);
    }
    if (ROLLBACK.matcher(masked).matches()) {
      return TsqlCommand.action(TsqlCommand.Kind.ROLLBACK, null, null);
    }
    if ((m = SAVE.matcher(masked)).matches()) {
      return TsqlCommand.action(TsqlCommand.Kind.SAVE, ObjectName.unquote(m.group(1)), null);
    }
    if ((m = ISOLATION.matcher(masked)).matches()) {
      String level = m.group(1).trim().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
      return TsqlCommand.action(TsqlCommand.Kind.SET_ISOLATION, level, null);
    }
    if (SESSION_SETTING.matcher(masked).matches()
        || OTHER_DATABASE_SETTING.matcher(masked).matches()) {
      return TsqlCommand.action(TsqlCommand.Kind.NOOP, null, null);
    }
    if ((m = SNAPSHOT_SETTING.matcher(masked)).matches()) {
      List<TsqlCommand.Arg> args = new ArrayList<>();
      args.add(new TsqlCommand.Arg("database", ObjectName.unquote(m.group(1)), 0));
      args.add(new TsqlCommand.Arg("state", m.group(2).toUpperCase(Locale.ROOT), 0));
      return TsqlCommand.action(TsqlCommand.Kind.SET_SNAPSHOT_ISOLATION, null, args);
    }
    if ((m = USE.matcher(masked)).matches()) {
      return TsqlCommand.action(TsqlCommand.Kind.USE, ObjectName.unquote(m.group(1)), null);
    }
    if ((m = EXEC.matcher(masked)).matches() || (m = CALL_ESCAPE.matcher(masked)).matches()) {
      String procedure = ObjectName.parse(m.group(1)).name().toLowerCase(Locale.ROOT);
      return TsqlCommand.action(
          TsqlCommand.Kind.PROCEDURE, procedure, parseArgs(m.group(2), literals));
    }
    if ((m = PERMISSION.matcher(masked)).matches()) {
      List<TsqlCommand.Arg> args = new ArrayList<>();
      args.add(new TsqlCommand.Arg("verb", m.group(1).toUpperCase(Locale.ROOT), 0));
      args.add(
          new TsqlCommand.Arg(
              "permission", m.group(2).trim().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT), 0));
      args.add(
          new TsqlCommand.Arg(
              "class", m.group(3) == null ? null : m.group(3).toUpperCase(Locale.ROOT), 0));
      args.add(new TsqlCommand.Arg("securable", m.group(4), 0));
      args.add(new TsqlCommand.Arg("principal", ObjectName.unquote(m.group(5)), 0));
      return TsqlCommand.action(TsqlCommand.Kind.PERMISSION, null, args);
    }
    if ((m = CREATE_INDEX.matcher(masked)).find()) {
      masked = m.replaceFirst("CREATE $1INDEX");
    }
    ObjectName truncated = null;
    if ((m = TRUNCATE.matcher(masked)).matches()) {
      truncated = ObjectName.parse(m.group(1));
    }
    boolean ddl = DDL.matcher(masked).find();
    TsqlDdl.DeclaredTable declared = null;
    Object[] ddlRewrite = TsqlDdl.rewrite(masked);
    if (ddlRewrite != null) {
      masked = (String) ddlRewrite[0];
      declared = (TsqlDdl.DeclaredTable) ddlRewrite[1];
    }
    List<ObjectName> locks = new ArrayList<>();
    Matcher lock = TABLOCK.matcher(masked);
    while (lock.find()) {
      locks.add(ObjectName.parse(lock.group(1)));
    }
    for (Object[] rule : INLINE) {
      masked = replace(masked, (Pattern) rule[0], castRule(rule[1]));
    }
    masked = likeClassesToRegexp(masked, literals);
    return new TsqlCommand(
        TsqlCommand.Kind.SQL,
        unmask(masked, literals),
        null,
        null,
        locks,
        declared,
        ddl,
        truncated);
  }

  private static final Pattern LIKE_LITERAL =
      Pattern.compile("\\bLIKE\\s*N?" + MASK + "(\\d+)" + MASK + "(?!\\s*ESCAPE\\b)", FLAGS);

  /**
   * {@code LIKE '<pattern with [...]>'} becomes {@code REGEXP '<the same pattern as a regular
   * expression>'}: H2's LIKE has no character classes and would match {@code [a-c]} literally.
   */
  private static String likeClassesToRegexp(String masked, List<String> literals) {
    Matcher m = LIKE_LITERAL.matcher(masked);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String literal = literals.get(Integer.parseInt(m.group(1)));
      String quoted =
          literal.startsWith("N") || literal.startsWith("n") ? literal.substring(1) : literal;
      if (!quoted.contains("[") || quoted.length() < 2 || !quoted.endsWith("'")) {
        m.appendReplacement(sb, Matcher.quoteReplacement(m.group()));
        continue;
      }
      String pattern = quoted.substring(1, quoted.length() - 1).replace("''", "'");
      literals.add("'" + likeToRegex(pattern).replace("'", "''") + "'");
      m.appendReplacement(
          sb, Matcher.quoteReplacement("REGEXP " + MASK + (literals.size() - 1) + MASK));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** A T-SQL LIKE pattern ({@code %}, {@code _}, {@code [a-c]}, {@code [^x]}) as a Java regex. */
  static String likeToRegex(String pattern) {
    StringBuilder re = new StringBuilder("(?s)^");
    int i = 0;
    while (i < pattern.length()) {
      char ch = pattern.charAt(i);
      int end = ch == '[' ? pattern.indexOf(']', i + 2) : -1;
      if (ch == '%') {
        re.append(".*");
      } else if (ch == '_') {
        re.append('.');
      } else if (end > 0) {
        String set = pattern.substring(i + 1, end);
        re.append('[');
        int from = 0;
        if (set.startsWith("^")) {
          re.append('^');
          from = 1;
        }
        for (int k = from; k < set.length(); k++) {
          char c = set.charAt(k);
          boolean range = c == '-' && k > from && k < set.length() - 1;
          re.append(range || Character.isLetterOrDigit(c) ? String.valueOf(c) : "\\" + c);
        }
        re.append(']');
        i = end;
      } else {
        re.append(Character.isLetterOrDigit(ch) ? String.valueOf(ch) : "\\" + ch);
      }
      i++;
    }
    return re.append("\\z").toString();
  }

  @SuppressWarnings("unchecked")
  private static Function<Matcher, String> castRule(Object rule) {
    return (Function<Matcher, String>) rule;
  }

  private static void inline(String regex, Function<Matcher, String> replacement) {
    INLINE.add(new Object[] {Pattern.compile(regex, FLAGS), replacement});
  }

  private static String replace(String text, Pattern p, Function<Matcher, String> replacement) {
    Matcher m = p.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement.apply(m)));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /**
   * Splits a batch of statements separated by {@code ;} (outside literals, names and comments):
   * {@code SET NOCOUNT ON; SELECT ...} runs as two statements. Empty statements are dropped.
   */
  static List<String> splitBatch(String sql) {
    List<String> out = new ArrayList<>();
    List<String> literals = new ArrayList<>();
    String masked = mask(sql, literals);
    int start = 0;
    boolean quoted = false;
    for (int i = 0; i <= masked.length(); i++) {
      if (i < masked.length() && masked.charAt(i) == '"') {
        quoted = !quoted; // a doubled "" toggles twice
      }
      if (i == masked.length() || (!quoted && masked.charAt(i) == ';')) {
        String part = masked.substring(start, i).trim();
        if (!part.isEmpty()) {
          out.add(unmask(part, literals));
        }
        start = i + 1;
      }
    }
    return out;
  }

  /**
   * Replaces string literals by numbered masks, brackets by double quotes, and drops comments, so
   * the rewrites see only code and names.
   */
  static String mask(String sql, List<String> literals) {
    StringBuilder out = new StringBuilder(sql.length());
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\'') {
        int j = i + 1;
        while (j < n) {
          if (sql.charAt(j) == '\'') {
            if (j + 1 < n && sql.charAt(j + 1) == '\'') {
              j += 2;
              continue;
            }
            break;
          }
          j++;
        }
        literals.add(sql.substring(i, Math.min(j + 1, n)));
        out.append(MASK).append(literals.size() - 1).append(MASK);
        i = j + 1;
      } else if (c == '[') {
        StringBuilder name = new StringBuilder();
        int j = i + 1;
        while (j < n) {
          char d = sql.charAt(j);
          if (d == ']') {
            if (j + 1 < n && sql.charAt(j + 1) == ']') {
              name.append(']');
              j += 2;
              continue;
            }
            break;
          }
          name.append(d);
          j++;
        }
        out.append(ObjectName.quote(name.toString()));
        i = j + 1;
      } else if (c == '"') {
        int j = i + 1;
        while (j < n) {
          if (sql.charAt(j) == '"') {
            if (j + 1 < n && sql.charAt(j + 1) == '"') {
              j += 2;
              continue;
            }
            break;
          }
          j++;
        }
        out.append(sql, i, Math.min(j + 1, n));
        i = j + 1;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int j = sql.indexOf('\n', i);
        i = j < 0 ? n : j;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int j = sql.indexOf("*/", i + 2);
        i = j < 0 ? n : j + 2;
        out.append(' ');
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  static String unmask(String masked, List<String> literals) {
    if (literals.isEmpty()) {
      return masked;
    }
    StringBuilder out = new StringBuilder(masked.length());
    int i = 0;
    while (i < masked.length()) {
      char c = masked.charAt(i);
      if (c == MASK) {
        int j = masked.indexOf(MASK, i + 1);
        out.append(literals.get(Integer.parseInt(masked.substring(i + 1, j))));
        i = j + 1;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** {@code @a = N'x', @b = NULL, 1, ?} into arguments; literal values unquoted. */
  private static List<TsqlCommand.Arg> parseArgs(String text, List<String> literals) {
    List<TsqlCommand.Arg> args = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return args;
    }
    int placeholders = 0;
    for (String part : TsqlDdl.splitTopLevel(text)) {
      String p = part.trim();
      String name = null;
      int eq = p.indexOf('=');
      if (p.startsWith("@") && eq > 0) {
        name = p.substring(1, eq).trim().toLowerCase(Locale.ROOT);
        p = p.substring(eq + 1).trim();
      }
      if (p.equals("?")) {
        args.add(new TsqlCommand.Arg(name, null, ++placeholders));
        continue;
      }
      String value = unmask(p, literals);
      if (value.equalsIgnoreCase("NULL") || value.equalsIgnoreCase("DEFAULT")) {
        value = null;
      } else {
        if (value.startsWith("N'") || value.startsWith("n'")) {
          value = value.substring(1);
        }
        if (value.startsWith("'") && value.endsWith("'") && value.length() >= 2) {
          value = value.substring(1, value.length() - 1).replace("''", "'");
        }
      }
      args.add(new TsqlCommand.Arg(name, value, 0));
    }
    return args;
  }
}
