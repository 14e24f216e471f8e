package dev.mssql2mz.sink;

/** Identifier quoting shared by the dialects: every name that reaches SQL goes through here. */
final class Sql {

  private Sql() {}

  /** {@code name} as a quoted identifier, inner quotes doubled. */
  static String quote(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /** {@code "schema"."name"}. */
  static String qualified(String schema, String name) {
    return quote(schema) + "." + quote(name);
  }
}
