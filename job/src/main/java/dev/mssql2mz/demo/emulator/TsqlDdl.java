package dev.mssql2mz.demo.emulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the column types of T-SQL {@code CREATE TABLE} and {@code ALTER TABLE ... ADD} into H2
 * types ({@link SqlServerType}) and remembers what SQL Server type each column was declared with,
 * so {@code sys.columns} and {@code cdc.captured_columns} can report it.
 *
 * <p>Works on SQL whose string literals are masked and whose brackets are already double quotes
 * (see {@link TsqlRewrites}).
 */
final class TsqlDdl {

  /** The declared SQL Server types of some columns of one table, in declaration order. */
  static final class DeclaredTable {
    final ObjectName table;
    final Map<String, SqlServerType> columns;

    DeclaredTable(ObjectName table, Map<String, SqlServerType> columns) {
      this.table = table;
      this.columns = columns;
    }
  }

  private static final String NAME = "(?:\"(?:[^\"]|\"\")+\"|[\\w@#$]+)";
  private static final String QNAME = NAME + "(?:\\s*\\.\\s*" + NAME + "){0,2}";

  private static final Pattern CREATE_TABLE =
      Pattern.compile(
          "^CREATE\\s+TABLE\\s+(" + QNAME + ")\\s*\\((.*)\\)\\s*(?:ON\\s+\\S+\\s*)?$",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern ALTER_ADD =
      Pattern.compile(
          "^ALTER\\s+TABLE\\s+("
              + QNAME
              + ")\\s+ADD\\s+(?!CONSTRAINT\\b|PRIMARY\\b|UNIQUE\\b)(.*)$",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern COLUMN =
      Pattern.compile(
          "^(" + NAME + ")\\s+(\\w+)(?:\\s*\\(([^)]*)\\))?(.*)$",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern TABLE_CONSTRAINT =
      Pattern.compile(
          "^(CONSTRAINT|PRIMARY|UNIQUE|FOREIGN|CHECK|INDEX)\\b", Pattern.CASE_INSENSITIVE);

  /** SQL Server-only decorations H2 rejects; they change nothing the emulator models. */
  private static final Pattern DECORATIONS =
      Pattern.compile(
          "\\b(?:NONCLUSTERED|CLUSTERED|ROWGUIDCOL|SPARSE|FILESTREAM)\\b|\\bCOLLATE\\s+\\w+"
              + "|\\bWITH\\s*\\(\\s*\\w+\\s*=[^)]*\\)|\\bON\\s+\"?PRIMARY\"?(?=\\s*(?:,|$))",
          Pattern.CASE_INSENSITIVE);

  private TsqlDdl() {}

  /** The rewritten statement and its declared types, or null if this is not such a statement. */
  static Object[] rewrite(String masked) {
    Matcher m = CREATE_TABLE.matcher(masked);
    if (m.matches()) {
      ObjectName table = ObjectName.parse(m.group(1));
      Map<String, SqlServerType> declared = new LinkedHashMap<>();
      List<String> out = new ArrayList<>();
      for (String element : splitTopLevel(m.group(2))) {
        out.add(rewriteElement(element.trim(), declared));
      }
      String sql = "CREATE TABLE " + table.quoted() + " (" + String.join(", ", out) + ")";
      return new Object[] {sql, new DeclaredTable(table, declared)};
    }
    m = ALTER_ADD.matcher(masked);
    if (m.matches()) {
      ObjectName table = ObjectName.parse(m.group(1));
      Map<String, SqlServerType> declared = new LinkedHashMap<>();
      List<String> out = new ArrayList<>();
      for (String element : splitTopLevel(m.group(2))) {
        out.add(rewriteElement(element.trim(), declared));
      }
      String sql = "ALTER TABLE " + table.quoted() + " ADD COLUMN (" + String.join(", ", out) + ")";
      return new Object[] {sql, new DeclaredTable(table, declared)};
    }
    return null;
  }

  private static String rewriteElement(String element, Map<String, SqlServerType> declared) {
    String cleaned = DECORATIONS.matcher(element).replaceAll("").trim();
    if (TABLE_CONSTRAINT.matcher(cleaned).find()) {
      return cleaned;
    }
    Matcher c = COLUMN.matcher(cleaned);
    if (!c.matches() || !SqlServerType.isKnown(normalizeTypeName(c.group(2)))) {
      return cleaned; // computed columns and unknown types: let H2 decide
    }
    String column = ObjectName.unquote(c.group(1));
    SqlServerType type = SqlServerType.parse(c.group(2), c.group(3));
    declared.put(column, type);
    String quoted = ObjectName.quote(column);
    return quoted + " " + type.h2Type() + c.group(4) + type.h2Check(quoted);
  }

  private static String normalizeTypeName(String name) {
    String n = name.toLowerCase(java.util.Locale.ROOT);
    switch (n) {
      case "timestamp":
        return "rowversion";
      case "dec":
        return "decimal";
      case "integer":
        return "int";
      default:
        return n;
    }
  }

  static List<String> splitTopLevel(String body) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < body.length(); i++) {
      char ch = body.charAt(i);
      if (ch == '"') {
        quoted = !quoted;
      } else if (!quoted && ch == '(') {
        depth++;
      } else if (!quoted && ch == ')') {
        depth--;
      } else if (!quoted && depth == 0 && ch == ',') {
        parts.add(body.substring(start, i));
        start = i + 1;
      }
    }
    if (start < body.length() && !body.substring(start).isBlank()) {
      parts.add(body.substring(start));
    }
    return parts;
  }
}
