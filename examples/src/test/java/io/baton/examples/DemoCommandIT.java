package io.baton.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.testing.Brokers;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's demo command as a user runs it: {@code Demo} in a JVM of its own, on the class path
 * {@code exec:java} gives it (runtime scope: no test or provided dependencies), not the tests' one.
 */
class DemoCommandIT {

  @TempDir Path dir;

  @Test
  void the_demo_runs_on_its_runtime_class_path_and_prints_the_failed_orders_trail() throws Exception {
    boolean rabbit = Brokers.answers("127.0.0.1", 5672);
    Brokers.require(rabbit || !Brokers.inCi(), "RabbitMQ on 127.0.0.1:5672");
    String runtime = Files.readString(Path.of("target", "demo-runtime-classpath.txt")).trim();
    String classPath = Path.of("target", "classes").toAbsolutePath() + File.pathSeparator + runtime;
    Process demo = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", classPath, Demo.class.getName(), dir.resolve("demo.json").toString())
        .redirectErrorStream(true)
        .start();
    byte[] printed = demo.getInputStream().readAllBytes(); // until the demo exits
    boolean exited = demo.waitFor(3, TimeUnit.MINUTES);
    if (!exited) {
      demo.destroyForcibly();
    }
    String output = new String(printed, StandardCharsets.UTF_8);

    assertThat(exited).as(output).isTrue();
    assertThat(demo.exitValue()).as(output).isZero();
    Matcher reference = Pattern.compile("Ask the user for this ID: (\\S+)").matcher(output);
    assertThat(reference.find()).as(output).isTrue();
    String failed = reference.group(1);
    // the support view: the failed order's lines, its failure lines among them, under its ID
    assertThat(output).contains("charging 99.00 EUR for order C-1003 (attempt 1)",
        "Attempt 2 of 2 failed on", "payment failed for good for order C-1003",
        "audit record moved to the DLQ", "trail-" + failed + ".html");
    assertThat(output).doesNotContain("not every hop finished");
    assertThat(dir.resolve("trail-" + failed + ".html")).exists();
  }
}
