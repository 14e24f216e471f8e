package dev.mssql2mz.sqlserver;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Quoting of identifiers that reach T-SQL: {@code [name]}, with {@code ]} escaped as {@code ]]}.
 */
public final class SqlIdentifiers {

  private SqlIdentifiers() {}

  /** {@code name} as a bracketed T-SQL identifier. */
  public static String quote(String name) {
    return "[" + name.replace("]", "]]") + "]";
  }

  /** {@code [schema].[name]}. */
  public static String quote(String schema, String name) {
    return quote(schema) + "." + quote(name);
  }

  /** Quoted names separated by commas. */
  public static String quoteAll(List<String> names) {
    return names.stream().map(SqlIdentifiers::quote).collect(Collectors.joining(", "));
  }

  /** A string literal ({@code N'..'}) for the rare places T-SQL needs one in printed fix-it SQL. */
  public static String literal(String value) {
    return "N'" + value.replace("'", "''") + "'";
  }
}
