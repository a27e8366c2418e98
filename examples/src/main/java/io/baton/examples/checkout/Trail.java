package io.baton.examples.checkout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The trail of one correlation ID across JSON log files (one object per line, as
 * logstash-logback-encoder writes them): a timeline for the terminal, and a self-contained HTML
 * page with a swimlane picture, one lane per component, arrows for the hops.
 *
 * <pre>
 * java -cp examples.jar io.baton.examples.checkout.Trail ID log.json [more.json ...] [--html trail.html]
 * </pre>
 */
public final class Trail {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** One log line; {@code exception} is the class of the exception it carries, or null. */
  public record Event(
      Instant time, String component, String level, String message, String id, String parentId, String thread,
      String exception) {

    /** The message, followed by the exception's class when the line carries one. */
    public String text() {
      return exception == null ? message : message + " [" + exception + "]";
    }
  }

  private Trail() {}

  /** Prints the timeline of an ID and, with {@code --html FILE}, writes its picture. */
  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: Trail CORRELATION_ID LOG.json [LOG.json ...] [--html OUT.html]");
      System.exit(2);
    }
    String id = args[0];
    List<Path> files = new ArrayList<>();
    Path html = null;
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--html") && i + 1 < args.length) {
        html = Path.of(args[++i]);
      } else {
        files.add(Path.of(args[i]));
      }
    }
    List<Event> trail = trail(read(files), id);
    System.out.print(timeline(trail, id));
    if (html != null) {
      Files.writeString(html, html(trail, id));
      System.out.println("wrote " + html);
    }
  }

  /** Every line of the files, in time order; lines that are not JSON objects are skipped. */
  public static List<Event> read(List<Path> files) throws IOException {
    List<Event> events = new ArrayList<>();
    for (Path file : files) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = JSON.readTree(line);
        } catch (RuntimeException e) {
          continue;
        }
        events.add(new Event(
            Instant.parse(node.path("@timestamp").asString(Instant.EPOCH.toString()).replaceFirst("([+-]\\d\\d:\\d\\d)$", "$1")),
            node.path("logger_name").asString(""),
            node.path("level").asString(""),
            node.path("message").asString(""),
            text(node, "correlation_id"),
            text(node, "parent_correlation_id"),
            node.path("thread_name").asString(""),
            exceptionClass(text(node, "stack_trace"))));
      }
    }
    events.sort(Comparator.comparing(Event::time));
    return events;
  }

  /** The class named on a stack trace's first line ("java.io.IOException: timed out"). */
  private static String exceptionClass(String stackTrace) {
    if (stackTrace == null || stackTrace.isBlank()) {
      return null;
    }
    String first = stackTrace.lines().findFirst().orElse("").strip();
    int colon = first.indexOf(':');
    return colon < 0 ? first : first.substring(0, colon);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asString();
  }

  /** The lines of {@code id}, and of every correlation it spawned (children, grandchildren...). */
  public static List<Event> trail(List<Event> events, String id) {
    Set<String> family = new LinkedHashSet<>();
    family.add(id);
    boolean grew = true;
    while (grew) {
      grew = false;
      for (Event event : events) {
        if (event.parentId() != null && family.contains(event.parentId()) && event.id() != null && family.add(event.id())) {
          grew = true;
        }
      }
    }
    List<Event> trail = new ArrayList<>();
    for (Event event : events) {
      if (event.id() != null && family.contains(event.id())) {
        trail.add(event);
      }
    }
    return trail;
  }

  /** The trail as text: time since the first line, component, level, message; children indented. */
  public static String timeline(List<Event> trail, String id) {
    StringBuilder out = new StringBuilder();
    if (trail.isEmpty()) {
      return "no log lines carry " + id + "\n";
    }
    Instant start = trail.get(0).time();
    Map<String, Integer> depth = depths(trail, id);
    out.append(String.format("%9s  %-27s %-5s  %s%n", "time", "component", "level", "message"));
    for (Event event : trail) {
      int level = depth.getOrDefault(event.id(), 1);
      String indent = "  ".repeat(level);
      String marker = level > 0 ? "└ child " + event.id().substring(0, 8) + ": " : "";
      out.append(String.format("%+8.3fs  %-27s %-5s  %s%s%s%n",
          Duration.between(start, event.time()).toNanos() / 1e9, event.component(), event.level(),
          level > 0 ? indent : "", marker, event.text()));
    }
    return out.toString();
  }

  private static Map<String, Integer> depths(List<Event> trail, String id) {
    Map<String, Integer> depth = new LinkedHashMap<>();
    depth.put(id, 0);
    boolean grew = true;
    while (grew) {
      grew = false;
      for (Event event : trail) {
        if (!depth.containsKey(event.id()) && event.parentId() != null && depth.containsKey(event.parentId())) {
          depth.put(event.id(), depth.get(event.parentId()) + 1);
          grew = true;
        }
      }
    }
    return depth;
  }

  /** A self-contained page: one lane per component, a dot per line, arrows where work moved on. */
  public static String html(List<Event> trail, String id) {
    List<String> lanes = new ArrayList<>(new LinkedHashSet<>(trail.stream().map(Event::component).toList()));
    int laneHeight = 56;
    int left = 170;
    int width = 1100;
    int height = 40 + laneHeight * Math.max(1, lanes.size());
    Instant start = trail.isEmpty() ? Instant.EPOCH : trail.get(0).time();
    // Evenly spaced in order, not by time: a retry 1 ms apart and a job 2 s later both stay legible.
    double step = (width - left - 20) / (double) Math.max(1, trail.size() - 1);
    Map<String, Integer> depth = depths(trail, id);
    StringBuilder svg = new StringBuilder();
    svg.append(String.format("<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif' font-size='12'>", width + 40, height));
    svg.append("<defs><marker id='arrow' markerWidth='8' markerHeight='8' refX='7' refY='4' orient='auto'>"
        + "<path d='M0,0 L8,4 L0,8 z' fill='#555'/></marker></defs>");
    for (int i = 0; i < lanes.size(); i++) {
      int y = 30 + i * laneHeight;
      svg.append(String.format("<rect x='0' y='%d' width='%d' height='%d' fill='%s'/>", y - 20, width + 40, laneHeight, i % 2 == 0 ? "#f4f6fa" : "#ffffff"));
      svg.append(String.format("<text x='8' y='%d' font-weight='bold'>%s</text>", y + 4, escape(lanes.get(i))));
    }
    double previousX = -1;
    double previousY = -1;
    String previousLane = null;
    for (int index = 0; index < trail.size(); index++) {
      Event event = trail.get(index);
      double x = left + 10 + step * index;
      int lane = lanes.indexOf(event.component());
      double y = 30 + lane * laneHeight;
      if (previousLane != null && !previousLane.equals(event.component())) {
        svg.append(String.format("<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' stroke='#555' stroke-width='1.2' marker-end='url(#arrow)'/>",
            previousX, previousY, x, y));
      }
      String colour = event.level().equals("ERROR") ? "#c62828" : event.level().equals("WARN") ? "#ef6c00"
          : depth.getOrDefault(event.id(), 0) > 0 ? "#6a1b9a" : "#1565c0";
      svg.append(String.format("<circle cx='%.1f' cy='%.1f' r='6' fill='%s'><title>+%.3fs %s %s: %s%s</title></circle>",
          x, y, colour, Duration.between(start, event.time()).toMillis() / 1000.0, escape(event.component()), event.level(),
          escape(event.text()), depth.getOrDefault(event.id(), 0) > 0 ? " (child " + escape(event.id()) + ")" : ""));
      previousX = x;
      previousY = y;
      previousLane = event.component();
    }
    svg.append("</svg>");
    StringBuilder rows = new StringBuilder();
    for (Event event : trail) {
      rows.append(String.format("<tr class='%s'><td>+%.3fs</td><td>%s</td><td>%s</td><td>%s%s</td></tr>",
          event.level().toLowerCase(), Duration.between(start, event.time()).toMillis() / 1000.0, escape(event.component()),
          event.level(), depth.getOrDefault(event.id(), 0) > 0 ? "&#8627; " : "", escape(event.text())));
    }
    return "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Trail of " + escape(id) + "</title><style>"
        + "body{font-family:sans-serif;margin:24px;color:#222}td{padding:2px 10px;font-size:13px}"
        + "tr.warn td{color:#ef6c00}tr.error td{color:#c62828}h1{font-size:20px}</style></head><body>"
        + "<h1>Trail of correlation_id " + escape(id) + "</h1>"
        + "<p>One lane per component, one dot per log line in the order they were written; arrows show "
        + "where the work moved next. Orange: warnings, red: errors, purple: work spawned by it (child "
        + "correlations). Hover a dot for its line and time.</p>"
        + svg + "<table>" + rows + "</table></body></html>";
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;").replace("\"", "&quot;");
  }
}
