package dev.mssql2mz.sqlserver;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

/**
 * One captured column of a source table, described as SQL Server describes it in {@code
 * sys.columns} / {@code sys.types}.
 *
 * <p>{@code maxLength} is in bytes as {@code sys.columns.max_length} reports it (-1 for the {@code
 * (max)} types; an {@code nvarchar(10)} has 20). {@code asText} marks a column listed in {@code
 * TEXT COLUMNS}: it is delivered as its string form whatever its type.
 */
public final class SourceColumn implements Serializable {

  private static final long serialVersionUID = 1L;

  private final String name;
  private final String typeName;
  private final int maxLength;
  private final int precision;
  private final int scale;
  private final boolean nullable;
  private final boolean asText;

  public SourceColumn(
      String name,
      String typeName,
      int maxLength,
      int precision,
      int scale,
      boolean nullable,
      boolean asText) {
    this.name = Objects.requireNonNull(name, "name");
    this.typeName = Objects.requireNonNull(typeName, "typeName").toLowerCase(Locale.ROOT);
    this.maxLength = maxLength;
    this.precision = precision;
    this.scale = scale;
    this.nullable = nullable;
    this.asText = asText;
  }

  /** The column name exactly as in SQL Server (case kept; quote it, never splice it raw). */
  public String name() {
    return name;
  }

  /** The SQL Server type name, lower case: {@code int}, {@code nvarchar}, {@code datetime2}. */
  public String typeName() {
    return typeName;
  }

  /** {@code sys.columns.max_length}: bytes, -1 for {@code (max)}. */
  public int maxLength() {
    return maxLength;
  }

  public int precision() {
    return precision;
  }

  /** Scale, or fractional-second digits for {@code time}, {@code datetime2}, ... */
  public int scale() {
    return scale;
  }

  public boolean nullable() {
    return nullable;
  }

  /** Whether the column is ingested as text ({@code TEXT COLUMNS}). */
  public boolean asText() {
    return asText;
  }

  /** A copy marked as a text column. */
  public SourceColumn withAsText(boolean text) {
    return new SourceColumn(name, typeName, maxLength, precision, scale, nullable, text);
  }

  /** Whether this is one of the {@code (max)} or legacy large types CDC may omit on update. */
  public boolean isLargeValue() {
    switch (typeName) {
      case "text":
      case "ntext":
      case "image":
        return true;
      case "varchar":
      case "nvarchar":
      case "varbinary":
        return maxLength == -1;
      default:
        return false;
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SourceColumn)) {
      return false;
    }
    SourceColumn c = (SourceColumn) o;
    return name.equals(c.name)
        && typeName.equals(c.typeName)
        && maxLength == c.maxLength
        && precision == c.precision
        && scale == c.scale
        && nullable == c.nullable
        && asText == c.asText;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, typeName, maxLength, precision, scale, nullable, asText);
  }

  @Override
  public String toString() {
    return name + " " + typeName + "(" + maxLength + "," + precision + "," + scale + ")";
  }
}
