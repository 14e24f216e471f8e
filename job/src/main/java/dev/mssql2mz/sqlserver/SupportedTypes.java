package dev.mssql2mz.sqlserver;

import java.util.Set;

/**
 * The one list of SQL Server types the source can deliver. Everything else (xml, sql_variant,
 * hierarchyid, geometry, geography, rowversion/timestamp, CLR types) must be excluded or listed in
 * TEXT COLUMNS. The target-side mapping lives in {@code dev.mssql2mz.transform}.
 */
public final class SupportedTypes {

  private static final Set<String> SUPPORTED =
      Set.of(
          "tinyint",
          "smallint",
          "int",
          "bigint",
          "bit",
          "real",
          "float",
          "decimal",
          "numeric",
          "money",
          "smallmoney",
          "date",
          "time",
          "datetime",
          "datetime2",
          "smalldatetime",
          "datetimeoffset",
          "char",
          "varchar",
          "nchar",
          "nvarchar",
          "sysname",
          "text",
          "ntext",
          "binary",
          "varbinary",
          "image",
          "uniqueidentifier",
          "json");

  private SupportedTypes() {}

  /** Whether a column's values can be delivered (text columns always can). */
  public static boolean isSupported(SourceColumn column) {
    return column.asText() || SUPPORTED.contains(column.typeName());
  }

  /** Whether values of the type compare in Java exactly as SQL Server orders them. */
  public static boolean hasJavaOrder(SourceColumn column) {
    switch (column.typeName()) {
      case "tinyint":
      case "smallint":
      case "int":
      case "bigint":
        return true;
      default:
        return false;
    }
  }
}
