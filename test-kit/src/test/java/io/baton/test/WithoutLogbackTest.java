package io.baton.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.baton.Baton;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.Events;

/**
 * Logback is optional: with another SLF4J backend (here none) the kit's leak check works and
 * {@code logs()} says what it needs. Run in a JVM whose class path has no Logback.
 */
class WithoutLogbackTest {

  /** Not run by the build on its own (nested); run by {@link #main} through JUnit's engine. */
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class UserTests {
    @RegisterExtension final BatonTest baton = BatonTest.create();

    @Test
    @Order(1)
    void asks_for_the_logs() {
      IllegalStateException refused = assertThrows(IllegalStateException.class, baton::logs);
      assertThat(refused).hasMessageContaining("logback-classic");
    }

    @Test
    @Order(2)
    void leaves_a_scope_open() {
      Baton.openNew();
    }
  }

  /** In the JVM without Logback: runs {@link UserTests} and prints what JUnit reported. */
  public static void main(String[] args) throws Exception {
    try {
      Class.forName("ch.qos.logback.classic.LoggerContext");
      throw new AssertionError("Logback is on the class path; the test proves nothing");
    } catch (ClassNotFoundException expected) {
      // as for a user on Log4j2 or slf4j-simple
    }
    Events events = Fixtures.run(UserTests.class);
    System.out.println("succeeded " + events.succeeded().count());
    for (String failure : Fixtures.failures(events)) {
      System.out.println("failed " + failure.replace('\n', ' '));
    }
  }

  @Test
  void leak_check_works_and_logs_explain_themselves_without_logback_on_the_class_path() throws Exception {
    String classPath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !Path.of(entry).getFileName().toString().startsWith("logback-"))
        .collect(Collectors.joining(File.pathSeparator));
    assertThat(classPath).isNotEqualTo(System.getProperty("java.class.path"));
    Process app = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", classPath, WithoutLogbackTest.class.getName())
        .redirectErrorStream(true)
        .start();
    byte[] printed = app.getInputStream().readAllBytes();
    boolean exited = app.waitFor(60, TimeUnit.SECONDS);
    String output = new String(printed, StandardCharsets.UTF_8);

    assertThat(exited).as(output).isTrue();
    assertThat(app.exitValue()).as(output).isZero();
    List<String> lines = output.lines().collect(Collectors.toList());
    assertThat(lines).as(output).contains("succeeded 1");
    assertThat(lines).as(output).filteredOn(line -> line.startsWith("failed "))
        .singleElement().asString().startsWith("failed leaves_a_scope_open()");
  }
}
