package dev.mssql2mz.transform;

import dev.mssql2mz.sqlserver.SourceColumn;
import dev.mssql2mz.sqlserver.SourceTable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * SQL Server type to target type, one row per SQL Server type name: the table of reference section
 * 4 as code. The same target types serve Materialize and PostgreSQL.
 *
 * <p>Columns in {@code TEXT COLUMNS} become {@code text} whatever their type, including the types
 * that are otherwise rejected. Every other column of an unsupported type fails with an {@link
 * UnsupportedColumnException} naming the table, the column and the two fixes.
 */
public final class TypeMapping {

  /** Types that have no target type; they must be excluded or ingested as text. */
  public static final Set<String> UNSUPPORTED =
      Set.of(
          "xml", "sql_variant", "hierarchyid", "geometry", "geography", "timestamp", "rowversion");

  private static final Map<String, Function<SourceColumn, Rule>> RULES = new HashMap<>();

  static {
    fixed("tinyint", "smallint", ValueConversions::unsignedTinyint);
    fixed("smallint", "smallint", ValueConversions::smallint);
    fixed("int", "integer", ValueConversions::integer);
    fixed("bigint", "bigint", ValueConversions::bigint);
    fixed("real", "real", ValueConversions::real);
    fixed("float", "double precision", ValueConversions::doublePrecision);
    fixed("bit", "boolean", ValueConversions::bit);
    RULES.put("decimal", TypeMapping::decimal);
    RULES.put("numeric", TypeMapping::decimal);
    RULES.put("money", c -> new Rule("numeric(19,4)", v -> ValueConversions.decimal(v, 4)));
    RULES.put("smallmoney", c -> new Rule("numeric(10,4)", v -> ValueConversions.decimal(v, 4)));
    fixed("date", "date", ValueConversions::date);
    fixed("time", "time", ValueConversions::timeFloorMicros);
    fixed("datetime2", "timestamp(6)", ValueConversions::timestampRoundMicros);
    fixed("datetime", "timestamp(3)", ValueConversions::timestampAsStored);
    fixed("smalldatetime", "timestamp(0)", ValueConversions::timestampAsStored);
    fixed("datetimeoffset", "timestamptz", ValueConversions::timestamptz);
    RULES.put("char", c -> sized(c, "character", 1));
    RULES.put("varchar", c -> sized(c, "character varying", 1));
    fixed("nchar", "text", ValueConversions::text);
    fixed("nvarchar", "text", ValueConversions::text);
    fixed("sysname", "text", ValueConversions::text);
    fixed("text", "text", ValueConversions::text);
    fixed("ntext", "text", ValueConversions::text);
    fixed("binary", "bytea", ValueConversions::bytes);
    fixed("varbinary", "bytea", ValueConversions::bytes);
    fixed("image", "bytea", ValueConversions::bytes);
    fixed("uniqueidentifier", "uuid", ValueConversions::uuid);
    fixed("json", "jsonb", ValueConversions::text);
  }

  private TypeMapping() {}

  /** The mapping of every column of {@code table}, in column order. */
  public static List<ColumnMapping> forTable(SourceTable table) {
    List<ColumnMapping> out = new ArrayList<>(table.columns().size());
    for (SourceColumn c : table.columns()) {
      out.add(forColumn(table.qualifiedName(), c));
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * The mapping of one column.
   *
   * @param qualifiedTable {@code schema.table}, for messages
   * @throws UnsupportedColumnException for a type without a target type
   */
  public static ColumnMapping forColumn(String qualifiedTable, SourceColumn column) {
    if (column.asText()) {
      int digits = fractionDigits(column);
      return new ColumnMapping(
          qualifiedTable, column, "text", v -> ValueConversions.textForm(v, digits));
    }
    Function<SourceColumn, Rule> rule = RULES.get(column.typeName());
    if (rule == null) {
      throw new UnsupportedColumnException(qualifiedTable, column.name(), column.typeName());
    }
    Rule r = rule.apply(column);
    return new ColumnMapping(qualifiedTable, column, r.targetType, r.converter);
  }

  /** Digits SQL Server prints after the second for a temporal type (text form of TEXT COLUMNS). */
  private static int fractionDigits(SourceColumn c) {
    switch (c.typeName()) {
      case "time":
      case "datetime2":
      case "datetimeoffset":
        return c.scale();
      case "datetime":
        return 3;
      default:
        return 0;
    }
  }

  private static Rule decimal(SourceColumn c) {
    int scale = c.scale();
    return new Rule(
        "numeric(" + c.precision() + "," + scale + ")", v -> ValueConversions.decimal(v, scale));
  }

  /**
   * {@code char(n)}, {@code varchar(n)}: the declared length ({@code max_length} in bytes divided
   * by the bytes per character); {@code (max)} becomes {@code text}.
   */
  private static Rule sized(SourceColumn c, String type, int bytesPerChar) {
    if (c.maxLength() < 0) {
      return new Rule("text", ValueConversions::text);
    }
    return new Rule(type + "(" + (c.maxLength() / bytesPerChar) + ")", ValueConversions::text);
  }

  private static void fixed(String sqlServerType, String targetType, ValueConverter converter) {
    Rule r = new Rule(targetType, converter);
    RULES.put(sqlServerType, c -> r);
  }

  private static final class Rule {
    final String targetType;
    final ValueConverter converter;

    Rule(String targetType, ValueConverter converter) {
      this.targetType = targetType;
      this.converter = converter;
    }
  }
}
