package dev.mssql2mz.sink;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Materialize's rules for writers, as a checker of one connection's statements: a write transaction
 * holds only INSERTs (or COPY FROM) into a single table; UPDATE, DELETE and DDL run only outside
 * transactions; no ON CONFLICT, no prepared (two-phase) transactions, no locks, no savepoints, no
 * constraints Materialize does not have, no parameters in LIMIT or OFFSET. Keywords inside quoted
 * names and literals do not count.
 */
final class MaterializeRules {

  private static final Pattern INSERT_TABLE =
      Pattern.compile(
          "^\\s*INSERT\\s+INTO\\s+((?:\"(?:[^\"]|\"\")*\"|[\\w.])+)", Pattern.CASE_INSENSITIVE);
  private static final Pattern COPY_TABLE =
      Pattern.compile(
          "^\\s*COPY\\s+((?:\"(?:[^\"]|\"\")*\"|[\\w.])+).*\\bFROM\\s+STDIN",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  private boolean inTransaction;
  private String transactionTable;
  private final List<String> violations = new ArrayList<>();

  /** Returns the violations found so far for this connection. */
  List<String> violations() {
    return violations;
  }

  /**
   * Autocommit switched: off starts a transaction (the next statements run in it until COMMIT or
   * ROLLBACK); on leaves transactions.
   */
  void autoCommit(boolean on) {
    if (on) {
      outsideTransactions();
    } else {
      inTransaction = true;
      transactionTable = null;
    }
  }

  /** Marks the end of a transaction (commit or rollback) while autocommit stays off. */
  void transactionEnded() {
    transactionTable = null;
  }

  void outsideTransactions() {
    inTransaction = false;
    transactionTable = null;
  }

  /** Checks one statement; returns the violation, or null. */
  String check(String sql) {
    String violation = violationOf(sql);
    if (violation != null) {
      violations.add(violation + ": " + sql);
    }
    return violation;
  }

  private String violationOf(String sql) {
    String s = sql.trim();
    // Keywords are looked for outside quoted names and literals: a column may be called "ctid".
    String upper = withoutQuotedText(s).toUpperCase(Locale.ROOT);
    if (upper.contains("ON CONFLICT")) {
      return "ON CONFLICT is not supported by Materialize";
    }
    if (upper.startsWith("PREPARE TRANSACTION")
        || upper.startsWith("COMMIT PREPARED")
        || upper.startsWith("ROLLBACK PREPARED")) {
      return "two-phase commit is not supported by Materialize";
    }
    if (upper.startsWith("LOCK") || upper.contains(" FOR UPDATE") || upper.contains(" FOR SHARE")) {
      return "locking is not supported by Materialize";
    }
    if (upper.startsWith("SAVEPOINT")
        || upper.startsWith("RELEASE")
        || upper.startsWith("TRUNCATE")) {
      return "not supported by Materialize";
    }
    if (upper.startsWith("CREATE TABLE")
        && (upper.contains("PRIMARY KEY")
            || upper.contains(" UNIQUE")
            || upper.contains("REFERENCES"))) {
      return "Materialize tables have no PRIMARY KEY/UNIQUE/FOREIGN KEY constraints";
    }
    if (upper.matches("(?s).*\\b(LIMIT|OFFSET)\\s+(\\?|\\$\\d).*")) {
      return "Materialize takes only constants in LIMIT and OFFSET, not parameters";
    }
    if (upper.contains("CTID")) {
      return "ctid does not exist in Materialize";
    }
    if (upper.startsWith("BEGIN") || upper.startsWith("START TRANSACTION")) {
      inTransaction = true;
      transactionTable = null;
      return null;
    }
    if (upper.startsWith("COMMIT") || upper.startsWith("ROLLBACK") || upper.startsWith("END")) {
      transactionTable = null;
      return null;
    }
    if (!inTransaction) {
      return null;
    }
    String table = insertTarget(s);
    if (table == null) {
      return "a Materialize write transaction may contain only INSERTs (this is "
          + upper.split("\\s+")[0]
          + ")";
    }
    if (transactionTable == null) {
      transactionTable = table;
    } else if (!transactionTable.equals(table)) {
      return "a Materialize write transaction may insert into one table only ("
          + transactionTable
          + " and "
          + table
          + ")";
    }
    return null;
  }

  /** {@code sql} with every double-quoted name and single-quoted literal replaced by {@code _}. */
  static String withoutQuotedText(String sql) {
    StringBuilder out = new StringBuilder(sql.length());
    char quote = 0;
    for (int i = 0; i < sql.length(); i++) {
      char ch = sql.charAt(i);
      if (quote == 0) {
        if (ch == '"' || ch == '\'') {
          quote = ch;
          out.append('_');
        } else {
          out.append(ch);
        }
      } else if (ch == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i++; // a doubled quote stays inside
        } else {
          quote = 0;
        }
      }
    }
    return out.toString();
  }

  private static String insertTarget(String sql) {
    Matcher m = INSERT_TABLE.matcher(sql);
    if (m.find()) {
      return m.group(1);
    }
    m = COPY_TABLE.matcher(sql);
    if (m.find()) {
      return m.group(1);
    }
    return null;
  }
}
