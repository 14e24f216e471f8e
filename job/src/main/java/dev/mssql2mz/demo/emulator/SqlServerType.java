package dev.mssql2mz.demo.emulator;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A column type as SQL Server declares it ({@code nvarchar(20)}, {@code datetime2(7)}, {@code
 * varbinary(max)}), with the H2 type that stores it and the {@code sys.columns}/{@code sys.types}
 * description SQL Server gives it.
 *
 * <p>H2 conflates several SQL Server types ({@code varchar}/{@code nvarchar}/{@code text}, {@code
 * money}/{@code decimal(19,4)}), so the emulator remembers the declared type of every column it
 * creates; this class is the one table of that mapping.
 */
final class SqlServerType {

  /** {@code sys.columns.max_length} of the (max) types. */
  static final int MAX = -1;

  private static final Map<String, Base> BASES = new LinkedHashMap<>();

  static {
    // name, system_type_id, user_type_id, bytes (fixed types), precision, scale
    base("tinyint", 48, 1, 3, 0);
    base("smallint", 52, 2, 5, 0);
    base("int", 56, 4, 10, 0);
    base("bigint", 127, 8, 19, 0);
    base("bit", 104, 1, 1, 0);
    base("real", 59, 4, 24, 0);
    base("float", 62, 8, 53, 0);
    base("decimal", 106, 9, 18, 0);
    base("numeric", 108, 9, 18, 0);
    base("money", 60, 8, 19, 4);
    base("smallmoney", 122, 4, 10, 4);
    base("date", 40, 3, 10, 0);
    base("time", 41, 5, 16, 7);
    base("datetime2", 42, 8, 27, 7);
    base("datetime", 61, 8, 23, 3);
    base("smalldatetime", 58, 4, 16, 0);
    base("datetimeoffset", 43, 10, 34, 7);
    base("char", 175, 1, 0, 0);
    base("varchar", 167, 1, 0, 0);
    base("nchar", 239, 2, 0, 0);
    base("nvarchar", 231, 2, 0, 0);
    base("text", 35, 16, 0, 0);
    base("ntext", 99, 16, 0, 0);
    base("binary", 173, 1, 0, 0);
    base("varbinary", 165, 1, 0, 0);
    base("image", 34, 16, 0, 0);
    base("uniqueidentifier", 36, 16, 0, 0);
    base("json", 244, MAX, 0, 0);
    base("xml", 241, MAX, 0, 0);
    base("sql_variant", 98, 8016, 0, 0);
    base("rowversion", 189, 8, 0, 0);
    base("hierarchyid", 240, 892, 0, 0);
    base("geography", 240, MAX, 0, 0);
    base("geometry", 240, MAX, 0, 0);
    base("sysname", 231, 256, 0, 0);
  }

  private final Base base;
  private final int maxLength;
  private final int precision;
  private final int scale;
  private final int length;

  private SqlServerType(Base base, int length, int precision, int scale) {
    this.base = base;
    this.length = length;
    this.precision = precision;
    this.scale = scale;
    this.maxLength = computeMaxLength(base, length, precision);
  }

  /** All type names {@code sys.types} lists. */
  static Collection<String> names() {
    return BASES.keySet();
  }

  /** Whether SQL Server knows this type name. */
  static boolean isKnown(String name) {
    return BASES.containsKey(name.toLowerCase(Locale.ROOT));
  }

