package io.baton.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The Jakarta Servlet API is optional: a JDK-server-only user never needs it on the class path. */
class WithoutServletApiTest {

  @Test
  void jdk_server_and_client_work_without_the_servlet_api_on_the_class_path() throws Exception {
    String classPath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !Path.of(entry).getFileName().toString().startsWith("jakarta.servlet-api"))
        .collect(Collectors.joining(File.pathSeparator));
    assertThat(classPath).isNotEqualTo(System.getProperty("java.class.path"));
    Process app = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", classPath, WithoutServletApiApp.class.getName())
        .redirectErrorStream(true)
        .start();
    boolean exited = app.waitFor(60, TimeUnit.SECONDS);
    String output = new String(app.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!exited) {
      app.destroyForcibly();
    }

    assertThat(exited).as(output).isTrue();
    assertThat(app.exitValue()).as(output).isZero();
    List<String> lines = output.lines().collect(Collectors.toList());
    assertThat(lines).as(output).anyMatch(line -> line.matches("OK [0-9a-f-]{36}"));
  }
}
