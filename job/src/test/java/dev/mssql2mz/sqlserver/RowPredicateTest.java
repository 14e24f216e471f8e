package dev.mssql2mz.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RowPredicateTest {

  @Test
  void expandsARowComparisonLexicographicallyWithBoundValues() {
    RowPredicate p = RowPredicate.greaterThan(List.of("a", "b"), new Object[] {1, "x"}, false);
    assertThat(p.sql()).isEqualTo("([a] > ?) OR ([a] = ? AND [b] > ?)");
    assertThat(p.params()).containsExactly(1, 1, "x");
  }

  @Test
  void inclusiveBoundAddsEquality() {
    RowPredicate p = RowPredicate.lessThan(List.of("a"), new Object[] {5}, true);
    assertThat(p.sql()).isEqualTo("(([a] IS NULL OR [a] < ?)) OR ([a] = ?)");
    assertThat(p.params()).containsExactly(5, 5);
  }

  @Test
  void nullSortsFirstLikeSqlServer() {
    RowPredicate gt = RowPredicate.greaterThan(List.of("a"), new Object[] {null}, false);
    assertThat(gt.sql()).isEqualTo("([a] IS NOT NULL)");
    RowPredicate lt = RowPredicate.lessThan(List.of("a"), new Object[] {null}, false);
    assertThat(lt.sql()).isEqualTo("(1 = 0)");
  }

  @Test
  void quotesIdentifiersWithClosingBrackets() {
    RowPredicate p = RowPredicate.greaterThan(List.of("we]ird"), new Object[] {1}, false);
    assertThat(p.sql()).contains("[we]]ird]");
  }

  @Test
  void openRangeIsAlwaysTrue() {
    assertThat(RowPredicate.range(List.of("a"), null, null).sql()).isEqualTo("1 = 1");
  }
}
