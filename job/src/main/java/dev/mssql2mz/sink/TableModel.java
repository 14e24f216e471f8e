package dev.mssql2mz.sink;

import dev.mssql2mz.sqlserver.SourceTable;
import dev.mssql2mz.transform.ColumnMapping;
import dev.mssql2mz.transform.TypeMapping;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * One source table as the target sees it: the user-facing relation, its change table, and the
 * converted columns. Built once from a {@link SourceTable}; validation errors name the table.
 */
public final class TableModel implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Columns the sink adds to every change table; a source column may not use these names. */
  public static final Set<String> RESERVED_COLUMNS =
      Set.of("_epoch", "_subtask", "_lsn", "_diff", "_count");

  static final int MAX_IDENTIFIER_BYTES = 63;

  private final SourceTable source;
  private final List<ColumnMapping> columns;

  TableModel(SourceTable source) {
    this.source = source;
    this.columns = TypeMapping.forTable(source);
    for (ColumnMapping c : columns) {
      if (RESERVED_COLUMNS.contains(c.name())) {
        throw new IllegalArgumentException(
            "Column "
                + c.name()
                + " of table "
                + source.qualifiedName()
                + " has a name the sink reserves for its change tables "
                + RESERVED_COLUMNS
                + ". EXCLUDE the column (exclude-columns: "
                + source.qualifiedName()
                + "."
                + c.name()
                + ").");
      }
    }
    for (String key : source.keyColumns()) {
      if (source.columnIndex(key) < 0) {
        throw new IllegalArgumentException(
            "Key column " + key + " of table " + source.qualifiedName() + " is not captured.");
      }
    }
    checkLength(changeTable());
  }

  static void checkLength(String identifier) {
    if (identifier.getBytes(StandardCharsets.UTF_8).length > MAX_IDENTIFIER_BYTES) {
      throw new IllegalArgumentException(
          "Target name "
              + identifier
              + " is longer than "
              + MAX_IDENTIFIER_BYTES
              + " bytes, which the target would silently truncate. Give the table a shorter"
              + " alias.");
    }
  }

  public SourceTable source() {
    return source;
  }

  /** The user-facing relation: a view (Materialize dialect) or a typed table (PostgreSQL). */
  public String name() {
    return source.targetName();
  }

  /** The append-only table of change rows. */
  public String changeTable() {
    return source.targetName() + ChangeTableDialect.CHANGES;
  }

  public List<ColumnMapping> columns() {
    return columns;
  }

  public List<String> keyColumns() {
    return source.keyColumns();
  }

  public boolean hasKey() {
    return source.hasKey();
  }
}
