package dev.mssql2mz.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.internal.TableEnvironmentInternal;
import org.apache.flink.table.catalog.ObjectIdentifier;
import org.apache.flink.table.catalog.ResolvedCatalogTable;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.types.RowKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The connector examples of deploy/flink-sql parse as Flink SQL, the INSERT names tables they
 * declare, and every table's options pass its connector factory ({@code mssql2mz-sqlserver}, {@code
 * materialize}, Flink CDC's {@code sqlserver-cdc}): an unknown or misspelt option, a missing one or
 * a bad value fails here. Nothing connects: the example hosts do not exist.
 */
class DeployFlinkSqlExamplesITCase {

  private static final Pattern SET = Pattern.compile("(?is)SET\\s+'([^']+)'\\s*=\\s*'([^']*)'");

  @ParameterizedTest
  @ValueSource(strings = {"sqlserver-to-materialize.sql", "flink-cdc-to-materialize.sql"})
  void everyTableOfTheExamplePassesItsConnectorFactory(String file) throws Exception {
    TableEnvironment tableEnv = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
    Path path = Paths.get("..", "deploy", "flink-sql", file);
    List<String> inserts = new ArrayList<>();
    for (String statement : Files.readString(path).split(";\\s*(\\n|$)")) {
      String sql = statement.replaceAll("(?m)^\\s*--.*$", "").strip();
      if (sql.isEmpty()) {
        continue;
      }
      Matcher set = SET.matcher(sql);
      if (set.matches()) {
        // SET is the SQL client's; a TableEnvironment takes the same key and value directly.
        tableEnv.getConfig().set(set.group(1), set.group(2));
      } else if (sql.toUpperCase(Locale.ROOT).startsWith("INSERT")) {
        inserts.add(sql);
      } else {
        tableEnv.executeSql(sql);
      }
    }
    assertThat(inserts).hasSize(1);
    String[] words = inserts.get(0).split("\\s+");
    String target = words[2];
    String source = words[words.length - 1];
    assertThat(tableEnv.listTables()).contains(target, source);
    assertThat(tableEnv.from(target).getResolvedSchema().getColumnNames())
        .isEqualTo(tableEnv.from(source).getResolvedSchema().getColumnNames());

    DynamicTableSource created =
        FactoryUtil.createDynamicTableSource(
            null,
            id(source),
            resolved(tableEnv, source),
            java.util.Map.of(),
            new Configuration(),
            getClass().getClassLoader(),
            false);
    assertThat(((ScanTableSource) created).getChangelogMode().contains(RowKind.UPDATE_BEFORE))
        .as("the source is a changelog with update pairs")
        .isTrue();
    assertThat(
            FactoryUtil.createDynamicTableSink(
                null,
                id(target),
                resolved(tableEnv, target),
                java.util.Map.of(),
                new Configuration(),
                getClass().getClassLoader(),
                false))
        .isInstanceOf(MaterializeTableSink.class);

    if (file.startsWith("flink-cdc")) {
      // Flink CDC's source connects only when the job runs, so the whole INSERT can be planned
      // here: its changelog (with -U/+U pairs) into our sink, translated into Flink operators.
      assertThat(tableEnv.explainSql(inserts.get(0)))
          .contains("TableSourceScan(table=[[default_catalog, default_database, " + source)
          .contains("Sink(table=[default_catalog.default_database." + target);
    }
  }

  private static ObjectIdentifier id(String table) {
    return ObjectIdentifier.of("default_catalog", "default_database", table);
  }

  private static ResolvedCatalogTable resolved(TableEnvironment tableEnv, String table) {
    return (ResolvedCatalogTable)
        ((TableEnvironmentInternal) tableEnv)
            .getCatalogManager()
            .getTableOrError(id(table))
            .getResolvedTable();
  }
}
