package io.baton;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdsTest {

  @Test
  void every_char_is_allowed_exactly_when_it_is_an_ascii_letter_digit_dash_or_underscore() {
    String padding = "a".repeat(Ids.MIN_LENGTH - 1);
    for (int c = 0; c <= Character.MAX_VALUE; c++) {
      boolean expected = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_';
      String id = padding + (char) c;
      assertThat(Ids.isValid(id)).as("U+%04X in a String", c).isEqualTo(expected);
      assertThat(Ids.isValid(new StringBuilder(id))).as("U+%04X in a StringBuilder", c).isEqualTo(expected);
    }
  }

  @Test
  void every_byte_is_allowed_exactly_when_it_is_an_ascii_letter_digit_dash_or_underscore() {
    byte[] id = "a".repeat(Ids.MIN_LENGTH).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    for (int b = 0; b < 256; b++) {
      boolean expected = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
          || b == '-' || b == '_';
      id[7] = (byte) b;
      assertThat(Ids.isValid(id)).as("byte 0x%02X", b).isEqualTo(expected);
      assertThat(Ids.read(id)).as("byte 0x%02X", b).isInstanceOf(expected ? String.class : Ids.Invalid.class);
    }
  }

  @Test
  void one_refused_character_at_any_position_of_any_valid_length_makes_the_value_invalid() {
    // Validation reads every character with no early exit: a refused one must count wherever it
    // is. The neighbours of each allowed range, and bytes whose low seven bits are allowed.
    char[] refused = {0x00, 0x01, '\t', ' ', '+', ',', '.', '/', ':', '@', '[', '^', '`', '{', 0x7F,
        0xE1, 0x161, 0x2D2D, 0xFF41};
    byte[] refusedBytes = {0x00, 0x2C, 0x2E, 0x2F, 0x3A, 0x40, 0x5B, 0x5E, 0x60, 0x7B, 0x7F,
        (byte) 0x80, (byte) 0xAD, (byte) 0xC1, (byte) 0xDF, (byte) 0xE1, (byte) 0xFF};
    for (int length = Ids.MIN_LENGTH; length <= Ids.MAX_LENGTH; length++) {
      String id = "aZ09-_zA".repeat(8).substring(0, length);
      byte[] bytes = id.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      assertThat(Ids.isValid(id)).as("length %d", length).isTrue();
      assertThat(Ids.isValid(bytes)).as("%d bytes", length).isTrue();
      for (int position = 0; position < length; position++) {
        for (char c : refused) {
          String bad = id.substring(0, position) + c + id.substring(position + 1);
          assertThat(Ids.isValid(bad)).as("U+%04X at %d of %d", (int) c, position, length).isFalse();
        }
        for (byte b : refusedBytes) {
          byte[] bad = bytes.clone();
          bad[position] = b;
          assertThat(Ids.isValid(bad)).as("0x%02X at %d of %d", b, position, length).isFalse();
        }
      }
    }
  }

  @Test
  void reading_bytes_gives_the_id_text_or_an_invalid_value_that_describes_the_decoded_text() {
    String id = "c3a8f2d1-9b24-4c61-8c4a-2a7c1b9c2f61";
    assertThat(Ids.read(id.getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(id);

    CharSequence accented = Ids.read("caf\u00e9-0000000000000001".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(accented).isInstanceOf(Ids.Invalid.class);
    assertThat(Ids.describe(accented)).isEqualTo("22 bytes, \"caf\\u00e9-0000000000000001\"");

    CharSequence huge = Ids.read(new byte[1 << 20]);
    assertThat(huge).isInstanceOf(Ids.Invalid.class);
    assertThat(Ids.describe(huge)).startsWith("1048576 bytes, ").endsWith("\"...");
  }

  @Test
  void lengths_from_16_to_64_are_valid_and_no_others() {
    for (int length = 0; length <= 200; length++) {
      boolean expected = length >= 16 && length <= 64;
      assertThat(Ids.isValid("x".repeat(length))).as("length %d", length).isEqualTo(expected);
      assertThat(Ids.isValid("x".repeat(length).getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
          .as("%d bytes", length).isEqualTo(expected);
      assertThat(Ids.isValid(new StringBuilder("x".repeat(length)))).as("length %d", length).isEqualTo(expected);
    }
  }

  @Test
  void description_escapes_everything_outside_the_id_alphabet() {
    String described = Ids.describe("ab\r\n\u001b[31m${jndi:x}\u202e");

    assertThat(described)
        .isEqualTo(
            "19 characters, \"ab\\u000d\\u000a\\u001b\\u005b31m\\u0024\\u007bjndi\\u003ax\\u007d\\u202e\"");
    assertThat(described.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
  }

  @Test
  void description_shows_at_most_64_characters_and_the_full_length() {
    String huge = "y".repeat(1 << 20);

    String described = Ids.describe(huge);

    assertThat(described).isEqualTo("1048576 characters, \"" + "y".repeat(64) + "\"...");
  }

  @Test
  void a_byte_value_is_described_by_its_byte_count_and_only_the_characters_it_holds() {
    byte[] accents = "\u00e9".repeat(40).getBytes(java.nio.charset.StandardCharsets.UTF_8); // 80 bytes
    byte[] short_ = "caf\u00e9".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    assertThat(Ids.describe(Ids.read(accents)))
        .isEqualTo("80 bytes, \"" + "\\u00e9".repeat(32) + "\"...")
        .doesNotContain("fffd");
    assertThat(Ids.describe(Ids.read(short_))).isEqualTo("5 bytes, \"caf\\u00e9\"");
  }

  @Test
  void description_keeps_valid_characters_as_they_are() {
    assertThat(Ids.describe("ok-ID_09")).isEqualTo("8 characters, \"ok-ID_09\"");
  }

  @Test
  void printable_replaces_control_and_format_characters_and_bounds_the_length() {
    assertThat(Ids.printable("work")).isEqualTo("work");
    assertThat(Ids.printable("orders\r\n\u001b[31m\u202eforged")).isEqualTo("orders???[31m?forged");
    assertThat(Ids.printable("q".repeat(1000))).hasSize(255);
    assertThat(Ids.printable("\u00e9t\u00e9")).isEqualTo("\u00e9t\u00e9");
    assertThat(Ids.printable("a\u2028b\u2029c")).isEqualTo("a?b?c");
    assertThat(Ids.printable("q".repeat(254) + "\ud83d\ude00")).hasSize(254);
  }
}
