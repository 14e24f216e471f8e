package dev.mssql2mz.table;

import dev.mssql2mz.source.ChangeOperation;
import dev.mssql2mz.source.ChangeRecord;
import dev.mssql2mz.sqlserver.SourceColumn;
import dev.mssql2mz.sqlserver.SourceTable;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.types.RowKind;

/**
 * The declared columns of a {@code mssql2mz-sqlserver} table bound to the captured columns of its
 * SQL Server table: which value of a {@link ChangeRecord} feeds each field, and how it converts.
 * Names compare case-insensitively, as in SQL Server's default collations.
 */
final class SourceRowMapping implements Serializable {

  private static final long serialVersionUID = 1L;

  private final int[] sourceIndex;
  private final SourceValueConverter[] converters;

  private SourceRowMapping(int[] sourceIndex, SourceValueConverter[] converters) {
    this.sourceIndex = sourceIndex;
    this.converters = converters;
  }

  /**
   * Binds the declared schema to {@code table}.
   *
   * @throws ValidationException naming the Flink table, the SQL Server table and the column when a
   *     declared column is not captured, its type does not fit, or the declared primary key is not
   *     the SQL Server table's key
   */
  static SourceRowMapping bind(String flinkTable, SourceTable table, DeclaredSchema declared) {
    String sqlTable = table.qualifiedName();
    checkPrimaryKey(flinkTable, table, declared.primaryKey());
    int n = declared.names().size();
    int[] index = new int[n];
    SourceValueConverter[] converters = new SourceValueConverter[n];
    for (int i = 0; i < n; i++) {
      String name = declared.names().get(i);
      index[i] = indexOf(table, name);
      if (index[i] < 0) {
        throw new ValidationException(
            "Column '"
                + name
                + "' of Flink table "
                + flinkTable
                + " is not a captured column of SQL Server table "
                + sqlTable
                + ". Captured columns: "
                + columnNames(table)
                + ". Remove the column from CREATE TABLE or rename it to one of these.");
      }
      SourceColumn column = table.columns().get(index[i]);
      if (column.nullable() && !declared.types().get(i).isNullable()) {
        throw new ValidationException(
            "Column '"
                + name
                + "' of Flink table "
                + flinkTable
                + " is declared NOT NULL, but column "
                + column.name()
                + " of SQL Server table "
                + sqlTable
                + " allows NULL. Drop NOT NULL from the declaration.");
      }
      converters[i] = SourceValueConverters.forColumn(sqlTable, column, declared.types().get(i));
    }
    return new SourceRowMapping(index, converters);
  }

  private static void checkPrimaryKey(String flinkTable, SourceTable table, List<String> declared) {
    if (declared.isEmpty()) {
      return;
    }
    Set<String> want = new HashSet<>();
    for (String k : declared) {
      want.add(k.toLowerCase(Locale.ROOT));
    }
    Set<String> have = new HashSet<>();
    for (String k : table.keyColumns()) {
      have.add(k.toLowerCase(Locale.ROOT));
    }
    if (!want.equals(have)) {
      throw new ValidationException(
          "The PRIMARY KEY ("
              + String.join(", ", declared)
              + ") of Flink table "
              + flinkTable
              + " is not the key of SQL Server table "
              + table.qualifiedName()
              + ", which is "
              + (table.hasKey() ? "(" + String.join(", ", table.keyColumns()) + ")" : "none")
              + ". Declare "
              + (table.hasKey()
                  ? "PRIMARY KEY (" + String.join(", ", table.keyColumns()) + ") NOT ENFORCED"
                  : "no primary key")
              + ".");
    }
  }

  private static int indexOf(SourceTable table, String name) {
    for (int i = 0; i < table.columns().size(); i++) {
      if (table.columns().get(i).name().equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  private static String columnNames(SourceTable table) {
    StringJoiner j = new StringJoiner(", ");
    for (SourceColumn c : table.columns()) {
      j.add(c.name());
    }
    return j.toString();
  }

  /** The row of a change, or null for a progress marker (which Flink SQL has no use for). */
  RowData toRowData(ChangeRecord record) {
    if (record.isProgress()) {
      return null;
    }
    Object[] values = record.values();
    GenericRowData row = new GenericRowData(kind(record.operation()), sourceIndex.length);
    for (int i = 0; i < sourceIndex.length; i++) {
      Object v = values[sourceIndex[i]];
      row.setField(i, v == null ? null : converters[i].convert(v));
    }
    return row;
  }

  private static RowKind kind(ChangeOperation op) {
    switch (op) {
      case SNAPSHOT:
      case INSERT:
        return RowKind.INSERT;
      case UPDATE_BEFORE:
        return RowKind.UPDATE_BEFORE;
      case UPDATE_AFTER:
        return RowKind.UPDATE_AFTER;
      case DELETE:
        return RowKind.DELETE;
      default:
        throw new IllegalArgumentException("No row kind for " + op);
    }
  }

  /** The physical columns of a CREATE TABLE: names, types and primary key. */
  record DeclaredSchema(
      List<String> names,
      List<org.apache.flink.table.types.logical.LogicalType> types,
      List<String> primaryKey) {
    DeclaredSchema {
      names = new ArrayList<>(names);
      types = new ArrayList<>(types);
      primaryKey = new ArrayList<>(primaryKey);
    }
  }
}
