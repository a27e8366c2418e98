package io.baton.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hostile correlation-value corpus ({@code correlation-values.jsonl}, copied from the
 * project's shared corpus): every carrier's tests run each entry through extraction.
 */
public final class CorrelationCorpus {

  private static final String RESOURCE = "correlation-values.jsonl";

  /** One corpus line: a candidate inbound value, as text and as the bytes a header would hold. */
  public static final class Entry {
    private final String name;
    private final String text;
    private final byte[] bytes;
    private final boolean valid;
    private final boolean rawBytes;

    Entry(String name, String text, byte[] bytes, boolean valid, boolean rawBytes) {
      this.name = name;
      this.text = text;
      this.bytes = bytes;
      this.valid = valid;
      this.rawBytes = rawBytes;
    }

    public String name() {
      return name;
    }

    /** The value as a string (raw bytes decoded as UTF-8, malformed input replaced). */
    public String text() {
      return text;
    }

    /** The value as header bytes (a string value encoded as UTF-8). */
    public byte[] bytes() {
      return bytes.clone();
    }

    /** Whether Baton's rule accepts it. */
    public boolean valid() {
      return valid;
    }

    /**
     * Whether Baton warns about it: every refused value but the empty one, which says no more
     * than a missing header and is treated like one.
     */
    public boolean warned() {
      return !valid && bytes.length > 0;
    }

    /** Whether the corpus gives it as raw bytes rather than as a string. */
    public boolean rawBytes() {
      return rawBytes;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private CorrelationCorpus() {}

  /** All entries, in file order. */
  public static List<Entry> entries() {
    List<Entry> entries = new ArrayList<>();
    Set<String> names = new HashSet<>();
    try (InputStream in = CorrelationCorpus.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the test classpath");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isBlank()) {
          Entry entry = parse(line);
          if (!names.add(entry.name)) {
            throw new IllegalStateException("duplicate corpus entry " + entry.name);
          }
          entries.add(entry);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return entries;
  }

  private static Entry parse(String line) {
    Map<String, Object> fields = new JsonLine(line).object();
    String name = (String) fields.get("name");
    boolean valid = Boolean.TRUE.equals(fields.get("valid"));
    String text;
    if (fields.containsKey("bytes_hex")) {
      byte[] bytes = hex((String) fields.get("bytes_hex"));
      return new Entry(name, new String(bytes, StandardCharsets.UTF_8), bytes, valid, true);
    } else if (fields.containsKey("value")) {
      text = (String) fields.get("value");
    } else if (fields.containsKey("repeat")) {
      text = ((String) fields.get("repeat")).repeat(((Number) fields.get("count")).intValue());
    } else {
      throw new IllegalStateException("corpus line without a value: " + line);
    }
    return new Entry(name, text, text.getBytes(StandardCharsets.UTF_8), valid, false);
  }

  private static byte[] hex(String hex) {
    byte[] bytes = new byte[hex.length() / 2];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    return bytes;
  }

  /** Just enough JSON for one flat object per line: strings, numbers, booleans, null. */
  private static final class JsonLine {
    private final String text;
    private int at;

    JsonLine(String text) {
      this.text = text;
    }

    Map<String, Object> object() {
      Map<String, Object> fields = new HashMap<>();
      expect('{');
      skipSpace();
      while (peek() != '}') {
        String key = string();
        expect(':');
        fields.put(key, value());
        skipSpace();
        if (peek() == ',') {
          at++;
          skipSpace();
        }
      }
      return fields;
    }

    private Object value() {
      skipSpace();
      char c = peek();
      if (c == '"') {
        return string();
      }
      int start = at;
      while (at < text.length() && ",}".indexOf(text.charAt(at)) < 0) {
        at++;
      }
      String token = text.substring(start, at).trim();
      switch (token) {
        case "true":
          return Boolean.TRUE;
        case "false":
          return Boolean.FALSE;
        case "null":
          return null;
        default:
          return Long.parseLong(token);
      }
    }

    private String string() {
      expect('"');
      StringBuilder out = new StringBuilder();
      for (char c = text.charAt(at++); c != '"'; c = text.charAt(at++)) {
        if (c != '\\') {
          out.append(c);
          continue;
        }
        char escaped = text.charAt(at++);
        switch (escaped) {
          case 'n': out.append('\n'); break;
          case 'r': out.append('\r'); break;
          case 't': out.append('\t'); break;
          case 'b': out.append('\b'); break;
          case 'f': out.append('\f'); break;
          case 'u':
            out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
            at += 4;
            break;
          default: out.append(escaped);
        }
      }
      return out.toString();
    }

    private void expect(char c) {
      skipSpace();
      if (text.charAt(at) != c) {
        throw new IllegalStateException("expected '" + c + "' at " + at + " in " + text);
      }
      at++;
    }

    private char peek() {
      return text.charAt(at);
    }

    private void skipSpace() {
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
        at++;
      }
    }
  }
}
