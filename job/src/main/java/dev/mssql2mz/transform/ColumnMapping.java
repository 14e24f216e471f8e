package dev.mssql2mz.transform;

import dev.mssql2mz.sqlserver.SourceColumn;
import java.io.Serializable;
import java.util.Objects;

/**
 * How one source column reaches the target: the target column's DDL type and the converter of its
 * values. Made by {@link TypeMapping}.
 */
public final class ColumnMapping implements Serializable {

  private static final long serialVersionUID = 1L;

  private final String table;
  private final SourceColumn source;
  private final String targetType;
  private final ValueConverter converter;

  ColumnMapping(String table, SourceColumn source, String targetType, ValueConverter converter) {
    this.table = Objects.requireNonNull(table, "table");
    this.source = Objects.requireNonNull(source, "source");
    this.targetType = Objects.requireNonNull(targetType, "targetType");
    this.converter = Objects.requireNonNull(converter, "converter");
  }

  public SourceColumn source() {
    return source;
  }

  /** The column name, exactly as in SQL Server. */
  public String name() {
    return source.name();
  }

  /** The target type as it appears in DDL, e.g. {@code numeric(38,4)} or {@code timestamptz}. */
  public String targetType() {
    return targetType;
  }

  /**
   * The target value of a source value; null stays null.
   *
   * @throws IllegalArgumentException naming the table and column when the value does not fit
   */
  public Object convert(Object sourceValue) {
    if (sourceValue == null) {
      return null;
    }
    try {
      return converter.convert(sourceValue);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "Cannot convert a value of column "
              + source.name()
              + " ("
              + source.typeName()
              + ") of table "
              + table
              + " to "
              + targetType
              + ": "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public String toString() {
    return source.name() + " " + source.typeName() + " -> " + targetType;
  }
}
