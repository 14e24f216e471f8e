package dev.mssql2mz.sqlserver;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which tables and columns the source replicates, like Materialize's {@code FOR ALL TABLES}, {@code
 * FOR TABLES (schema.table [AS name], ...)}, plus {@code FOR SCHEMAS (...)}, {@code EXCLUDE
 * COLUMNS} and {@code TEXT COLUMNS}. Resolving it against the catalog fails with every problem at
 * once: a listed table that does not exist, one without CDC, two tables with one target name.
 */
public final class TableSelection implements Serializable {

  private static final long serialVersionUID = 1L;

  /** A listed table with its optional alias. */
  public record TableRef(String schema, String table, String alias) implements Serializable {
    public String qualifiedName() {
      return schema + "." + table;
    }

    /** Parses {@code schema.table} or {@code schema.table AS name}. */
    public static TableRef parse(String text) {
      String s = text.trim();
      String alias = null;
      String[] asParts = s.split("(?i)\\s+as\\s+");
      if (asParts.length == 2) {
        s = asParts[0].trim();
        alias = asParts[1].trim();
      } else if (asParts.length > 2) {
        throw new IllegalArgumentException("Not a table reference: '" + text + "'");
      }
      int dot = s.indexOf('.');
      if (dot <= 0 || dot == s.length() - 1) {
        throw new IllegalArgumentException(
            "Table '" + text + "' must be written schema.table [AS name], e.g. dbo.orders");
      }
      return new TableRef(s.substring(0, dot), s.substring(dot + 1), alias);
    }
  }

  private final boolean allTables;
  private final List<TableRef> tables;
  private final Set<String> schemas;
  private final Set<String> excludeColumns;
  private final Set<String> textColumns;

  private TableSelection(
      boolean allTables,
      List<TableRef> tables,
      Set<String> schemas,
      Set<String> excludeColumns,
      Set<String> textColumns) {
    this.allTables = allTables;
    this.tables = List.copyOf(tables);
    this.schemas = Collections.unmodifiableSet(new LinkedHashSet<>(schemas));
    this.excludeColumns = Collections.unmodifiableSet(new LinkedHashSet<>(excludeColumns));
    this.textColumns = Collections.unmodifiableSet(new LinkedHashSet<>(textColumns));
  }

  /** Every CDC-enabled table. */
  public static TableSelection allTables() {
    return new TableSelection(true, List.of(), Set.of(), Set.of(), Set.of());
  }

  /** The listed tables and every table of the listed schemas. */
  public static TableSelection of(List<TableRef> tables, Set<String> schemas) {
    return new TableSelection(false, tables, schemas, Set.of(), Set.of());
  }

  /** Listed tables, each {@code schema.table [AS name]}. */
  public static TableSelection tables(String... refs) {
    List<TableRef> list = new ArrayList<>();
    for (String r : refs) {
      list.add(TableRef.parse(r));
    }
    return of(list, Set.of());
  }

  /** Every CDC table of the schemas. */
  public static TableSelection schemas(String... schemas) {
    return of(List.of(), new LinkedHashSet<>(List.of(schemas)));
  }

  /** The same selection without the columns {@code schema.table.column}. */
  public TableSelection excludingColumns(Set<String> qualifiedColumns) {
    return new TableSelection(allTables, tables, schemas, qualifiedColumns, textColumns);
  }

  /** The same selection with the columns {@code schema.table.column} delivered as text. */
  public TableSelection withTextColumns(Set<String> qualifiedColumns) {
    return new TableSelection(allTables, tables, schemas, excludeColumns, qualifiedColumns);
  }

  public boolean isAllTables() {
    return allTables;
  }

  public List<TableRef> tableRefs() {
    return tables;
  }

  public Set<String> schemaNames() {
    return schemas;
  }

  public Set<String> excludedColumns() {
    return excludeColumns;
  }

  public Set<String> textColumnNames() {
    return textColumns;
  }

  /** Whether a table (found later, e.g. enabled for CDC while running) falls in the selection. */
  public boolean covers(String schema, String table) {
    if (allTables || schemas.contains(schema)) {
      return true;
    }
    for (TableRef r : tables) {
      if (r.schema().equals(schema) && r.table().equals(table)) {
        return true;
      }
    }
    return false;
  }

  private String aliasOf(String schema, String table) {
    for (TableRef r : tables) {
      if (r.schema().equals(schema) && r.table().equals(table) && r.alias() != null) {
        return r.alias();
      }
    }
    return null;
  }

  /**
   * The selected tables, described for the source.
   *
   * @param discovered every CDC-enabled table of the database
   * @param existing every table of the database (schema, table, tracked by CDC)
   * @throws SourceConfigException listing every problem at once
   */
  public List<CapturedTable> resolve(
      List<DiscoveredTable> discovered, List<SqlServerQueries.TableRow> existing) {
    List<String> problems = new ArrayList<>();
    List<CapturedTable> out = resolve(discovered, existing, problems);
    if (!problems.isEmpty()) {
      throw new SourceConfigException(problems);
    }
    return out;
  }

