package dev.mssql2mz.transform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Text values reach the target as well-formed UTF-16, so UTF-8 can carry them. */
class ValueConversionsTextTest {

  @Test
  void wellFormedTextIsReturnedAsIs() {
    String s = "plain, padded   , and a pair 🦀";
    assertThat(ValueConversions.text(s)).isSameAs(s);
  }

  @Test
  void eachLoneSurrogateBecomesTheReplacementCharacter() {
    assertThat(ValueConversions.text("a\uD800b")).isEqualTo("a\uFFFDb");
    assertThat(ValueConversions.text("\uDC00")).isEqualTo("\uFFFD");
    assertThat(ValueConversions.text("x\uD800")).isEqualTo("x\uFFFD");
    // a low surrogate before a high one is two lone surrogates, not a pair
    assertThat(ValueConversions.text("\uDE00\uD83D")).isEqualTo("\uFFFD\uFFFD");
    assertThat(ValueConversions.text("🦀\uD800🦀")).isEqualTo("🦀\uFFFD🦀");
  }

  @Test
  void textColumnsGetTheSameReplacement() {
    assertThat(ValueConversions.textForm("a\uD800", 7)).isEqualTo("a\uFFFD");
  }
}
