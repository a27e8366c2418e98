package io.baton.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code rabbitmqctl} against the local server (the CI machine runs as root). */
public final class RabbitCtl {

  private RabbitCtl() {}

  /** Runs {@code rabbitmqctl ARGS}; fails the test unless it exits 0 within a minute. */
  public static void run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("rabbitmqctl");
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    boolean finished = process.waitFor(60, TimeUnit.SECONDS);
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(finished).as("rabbitmqctl finished").isTrue();
    assertThat(process.exitValue()).as("rabbitmqctl %s: %s", command, output).isZero();
  }
}
