package dev.mssql2mz.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RowPredicateTest {

  @Test
  void expandsARowComparisonLexicographicallyWithBoundValues() {
    RowPredicate p = RowPredicate.greaterThan(List.of("a", "b"), new Object[] {1, "x"}, false);
    assertThat(p.sql()).isEqualTo("([a] >= ?) AND (([a] > ?) OR ([a] = ? AND [b] > ?))");
    assertThat(p.params()).containsExactly(1, 1, 1, "x");
  }

  @Test
  void leadsWithAPlainBoundOnTheFirstColumnSoTheIndexCanSeek() {
    RowPredicate range =
        RowPredicate.range(List.of("id"), Set.of("id"), new Object[] {10}, new Object[] {20});
    assertThat(range.sql())
        .isEqualTo("(([id] >= ?) AND (([id] > ?) OR ([id] = ?))) AND (([id] < ?))");
    assertThat(range.params()).containsExactly(10, 10, 10, 20);
    RowPredicate upper =
        RowPredicate.lessThan(List.of("a", "b"), Set.of("a", "b"), new Object[] {5, 6}, false);
    assertThat(upper.sql()).isEqualTo("([a] <= ?) AND (([a] < ?) OR ([a] = ? AND [b] < ?))");
  }

  @Test
  void aNullableFirstColumnGetsNoUpperBoundThatWouldDropItsNulls() {
    RowPredicate upper = RowPredicate.lessThan(List.of("a", "b"), new Object[] {5, 6}, false);
    assertThat(upper.sql())
        .isEqualTo("(([a] IS NULL OR [a] < ?)) OR ([a] = ? AND ([b] IS NULL OR [b] < ?))");
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
