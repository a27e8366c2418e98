package io.baton;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** The one place that knows what a correlation ID looks like. */
final class Ids {

  static final int MIN_LENGTH = 16;
  static final int MAX_LENGTH = 64;

  private Ids() {}

  /** 16-64 characters of {@code [A-Za-z0-9_-]}. */
  static boolean isValid(CharSequence value) {
    if (value instanceof String) {
      return isValid((String) value); // every inbound ID is a String; keep its charAt inlined
    }
    // Any other CharSequence (a caller's StringBuilder): copy at most what an ID can be, rarely.
    return value != null
        && value.length() >= MIN_LENGTH
        && value.length() <= MAX_LENGTH
        && isValid(value.toString());
  }

  private static boolean isValid(String value) {
    int length = value.length();
    if (length < MIN_LENGTH || length > MAX_LENGTH) {
      return false;
    }
    // One table lookup and no branch per character: every message validates its ID, and an
    // early exit would only pay off for invalid values, which are rare. On a UUID this takes half
    // the time of a loop that returns at the first refused character (JMH, 32 vs 64 ns here).
    int refused = 0;
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      refused |= REFUSED[c & 0xFF] | (c >>> 8);
    }
    return refused == 0;
  }

  /**
   * 1 for each byte value an ID may not contain, 0 for A-Z, a-z, 0-9, - and _. 256 entries, so
   * that any {@code b & 0xFF} is in bounds with no check.
   */
  private static final byte[] REFUSED = new byte[256];

  static {
    for (int c = 0; c < REFUSED.length; c++) {
      boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_';
      REFUSED[c] = (byte) (allowed ? 0 : 1);
    }
  }

  private static boolean isAllowed(char c) {
    return c < REFUSED.length && REFUSED[c] == 0;
  }

  /**
   * A random (version 4) UUID string. Correlation IDs are labels, not secrets, so this draws from
   * {@link ThreadLocalRandom} instead of {@link UUID#randomUUID()}'s contended SecureRandom.
   */
  static String newUuidV4() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (random.nextLong() & ~0xC000000000000000L) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  /**
   * An inbound value as read: the ID as a {@code String} when {@code value} is a valid one,
   * otherwise an {@link Invalid} (never a {@code String}) for a warning to describe.
   */
  static CharSequence read(CharSequence value) {
    return isValid(value) ? value.toString() : new Invalid(value);
  }

  /**
   * Like {@link #read(CharSequence)} for UTF-8 bytes. A valid ID is ASCII, so the bytes are
   * checked as they are and copied once; only an invalid value is decoded, and never more of it
   * than a description shows, however large the header.
   */
  static CharSequence read(byte[] bytes) {
    if (isValid(bytes)) {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
    return new Invalid(prefix(bytes), bytes.length);
  }

  /**
   * The text of at most the first {@value #MAX_LENGTH} bytes, cut before a character whose bytes
   * go on past them, so that a description shows no replacement character the value does not hold.
   */
  private static String prefix(byte[] bytes) {
    if (bytes.length <= MAX_LENGTH) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    int end = MAX_LENGTH;
    for (int back = 0; back < 3 && (bytes[end] & 0xC0) == 0x80; back++) {
      end--; // bytes[end] continues a character that started before it
    }
    if ((bytes[end] & 0xC0) == 0x80) {
      end = MAX_LENGTH; // not UTF-8 anyway: show the bytes as they decode
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }

  /**
   * A value that is there but is not text (a number, a table) or could not be read: invalid like
   * any other, described by what it is ({@code description}), never by its content.
   */
  static CharSequence unreadable(String description) {
    return new Invalid("", -1, description);
  }

  /**
   * {@link #isValid(CharSequence)} for the UTF-8 bytes of a value, the same way: any byte of a
   * multi-byte UTF-8 character is 0x80 or above, so it is refused like any other.
   */
  static boolean isValid(byte[] bytes) {
    if (bytes.length < MIN_LENGTH || bytes.length > MAX_LENGTH) {
      return false;
    }
    int refused = 0;
    for (byte b : bytes) {
      refused |= REFUSED[b & 0xFF];
    }
    return refused == 0;
  }

  /**
   * An inbound value that is not a valid ID, kept for a warning to describe: its text (for a long
   * byte value, the text of its first bytes only) and, for a byte value, how many bytes it has.
   */
  static final class Invalid implements CharSequence {
    private final CharSequence text;
    /** The value's size in bytes, or -1 for a text value. */
    private final int byteLength;
    /** What a warning says of a value that is not text at all, or null. */
    private final String unreadable;

    Invalid(CharSequence text) {
      this(text, -1, null);
    }

    Invalid(CharSequence text, int byteLength) {
      this(text, byteLength, null);
    }

    private Invalid(CharSequence text, int byteLength, String unreadable) {
      this.text = text;
      this.byteLength = byteLength;
      this.unreadable = unreadable;
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public char charAt(int index) {
      return text.charAt(index);
    }

    @Override
    public CharSequence subSequence(int from, int to) {
      throw new UnsupportedOperationException("not an ID");
    }

    @Override
    public String toString() {
      return text.toString();
    }
  }

  /** Longest MDC field value taken from a message, e.g. a queue name (AMQP allows 255). */
  static final int MAX_FIELD_LENGTH = 255;

  /**
   * {@code value} fit for a log line: at most {@value #MAX_FIELD_LENGTH} characters, control,
   * formatting and line/paragraph separator characters (CR, LF, ESC, bidi overrides, U+2028...)
   * replaced by {@code ?}. Message
   * metadata can be forged by whoever publishes, so none of it reaches the MDC raw.
   */
  static String printable(String value) {
    int length = Math.min(value.length(), MAX_FIELD_LENGTH);
    if (length < value.length() && Character.isHighSurrogate(value.charAt(length - 1))) {
      length--; // never cut a surrogate pair in half
    }
    for (int i = 0; i < length; i++) {
      if (!isPrintable(value.charAt(i))) {
        StringBuilder out = new StringBuilder(length).append(value, 0, i);
        for (int j = i; j < length; j++) {
          char c = value.charAt(j);
          out.append(isPrintable(c) ? c : '?');
        }
        return out.toString();
      }
    }
    return length == value.length() ? value : value.substring(0, length);
  }

  private static boolean isPrintable(char c) {
    int type = Character.getType(c);
    return !Character.isISOControl(c)
        && type != Character.FORMAT
        && type != Character.LINE_SEPARATOR
        && type != Character.PARAGRAPH_SEPARATOR;
  }

  /**
   * A log-safe description of an untrusted value: its size ({@code 15 characters}, or for a
   * header read as bytes {@code 70 bytes}) and at most its first {@value #MAX_LENGTH} characters,
   * every character outside {@code [A-Za-z0-9_-]} written as {@code \\uXXXX}, then {@code ...} when
   * the value goes on. Reads no more than that prefix, however long the value.
   */
  static String describe(CharSequence value) {
    if (value instanceof Invalid && ((Invalid) value).unreadable != null) {
      return ((Invalid) value).unreadable;
    }
    int byteLength = value instanceof Invalid ? ((Invalid) value).byteLength : -1;
    int length = value.length();
    int shown = Math.min(length, MAX_LENGTH);
    StringBuilder out = new StringBuilder(shown + 32);
    if (byteLength >= 0) {
      out.append(byteLength).append(byteLength == 1 ? " byte, \"" : " bytes, \"");
    } else {
      out.append(length).append(length == 1 ? " character, \"" : " characters, \"");
    }
    for (int i = 0; i < shown; i++) {
      char c = value.charAt(i);
      if (isAllowed(c)) {
        out.append(c);
      } else {
        out.append("\\u");
        String hex = Integer.toHexString(c);
        for (int pad = hex.length(); pad < 4; pad++) {
          out.append('0');
        }
        out.append(hex);
      }
    }
    out.append('"');
    boolean more = byteLength >= 0 ? byteLength > MAX_LENGTH || shown < length : shown < length;
    if (more) {
      out.append("...");
    }
    return out.toString();
  }
}
