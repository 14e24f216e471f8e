package dev.mssql2mz.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mssql2mz.udfs.Lsn;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TableSelectionTest {

  private static DiscoveredTable table(String schema, String name, String... cols) {
    List<SourceColumn> columns =
        java.util.Arrays.stream(cols)
            .map(c -> new SourceColumn(c, c.equals("doc") ? "xml" : "int", 4, 10, 0, true, false))
            .toList();
    CaptureInstance i =
        new CaptureInstance(schema + "_" + name, schema, name, Lsn.of(1, 0, 0), List.of(cols));
    return new DiscoveredTable(
        schema, name, columns, List.of(cols[0]), List.of(i), Map.of(i.name(), List.of(cols[0])));
  }

  private static final List<DiscoveredTable> CDC =
      List.of(table("dbo", "orders", "id", "qty"), table("sales", "orders", "id", "doc"));
  private static final List<SqlServerQueries.TableRow> ALL =
      List.of(
          new SqlServerQueries.TableRow("dbo", "orders", true),
          new SqlServerQueries.TableRow("sales", "orders", true),
          new SqlServerQueries.TableRow("dbo", "plain", false));

  @Test
  void allTablesWithTheSameNameInTwoSchemasIsACollision() {
    assertThatThrownBy(() -> TableSelection.allTables().resolve(CDC, ALL))
        .isInstanceOf(SourceConfigException.class)
        .hasMessageContaining("dbo.orders and sales.orders would both be named 'orders'")
        .hasMessageContaining("AS sales_orders");
  }

  @Test
  void anAliasResolvesTheCollision() {
    List<CapturedTable> t =
        TableSelection.tables("dbo.orders", "sales.orders AS sales_orders").resolve(CDC, ALL);
    assertThat(t).extracting(x -> x.table().targetName()).containsExactly("orders", "sales_orders");
  }

  @Test
  void aListedTableWithoutCdcNamesTheEnableStatement() {
    assertThatThrownBy(() -> TableSelection.tables("dbo.plain").resolve(CDC, ALL))
        .hasMessageContaining("dbo.plain is not enabled for CDC")
        .hasMessageContaining(
            "EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'plain'");
  }

  @Test
  void aListedTableThatDoesNotExistIsReported() {
    assertThatThrownBy(() -> TableSelection.tables("dbo.nope").resolve(CDC, ALL))
        .hasMessageContaining("dbo.nope does not exist");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    SourceConfigException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            SourceConfigException.class,
            () -> TableSelection.tables("dbo.nope", "dbo.plain").resolve(CDC, ALL));
    assertThat(e.problems()).hasSize(2);
  }

  @Test
  void schemasSelectEveryCdcTableOfTheSchema() {
    List<CapturedTable> t = TableSelection.schemas("sales").resolve(CDC, ALL);
    assertThat(t).extracting(x -> x.table().qualifiedName()).containsExactly("sales.orders");
  }

  @Test
  void excludedAndTextColumnsShapeTheTable() {
    List<CapturedTable> t =
        TableSelection.schemas("sales")
            .excludingColumns(Set.of())
            .withTextColumns(Set.of("sales.orders.doc"))
            .resolve(CDC, ALL);
    SourceTable s = t.get(0).table();
    assertThat(s.columns().get(1).asText()).isTrue();
    List<CapturedTable> ex =
        TableSelection.schemas("sales")
            .excludingColumns(Set.of("sales.orders.doc"))
            .resolve(CDC, ALL);
    assertThat(ex.get(0).table().columns()).extracting(SourceColumn::name).containsExactly("id");
  }

  @Test
  void aKeyColumnCannotBeExcluded() {
    assertThatThrownBy(
            () ->
                TableSelection.schemas("sales")
                    .excludingColumns(Set.of("sales.orders.id"))
                    .resolve(CDC, ALL))
        .hasMessageContaining("part of the table's key");
  }

  @Test
  void anExcludedColumnThatDoesNotExistIsReported() {
    assertThatThrownBy(
            () ->
                TableSelection.schemas("sales")
                    .excludingColumns(Set.of("sales.orders.nope"))
                    .resolve(CDC, ALL))
        .hasMessageContaining("EXCLUDE COLUMNS names sales.orders.nope");
  }

  @Test
  void parsesTableReferencesWithAliases() {
    TableSelection.TableRef r = TableSelection.TableRef.parse("dbo.orders as o");
    assertThat(r).isEqualTo(new TableSelection.TableRef("dbo", "orders", "o"));
    assertThatThrownBy(() -> TableSelection.TableRef.parse("orders"))
        .hasMessageContaining("schema.table");
  }

  @Test
  void coversNewTablesOfSelectedSchemas() {
    assertThat(TableSelection.schemas("sales").covers("sales", "new")).isTrue();
    assertThat(TableSelection.tables("dbo.orders").covers("dbo", "other")).isFalse();
  }
}
