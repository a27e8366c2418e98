package io.baton.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.examples.checkout.Trail;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrailTest {

  private static final String ORDER = "c3a8f2d1-9b24-4c61-8c4a-2a7c1b9c2f61";
  private static final String CHILD = "9f3c2b1f-6a7a-4c2f-8000-000000000001";

  @TempDir Path dir;

  private Path log() throws Exception {
    Path log = dir.resolve("log.json");
    Files.write(log, List.of(
        "{\"@timestamp\":\"2026-11-21T10:00:00.000Z\",\"message\":\"checkout received\",\"logger_name\":\"api\",\"level\":\"INFO\",\"correlation_id\":\"" + ORDER + "\"}",
        "{\"@timestamp\":\"2026-11-21T10:00:00.100Z\",\"message\":\"another order\",\"logger_name\":\"api\",\"level\":\"INFO\",\"correlation_id\":\"other-order-0000000001\"}",
        "not json at all",
        "{\"@timestamp\":\"2026-11-21T10:00:00.250Z\",\"message\":\"payment failed <for good>\",\"logger_name\":\"payment-dlt\",\"level\":\"ERROR\",\"correlation_id\":\"" + ORDER + "\"}",
        "{\"@timestamp\":\"2026-11-21T10:00:02.250Z\",\"message\":\"reconciling\",\"logger_name\":\"reconcile-job\",\"level\":\"INFO\",\"correlation_id\":\"" + CHILD + "\",\"parent_correlation_id\":\"" + ORDER + "\"}"));
    return log;
  }

  @Test
  void timeline_shows_the_ids_lines_in_order_with_children_indented_and_nothing_else() throws Exception {
    List<Trail.Event> trail = Trail.trail(Trail.read(List.of(log())), ORDER);

    String timeline = Trail.timeline(trail, ORDER);

    assertThat(trail).extracting(Trail.Event::message)
        .containsExactly("checkout received", "payment failed <for good>", "reconciling");
    assertThat(timeline).contains("+0.000s", "+0.250s", "+2.250s", "payment-dlt", "ERROR")
        .contains("└ child 9f3c2b1f: reconciling")
        .doesNotContain("another order");
  }

  @Test
  void html_is_a_self_contained_swimlane_page() throws Exception {
    List<Trail.Event> trail = Trail.trail(Trail.read(List.of(log())), ORDER);

    String html = Trail.html(trail, ORDER);

    assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg", ORDER, ">api<", ">payment-dlt<", ">reconcile-job<", "marker-end")
        .contains("payment failed &lt;for good&gt;")
        .doesNotContain("<script", "<link", "src=", "url(http");
  }

  @Test
  void the_tool_prints_the_timeline_and_writes_the_page() throws Exception {
    Path html = dir.resolve("trail.html");
    PrintStream original = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true, "UTF-8"));
    try {
      Trail.main(new String[] {ORDER, log().toString(), "--html", html.toString()});
    } finally {
      System.setOut(original);
    }

    assertThat(printed.toString("UTF-8")).contains("checkout received", "reconciling", "wrote " + html);
    assertThat(Files.readString(html)).contains("<svg");
  }
}
