package dev.mssql2mz.udfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every function in Flink SQL, registered by CREATE FUNCTION and by LOAD MODULE. */
class Mssql2mzFunctionsITCase {

  private static final String QUERY =
      "SELECT LSN_TO_STRING(lsn), "
          + "LSN_FROM_STRING('0000002a:00000d08:0025') = lsn, "
          + "LSN_TO_STRING(LSN_INCREMENT(lsn)), "
          + "LSN_COMPARE(lsn, LSN_FROM_STRING('80000000:00000000:0000')), "
          + "LSN_COMPARE('ffffffff:ffffffff:ffff', LSN_TO_STRING(lsn)), "
          + "CDC_OPERATION_NAME(op), "
          + "CDC_COLUMN_UPDATED(mask, 1), CDC_COLUMN_UPDATED(mask, 2), CDC_COLUMN_UPDATED(mask, 10), "
          + "MZ_ROUND_TIMESTAMP(ts) "
          + "FROM (VALUES "
          + "  (X'0000002A00000D080025', 1, X'0205', TIMESTAMP '2024-05-01 12:00:00.1234565'),"
          + "  (X'0000002A00000D08FFFF', 4, X'0000', TIMESTAMP '2024-12-31 23:59:59.9999995')"
          + ") AS t(lsn, op, mask, ts)";

  private TableEnvironment tableEnv;

  @BeforeEach
  void environment() {
    tableEnv = TableEnvironment.create(EnvironmentSettings.inBatchMode());
  }

  @Test
  void functionsRegisteredWithCreateFunctionWork() throws Exception {
    for (Map.Entry<String, ?> f : Mssql2mzModule.FUNCTIONS.entrySet()) {
      tableEnv.executeSql(
          "CREATE TEMPORARY FUNCTION "
              + f.getKey()
              + " AS '"
              + Mssql2mzModule.FUNCTIONS.get(f.getKey()).getName()
              + "'");
    }
    assertExpectedRows(collect(QUERY));
  }

  @Test
  void functionsLoadedWithLoadModuleWork() throws Exception {
    tableEnv.executeSql("LOAD MODULE mssql2mz");
    List<Row> modules = collect("SHOW MODULES");
    assertThat(modules).extracting(r -> r.getField(0)).contains("core", "mssql2mz");
    assertExpectedRows(collect(QUERY));
  }

  @Test
  void aBadLsnTextFailsTheQueryWithTheExpectedForm() {
    tableEnv.executeSql("LOAD MODULE mssql2mz");
    assertThatThrownBy(
            () -> collect("SELECT LSN_FROM_STRING(s) FROM (VALUES ('not-an-lsn')) AS t(s)"))
        .hasStackTraceContaining("Not an LSN: 'not-an-lsn'")
        .hasStackTraceContaining("0000002a:00000d08:0025");
  }

  @Test
  void theUdfsExampleInDeployRunsAndGivesWhatItsCommentsSay() throws Exception {
    String script =
        java.nio.file.Files.readString(
            java.nio.file.Paths.get("..", "deploy", "flink-sql", "udfs.sql"));
    List<Row> rows = null;
    for (String statement : script.split(";\\s*(\\n|$)")) {
      String sql = statement.replaceAll("(?m)^\\s*--.*$", "").strip();
      if (sql.isEmpty()) {
        continue;
      }
      if (sql.toUpperCase(java.util.Locale.ROOT).startsWith("SELECT")) {
        rows = collect(sql);
      } else {
        tableEnv.executeSql(sql);
      }
    }
    assertThat(rows).hasSize(1);
    Row row = rows.get(0);
    assertThat(row.getField(0)).isEqualTo("0000002a:00000d08:0025");
    assertThat(row.getField(1)).isEqualTo("0000002a:00000d08:0026");
    assertThat(row.getField(2)).isEqualTo(-1);
    assertThat(row.getField(3)).isEqualTo("update_after");
    assertThat(row.getField(4)).isEqualTo(true);
    assertThat(row.getField(5)).isEqualTo(LocalDateTime.parse("2024-05-01T12:00:00.123457"));
  }

  private static void assertExpectedRows(List<Row> rows) {
    assertThat(rows).hasSize(2);
    Row first = rows.get(0);
    assertThat(first.getField(0)).isEqualTo("0000002a:00000d08:0025");
    assertThat(first.getField(1)).isEqualTo(true);
    assertThat(first.getField(2)).isEqualTo("0000002a:00000d08:0026");
    assertThat(first.getField(3)).isEqualTo(-1);
    assertThat(first.getField(4)).isEqualTo(1);
    assertThat(first.getField(5)).isEqualTo("delete");
    assertThat(first.getField(6)).isEqualTo(true);
    assertThat(first.getField(7)).isEqualTo(false);
    assertThat(first.getField(8)).isEqualTo(true);
    assertThat(first.getField(9)).isEqualTo(LocalDateTime.parse("2024-05-01T12:00:00.123457"));
    Row second = rows.get(1);
    assertThat(second.getField(2))
        .as("carry from the slot into the block")
        .isEqualTo("0000002a:00000d09:0000");
    assertThat(second.getField(5)).isEqualTo("update_after");
    assertThat(second.getField(6)).isEqualTo(false);
    assertThat(second.getField(9)).isEqualTo(LocalDateTime.parse("2025-01-01T00:00:00"));
  }

  @SuppressWarnings("try") // CloseableIterator.close() declares Exception
  private List<Row> collect(String sql) throws Exception {
    List<Row> rows = new ArrayList<>();
    try (CloseableIterator<Row> it = tableEnv.executeSql(sql).collect()) {
      it.forEachRemaining(rows::add);
    }
    return rows;
  }
}
