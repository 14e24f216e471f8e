package dev.mssql2mz.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mssql2mz.sqlserver.SourceColumn;
import dev.mssql2mz.sqlserver.SourceTable;
import dev.mssql2mz.transform.UnsupportedColumnException;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaterializeSinkBuilderTest {

  private static SourceTable table(String name, SourceColumn... cols) {
    return new SourceTable("dbo", name, name, List.of(cols), List.of());
  }

  private static MaterializeSinkBuilder valid() {
    return MaterializeSink.builder()
        .targetUrl("jdbc:postgresql://localhost:6875/materialize")
        .user("u")
        .password("s3cret-pw")
        .sourceName("erp")
        .tables(List.of(table("t", new SourceColumn("id", "int", 4, 10, 0, false, false))));
  }

  @Test
  void buildsWithDefaultsAndKeepsThePasswordOutOfToString() {
    MaterializeSink sink = valid().build();
    assertThat(sink.toString()).doesNotContain("s3cret-pw").contains("password (set)");
    assertThat(sink.model().progressRelation()).isEqualTo("erp_progress");
    assertThat(sink.model().table("t").changeTable()).isEqualTo("t_changes");
  }

  @Test
  void masksAPasswordInTheUrl() {
    MaterializeSink sink =
        valid().targetUrl("jdbc:postgresql://h/db?user=u&password=hunter2&ssl=true").build();
    assertThat(sink.toString()).doesNotContain("hunter2").contains("password=***");
  }

  @Test
  void rejectsANonPostgresUrl() {
    assertThatThrownBy(() -> valid().targetUrl("jdbc:mysql://x/y").build())
        .hasMessageContaining("targetUrl");
  }

  @Test
  void rejectsBadSourceNamesBatchSizesAndEmptyTables() {
    assertThatThrownBy(() -> valid().sourceName("a-b").build()).hasMessageContaining("sourceName");
    assertThatThrownBy(() -> valid().batchSize(0).build()).hasMessageContaining("batchSize");
    assertThatThrownBy(() -> valid().tables(List.of()).build()).hasMessageContaining("tables");
  }

  @Test
  void rejectsUnsupportedColumnsAtBuildTime() {
    assertThatThrownBy(
            () ->
                valid()
                    .tables(
                        List.of(table("t", new SourceColumn("doc", "xml", -1, 0, 0, true, false))))
                    .build())
        .isInstanceOf(UnsupportedColumnException.class)
        .hasMessageContaining("doc");
  }

  @Test
  void rejectsColumnsNamedLikeTheSinksOwn() {
    assertThatThrownBy(
            () ->
                valid()
                    .tables(
                        List.of(
                            table("t", new SourceColumn("_epoch", "int", 4, 10, 0, true, false))))
                    .build())
        .hasMessageContaining("_epoch")
        .hasMessageContaining("EXCLUDE");
  }

  @Test
  void rejectsTwoTablesWithOneTargetName() {
    SourceColumn id = new SourceColumn("id", "int", 4, 10, 0, false, false);
    assertThatThrownBy(
            () ->
                valid()
                    .tables(
                        List.of(
                            new SourceTable("a", "t", "t", List.of(id), List.of()),
                            new SourceTable("b", "t", "t", List.of(id), List.of())))
                    .build())
        .hasMessageContaining("alias");
  }

  @Test
  void rejectsNamesTheTargetWouldTruncate() {
    String longName = "x".repeat(60);
    assertThatThrownBy(
            () ->
                valid()
                    .tables(
                        List.of(
                            table(longName, new SourceColumn("id", "int", 4, 10, 0, false, false))))
                    .build())
        .hasMessageContaining("63 bytes");
  }

  @Test
  void retryBackoffDoublesFromTheInitialDelayAndStopsAtTheMaximum() {
    SinkSettings s =
        valid()
            .retryBackoff(java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(1))
            .build()
            .settings();
    assertThat(s.backoffMillis(1)).isEqualTo(100);
    assertThat(s.backoffMillis(2)).isEqualTo(200);
    assertThat(s.backoffMillis(4)).isEqualTo(800);
    assertThat(s.backoffMillis(5)).isEqualTo(1000);
    assertThat(s.backoffMillis(1_000)).as("no overflow after many attempts").isEqualTo(1000);
    assertThatThrownBy(
            () ->
                valid()
                    .retryBackoff(java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(1))
                    .build())
        .hasMessageContaining("retryBackoff");
    assertThatThrownBy(() -> valid().commitAttempts(0).build())
        .hasMessageContaining("commitAttempts");
  }
}
