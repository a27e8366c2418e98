package io.baton.http;

import io.baton.testing.Brokers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real clients calling a real server: the JDK HttpClient (unwrapped), curl, and a raw socket for
 * requests no well-behaved client sends (a CR inside a header value).
 */
final class Calls {

  /** What came back: status, headers (names lower-cased), body. */
  record Answer(int status, Map<String, List<String>> headers, String body) {
    String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    List<String> all(String name) {
      return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    String id() {
      return header(HttpCorrelation.ID_HEADER);
    }
  }

  static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private Calls() {}

  /** A GET with the JDK HttpClient; {@code headers} come in name, value pairs. */
  static Answer jdk(URI uri, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return answer(CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString()));
  }

  static Answer answer(HttpResponse<String> response) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    response.headers().map().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
    return new Answer(response.statusCode(), headers, response.body());
  }

  /** Whether curl is installed; without it the curl tests skip locally and fail with CI=true. */
  static void requireCurl() {
    boolean found = false;
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "curl"))) {
        found = true;
      }
    }
    Brokers.require(found, "curl");
  }

  /**
   * A GET with curl; {@code headerLines} ("Name: value") go through a file as UTF-8 bytes, so
   * that non-ASCII values reach the wire as they are.
   */
  static Answer curl(URI uri, String... headerLines) throws Exception {
    requireCurl();
    Path headerFile = Files.createTempFile("baton-curl", ".headers");
    try {
      Files.write(headerFile, String.join("\n", headerLines).concat("\n").getBytes(StandardCharsets.UTF_8));
      List<String> command = new ArrayList<>(List.of("curl", "-s", "-i", "--http1.1", "--max-time", "20"));
      if (headerLines.length > 0) {
        command.add("-H");
        command.add("@" + headerFile);
      }
      command.add(uri.toString());
      Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] output = curl.getInputStream().readAllBytes();
      if (!curl.waitFor(30, TimeUnit.SECONDS) || curl.exitValue() != 0) {
        throw new AssertionError("curl failed: " + new String(output, StandardCharsets.UTF_8));
      }
      return parse(output);
    } finally {
      Files.deleteIfExists(headerFile);
    }
  }

  /** Sends {@code head} (request line and header lines, CRLF-terminated, no blank line) raw. */
  static Answer raw(int port, byte[] head) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(head);
      out.write("Connection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      in.transferTo(received);
      return parse(received.toByteArray());
    }
  }

  static byte[] bytes(String... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String part : parts) {
      out.writeBytes(part.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  /** Parses an HTTP/1.1 answer (chunked bodies are not needed here: the servers send lengths). */
  static Answer parse(byte[] raw) {
    String text = new String(raw, StandardCharsets.UTF_8);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new AssertionError("not an HTTP answer: " + text);
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(lines[i].substring(colon + 1).trim());
    }
    String body = text.substring(end + 4);
    if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", List.of("")).get(0))) {
      body = unchunk(body);
    }
    return new Answer(status, headers, body);
  }

  private static String unchunk(String body) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (true) {
      int lineEnd = body.indexOf("\r\n", at);
      if (lineEnd < 0) {
        return out.toString(); // an answer the server broke off
      }
      int size = Integer.parseInt(body.substring(at, lineEnd).trim(), 16);
      if (size == 0) {
        return out.toString();
      }
      // sizes are bytes; the bodies here are ASCII
      out.append(body, lineEnd + 2, Math.min(body.length(), lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
  }
}
