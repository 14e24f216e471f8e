package dev.mssql2mz.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.table.factories.DynamicTableFactory;
import org.apache.flink.table.factories.Factory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Keeps the README's Flink SQL option tables equal to the factories' options. */
class FactoryOptionsReadmeTest {

  @ParameterizedTest
  @ValueSource(strings = {"mssql2mz-sqlserver", "materialize"})
  void readmeOptionTableMatchesTheFactory(String identifier) throws Exception {
    DynamicTableFactory factory =
        identifier.equals(SqlServerCdcTableFactory.IDENTIFIER)
            ? new SqlServerCdcTableFactory()
            : new MaterializeTableFactory();
    String start = "<!-- flink-sql-options:" + identifier + ":start -->";
    String end = "<!-- flink-sql-options:" + identifier + ":end -->";
    String readme = Files.readString(Paths.get("..", "README.md"), StandardCharsets.UTF_8);
    String expected = FactoryOptionsTable.markdown(factory);
    Files.createDirectories(Paths.get("target"));
    Files.writeString(Paths.get("target", "flink-sql-options-" + identifier + ".md"), expected);
    int from = readme.indexOf(start);
    int to = readme.indexOf(end);
    assertThat(from).as("README.md must contain %s", start).isNotNegative();
    assertThat(to).as("README.md must contain %s", end).isGreaterThan(from);
    assertThat(readme.substring(from + start.length(), to).strip() + "\n")
        .as(
            "README.md's table of %s differs from the factory; job/target/flink-sql-options-%s.md"
                + " has the current one",
            identifier, identifier)
        .isEqualTo(expected);
  }

  @Test
  void bothFactoriesAreRegisteredAsServices() {
    Set<String> identifiers =
        ServiceLoader.load(Factory.class).stream()
            .map(p -> p.get().factoryIdentifier())
            .collect(Collectors.toSet());
    assertThat(identifiers).contains("mssql2mz-sqlserver", "materialize");
  }
}
