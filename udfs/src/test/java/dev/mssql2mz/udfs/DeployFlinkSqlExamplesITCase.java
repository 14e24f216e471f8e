package dev.mssql2mz.udfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The connector examples of deploy/flink-sql parse as Flink SQL and declare the tables their INSERT
 * uses. (The INSERTs themselves need the connector jars; they run where those are.)
 */
class DeployFlinkSqlExamplesITCase {

  private static final java.util.regex.Pattern SET =
      java.util.regex.Pattern.compile("(?is)SET\\s+'([^']+)'\\s*=\\s*'([^']*)'");

  @ParameterizedTest
  @ValueSource(strings = {"sqlserver-to-materialize.sql", "flink-cdc-to-materialize.sql"})
  void ddlParsesAndTheInsertNamesDeclaredTables(String file) throws Exception {
    TableEnvironment tableEnv = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
    Path path = Paths.get("..", "deploy", "flink-sql", file);
    List<String> inserts = new ArrayList<>();
    for (String statement : Files.readString(path).split(";\\s*(\\n|$)")) {
      String sql = statement.replaceAll("(?m)^\\s*--.*$", "").strip();
      if (sql.isEmpty()) {
        continue;
      }
      java.util.regex.Matcher set = SET.matcher(sql);
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
    assertThat(tableEnv.from(source).getResolvedSchema().getPrimaryKey()).isPresent();
  }
}
