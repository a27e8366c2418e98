package io.baton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CorrelationTest {

  private static final Pattern UUID_V4 =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

  @Test
  void new_root_has_a_uuid_v4_id_and_no_parent() {
    Correlation root = Correlation.newRoot();

    assertThat(root.id()).hasSize(36).matches(UUID_V4);
    assertThat(root.parentId()).isEmpty();
  }

  @Test
  void fresh_ids_do_not_repeat() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      ids.add(Correlation.newRoot().id());
    }
    assertThat(ids).hasSize(100_000);
  }

  @Test
  void new_child_has_a_fresh_id_and_this_id_as_parent() {
    Correlation parent = Correlation.newRoot();

    Correlation child = parent.newChild();

    assertThat(child.id()).matches(UUID_V4).isNotEqualTo(parent.id());
    assertThat(child.parentId()).contains(parent.id());
  }

  @Test
  void of_keeps_the_given_ids() {
    Correlation correlation = Correlation.of("order_checkout-2026_11_21", "9f3c2b1f6a7a4c2f");

    assertThat(correlation.id()).isEqualTo("order_checkout-2026_11_21");
    assertThat(correlation.parentId()).contains("9f3c2b1f6a7a4c2f");
    assertThat(Correlation.of("9f3c2b1f6a7a4c2f", null).parentId()).isEmpty();
  }

  @Test
  void of_rejects_an_invalid_id_or_parent_without_echoing_control_characters() {
    assertThatThrownBy(() -> Correlation.of("too-short", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Correlation.of(null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Correlation.of("9f3c2b1f6a7a4c2f", "bad\r\nparent-value-xx"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\\u000d\\u000a")
        .hasMessageNotContaining("\r");
  }

  @Test
  void equal_when_id_and_parent_are_equal() {
    Correlation a = Correlation.of("9f3c2b1f6a7a4c2f", "1f3c2b1f6a7a4c2f");

    assertThat(a)
        .isEqualTo(Correlation.of("9f3c2b1f6a7a4c2f", "1f3c2b1f6a7a4c2f"))
        .hasSameHashCodeAs(Correlation.of("9f3c2b1f6a7a4c2f", "1f3c2b1f6a7a4c2f"))
        .isNotEqualTo(Correlation.of("9f3c2b1f6a7a4c2f", null))
        .isNotEqualTo(Correlation.of("1f3c2b1f6a7a4c2f", "1f3c2b1f6a7a4c2f"));
    assertThat(a.toString()).contains("9f3c2b1f6a7a4c2f", "1f3c2b1f6a7a4c2f");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0123456789abcdef", // 16: shortest
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ-_0123",
        "----------------",
        "________________________________________________________________", // 64: longest
        "c3a8f2d1-9b24-4c61-8c4a-2a7c1b9c2f61"
      })
  void accepts_16_to_64_letters_digits_dashes_and_underscores(String id) {
    assertThat(Correlation.isValidId(id)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "                ",
        "0123456789abcde", // 15
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0", // 65
        "0123456789abcde ", // space
        "0123456789abcde\t",
        "0123456789abcde\n",
        "0123456789abcde\r",
        "0123456789abcde\u0000",
        "0123456789abcde\u001b",
        "0123456789abcde\u007f",
        "0123456789abcde.",
        "0123456789abcde+",
        "0123456789abcde/",
        "0123456789abcde=",
        "0123456789abcde%",
        "0123456789abcde$",
        "0123456789abcde{",
        "0123456789abcde<",
        "0123456789abcde\"",
        "0123456789abcde'",
        "0123456789abcde\\",
        "0123456789abcde:",
        "0123456789abcde;",
        "0123456789abcde,",
        "0123456789abcde@",
        "0123456789abcdé", // non-ASCII letter
        "0123456789abcde\u0441", // Cyrillic look-alike
        "０１２３４５６７８９０１２３４５", // full-width digits
        "0123456789abcde\u200b", // zero-width space
        "0123456789abcde\u202e", // bidi override
        "0123456789abcdef\ud83d\ude00" // emoji
      })
  void rejects_wrong_lengths_and_every_other_character(String id) {
    assertThat(Correlation.isValidId(id)).isFalse();
  }

  @Test
  void null_is_not_a_valid_id() {
    assertThat(Correlation.isValidId(null)).isFalse();
  }
}