  /** Like {@link #resolve(List, List)}, adding problems to {@code problems} instead of throwing. */
  public List<CapturedTable> resolve(
      List<DiscoveredTable> discovered,
      List<SqlServerQueries.TableRow> existing,
      List<String> problems) {
    Map<String, DiscoveredTable> byName = new HashMap<>();
    for (DiscoveredTable t : discovered) {
      byName.put(t.qualifiedName(), t);
    }
    Set<String> existingNames = new HashSet<>();
    for (SqlServerQueries.TableRow r : existing) {
      existingNames.add(r.schema() + "." + r.table());
    }
    List<DiscoveredTable> chosen = new ArrayList<>();
    Set<String> chosenNames = new HashSet<>();
    for (TableRef r : tables) {
      DiscoveredTable t = byName.get(r.qualifiedName());
      if (t == null) {
        if (existingNames.contains(r.qualifiedName())) {
          problems.add(
              "Table "
                  + r.qualifiedName()
                  + " is not enabled for CDC. Fix: EXEC sys.sp_cdc_enable_table @source_schema = "
                  + SqlIdentifiers.literal(r.schema())
                  + ", @source_name = "
                  + SqlIdentifiers.literal(r.table())
                  + ", @role_name = NULL, @supports_net_changes = 0;");
        } else {
          problems.add(
              "Table "
                  + r.qualifiedName()
                  + " does not exist (or is not visible to this user). Fix: correct the name"
                  + " in the table list, or GRANT SELECT ON "
                  + SqlIdentifiers.quote(r.schema(), r.table())
                  + " TO <user>;");
        }
      } else if (chosenNames.add(t.qualifiedName())) {
        chosen.add(t);
      }
    }
    for (DiscoveredTable t : discovered) {
      if ((allTables || schemas.contains(t.schema())) && chosenNames.add(t.qualifiedName())) {
        chosen.add(t);
      }
    }
    for (String schema : schemas) {
      boolean any = existing.stream().anyMatch(r -> r.schema().equals(schema));
      if (!any) {
        problems.add(
            "Schema "
                + schema
                + " has no tables (or does not exist). Fix: correct the schema name.");
      }
    }
    checkColumnsExist(excludeColumns, "EXCLUDE COLUMNS", chosen, problems);
    checkColumnsExist(textColumns, "TEXT COLUMNS", chosen, problems);

    List<CapturedTable> out = new ArrayList<>();
    Map<String, String> targetNames = new HashMap<>();
    for (DiscoveredTable t : chosen) {
      CapturedTable ct = describe(t, problems);
      if (ct == null) {
        continue;
      }
      String target = ct.table().targetName();
      String previous =
          targetNames.put(target.toLowerCase(java.util.Locale.ROOT), t.qualifiedName());
      if (previous != null) {
        problems.add(
            "Tables "
                + previous
                + " and "
                + t.qualifiedName()
                + " would both be named '"
                + target
                + "' in the target. Fix: give one an alias, e.g. "
                + t.qualifiedName()
                + " AS "
                + t.schema()
                + "_"
                + t.name());
      }
      out.add(ct);
    }
    return out;
  }

  /**
   * Describes one discovered table as the source will read it, or adds problems and returns null.
   */
  public CapturedTable describe(DiscoveredTable t, List<String> problems) {
    CaptureInstance newest = t.newestInstance();
    List<SourceColumn> columns = new ArrayList<>();
    for (String name : newest.capturedColumns()) {
      if (excludeColumns.contains(t.qualifiedName() + "." + name)) {
        continue;
      }
      SourceColumn c = t.column(name);
      if (c == null) {
        problems.add(
            "Captured column "
                + t.qualifiedName()
                + "."
                + name
                + " of capture instance "
                + newest.name()
                + " no longer exists in the table. Fix: create a new capture instance"
                + " (EXEC sys.sp_cdc_enable_table ... @capture_instance = N'...') or exclude it.");
        continue;
      }
      columns.add(c.withAsText(textColumns.contains(t.qualifiedName() + "." + name)));
    }
    List<String> key = new ArrayList<>(t.primaryKey());
    if (key.isEmpty() || !newest.capturedColumns().containsAll(key)) {
      key = new ArrayList<>(t.indexColumnsByInstance().getOrDefault(newest.name(), List.of()));
    }
    for (String k : key) {
      if (excludeColumns.contains(t.qualifiedName() + "." + k)) {
        problems.add(
            "Column "
                + t.qualifiedName()
                + "."
                + k
                + " is part of the table's key and cannot be excluded. Fix: remove it from"
                + " EXCLUDE COLUMNS.");
        return null;
      }
    }
    if (!newest.capturedColumns().containsAll(key)) {
      key = List.of();
    }
    String alias = aliasOf(t.schema(), t.name());
    SourceTable table =
        new SourceTable(t.schema(), t.name(), alias == null ? t.name() : alias, columns, key);
    return new CapturedTable(table, t.instances());
  }

  private static void checkColumnsExist(
      Set<String> qualified, String option, List<DiscoveredTable> chosen, List<String> problems) {
    for (String q : qualified) {
      boolean found = false;
      for (DiscoveredTable t : chosen) {
        if (q.startsWith(t.qualifiedName() + ".")
            && t.column(q.substring(t.qualifiedName().length() + 1)) != null) {
          found = true;
          break;
        }
      }
      if (!found) {
        problems.add(
            option
                + " names "
                + q
                + ", which is not a column of a selected table. Fix: write it as"
                + " schema.table.column of a selected table.");
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof TableSelection)) {
      return false;
    }
    TableSelection s = (TableSelection) o;
    return allTables == s.allTables
        && tables.equals(s.tables)
        && schemas.equals(s.schemas)
        && excludeColumns.equals(s.excludeColumns)
        && textColumns.equals(s.textColumns);
  }

  @Override
  public int hashCode() {
    return Objects.hash(allTables, tables, schemas, excludeColumns, textColumns);
  }

  @Override
  public String toString() {
    return allTables ? "all tables" : "tables " + tables + " schemas " + schemas;
  }
}
