package io.baton.http;

/** The error bodies' JSON, written by hand: Baton takes no JSON library. */
final class Json {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Json() {}

  static String error(String code, String message, String correlationId) {
    StringBuilder json = new StringBuilder(96);
    json.append("{\"error\":{\"code\":");
    string(json, code);
    json.append(",\"message\":");
    string(json, message);
    json.append(",\"correlation_id\":");
    string(json, correlationId);
    return json.append("}}").toString();
  }

  static String problem(int status, String title, String detail, String correlationId) {
    StringBuilder json = new StringBuilder(128);
    json.append("{\"type\":\"about:blank\",\"title\":");
    string(json, title);
    json.append(",\"status\":").append(status);
    if (detail != null) {
      json.append(",\"detail\":");
      string(json, detail);
    }
    json.append(",\"correlation_id\":");
    string(json, correlationId);
    return json.append('}').toString();
  }

  /**
   * A JSON string (RFC 8259): quote, backslash and every control character escaped, and so are
   * U+2028/U+2029 and lone surrogates, so that the body is also safe inside a script; other
   * characters are written as they are (the body is sent as UTF-8).
   */
  static void string(StringBuilder json, String value) {
    if (value == null) {
      json.append("null");
      return;
    }
    json.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"': json.append("\\\""); break;
        case '\\': json.append("\\\\"); break;
        case '\n': json.append("\\n"); break;
        case '\r': json.append("\\r"); break;
        case '\t': json.append("\\t"); break;
        case '\b': json.append("\\b"); break;
        case '\f': json.append("\\f"); break;
        default:
          if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || loneSurrogate(value, i)) {
            unicode(json, c);
          } else {
            json.append(c);
          }
      }
    }
    json.append('"');
  }

  private static boolean loneSurrogate(String value, int i) {
    char c = value.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(value.charAt(i - 1));
    }
    return false;
  }

  private static void unicode(StringBuilder json, char c) {
    json.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf])
        .append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
  }
}
