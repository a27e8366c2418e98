package io.baton.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.testing.Brokers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** The README's slow-statement command: support finds the slow UPDATE by the request's ID alone. */
class SlowStatementStoryIT {

  @Test
  void the_slow_statement_is_found_in_postgresqls_log_by_the_id_support_was_given() throws Exception {
    boolean up;
    try (Connection connection = SlowStatementStory.postgres().getConnection()) {
      up = connection.isValid(2);
    } catch (SQLException e) {
      up = false;
    }
    Brokers.require(up, "PostgreSQL (BATON_PG_URL, default 127.0.0.1:5432/baton)");

    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    SlowStatementStory.Result result = SlowStatementStory.run(new PrintStream(printed, true, StandardCharsets.UTF_8));

    assertThat(result.lines()).isNotEmpty().allSatisfy(line -> assertThat(line).contains(" app=" + result.id() + " "));
    assertThat(result.slowest()).contains("update baskets set saved_at = now() where id = 42");
    assertThat(SlowStatementStory.millis(result.slowest())).as("waited for the repricing job's lock").isGreaterThan(1000);
    assertThat(result.lines()).noneMatch(line -> line.contains("for update")).as("the job's lines are under its own ID");
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("== The slow statement:\n   " + result.slowest());
  }
}