  /**
   * The declared type from its name and the text between its parentheses ({@code null}, {@code
   * "max"}, {@code "20"}, {@code "18, 2"}).
   */
  static SqlServerType parse(String name, String args) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.equals("timestamp")) {
      n = "rowversion"; // SQL Server's timestamp is rowversion, not a date type
    }
    if (n.equals("dec")) {
      n = "decimal";
    }
    if (n.equals("integer")) {
      n = "int";
    }
    Base base = BASES.get(n);
    if (base == null) {
      throw new IllegalArgumentException("Column type '" + name + "' is not a SQL Server type");
    }
    String a = args == null ? null : args.trim();
    int first = -2;
    int second = -2;
    if (a != null && !a.isEmpty()) {
      if (a.equalsIgnoreCase("max")) {
        first = MAX;
      } else {
        String[] parts = a.split(",");
        first = Integer.parseInt(parts[0].trim());
        if (parts.length > 1) {
          second = Integer.parseInt(parts[1].trim());
        }
      }
    }
    switch (n) {
      case "decimal":
      case "numeric":
        return new SqlServerType(base, 0, first == -2 ? 18 : first, second == -2 ? 0 : second);
      case "float":
        if (first != -2 && first <= 24) {
          return new SqlServerType(BASES.get("real"), 0, 24, 0);
        }
        return new SqlServerType(base, 0, 53, 0);
      case "time":
      case "datetime2":
      case "datetimeoffset":
        return new SqlServerType(base, 0, base.precision, first == -2 ? 7 : first);
      case "char":
      case "varchar":
      case "nchar":
      case "nvarchar":
      case "binary":
      case "varbinary":
        return new SqlServerType(base, first == -2 ? 1 : first, 0, 0);
      default:
        return new SqlServerType(base, 0, base.precision, base.scale);
    }
  }

  /** The type as SQL Server names it in {@code sys.types}: {@code nvarchar}, {@code sysname}. */
  String name() {
    return base.name;
  }

  int systemTypeId() {
    return base.systemTypeId;
  }

  /** {@code sys.types.user_type_id}: the system type id, except for alias types like sysname. */
  int userTypeId() {
    return base.name.equals("sysname") ? 256 : base.systemTypeId;
  }

  /** {@code sys.columns.max_length}: bytes, -1 for (max). */
  int maxLength() {
    return maxLength;
  }

  int precision() {
    return precision;
  }

  int scale() {
    return scale;
  }

  /** Whether CDC omits the value of this type in some change rows (reference: large values). */
  boolean isLegacyLargeValue() {
    return base.name.equals("text") || base.name.equals("ntext") || base.name.equals("image");
  }

  /** Whether this is {@code varchar(max)}, {@code nvarchar(max)} or {@code varbinary(max)}. */
  boolean isMaxValue() {
    return length == MAX
        && (base.name.equals("varchar")
            || base.name.equals("nvarchar")
            || base.name.equals("varbinary"));
  }

  /** The H2 column type that stores this type faithfully. */
  String h2Type() {
    switch (base.name) {
      case "tinyint":
      case "smallint":
        return "SMALLINT";
      case "int":
        return "INTEGER";
      case "bigint":
        return "BIGINT";
      case "bit":
        return "BOOLEAN";
      case "real":
        return "REAL";
      case "float":
        return "DOUBLE PRECISION";
      case "decimal":
      case "numeric":
      case "money":
      case "smallmoney":
        return "NUMERIC(" + precision + "," + scale + ")";
      case "date":
        return "DATE";
      case "time":
        return "TIME(" + scale + ")";
      case "datetime2":
        return "TIMESTAMP(" + scale + ")";
      case "datetime":
      case "smalldatetime":
        // full precision, so DatetimeRounding rounds the value as written, not H2's rounding of it
        return "TIMESTAMP(9)";
      case "datetimeoffset":
        return "TIMESTAMP(" + scale + ") WITH TIME ZONE";
      case "char":
      case "nchar":
        return "CHARACTER(" + length + ")";
      case "varchar":
      case "nvarchar":
        return length == MAX ? "CHARACTER VARYING" : "CHARACTER VARYING(" + length + ")";
      case "sysname":
        return "CHARACTER VARYING(128)";
      case "binary":
        return "BINARY(" + length + ")";
      case "varbinary":
        return length == MAX ? "BINARY VARYING" : "BINARY VARYING(" + length + ")";
      case "rowversion":
        return "BINARY(8)";
      case "uniqueidentifier":
        return "UUID";
      case "image":
      case "hierarchyid":
      case "geography":
      case "geometry":
        return "BINARY VARYING";
      default: // text, ntext, json, xml, sql_variant
        return "CHARACTER VARYING";
    }
  }

  /** A column constraint H2 needs to keep SQL Server's value range, or an empty string. */
  String h2Check(String quotedColumn) {
    return base.name.equals("tinyint") ? " CHECK (" + quotedColumn + " BETWEEN 0 AND 255)" : "";
  }

  /** The declaration as SQL Server prints it: {@code nvarchar(20)}, {@code decimal(18,2)}. */
  String declaration() {
    switch (base.name) {
      case "decimal":
      case "numeric":
        return base.name + "(" + precision + "," + scale + ")";
      case "time":
      case "datetime2":
      case "datetimeoffset":
        return base.name + "(" + scale + ")";
      case "char":
      case "varchar":
      case "nchar":
      case "nvarchar":
      case "binary":
      case "varbinary":
        return base.name + "(" + (length == MAX ? "max" : String.valueOf(length)) + ")";
      default:
        return base.name;
    }
  }

  /** The {@code sys.types} row of a base type: name, system/user type id, bytes, precision. */
  static SqlServerType ofName(String name) {
    return parse(name, null);
  }

  @Override
  public String toString() {
    return declaration();
  }

  private static int computeMaxLength(Base base, int length, int precision) {
    switch (base.name) {
      case "char":
      case "varchar":
      case "binary":
      case "varbinary":
        return length == MAX ? MAX : length;
      case "nchar":
      case "nvarchar":
        return length == MAX ? MAX : 2 * length;
      case "decimal":
      case "numeric":
        return precision <= 9 ? 5 : precision <= 19 ? 9 : precision <= 28 ? 13 : 17;
      default:
        return base.bytes;
    }
  }

  private static void base(String name, int systemTypeId, int bytes, int precision, int scale) {
    BASES.put(name, new Base(name, systemTypeId, bytes, precision, scale));
  }

  private static final class Base {
    final String name;
    final int systemTypeId;
    final int bytes;
    final int precision;
    final int scale;

    Base(String name, int systemTypeId, int bytes, int precision, int scale) {
      this.name = name;
      this.systemTypeId = systemTypeId;
      this.bytes = bytes;
      this.precision = precision;
      this.scale = scale;
    }
  }
}
