package io.baton.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What PostgreSQL itself shows of the correlation: its log lines ({@code app=%a}), {@code
 * pg_stat_activity}, its prepared statements; through a pool in front and behind the wrapper.
 */
class PostgresVisibilityIT {

  private static final ExecutorService worker = Executors.newSingleThreadExecutor();
  private final JdbcCorrelation jdbc = JdbcCorrelation.create();
  private Postgres.ServerLog serverLog;

  @BeforeAll
  static void server() {
    Postgres.require();
  }

  @AfterAll
  static void stop() {
    worker.shutdownNow();
  }

  @BeforeEach
  void markTheLog() throws SQLException {
    serverLog = Postgres.ServerLog.fromNow();
  }

  private static HikariDataSource pool(DataSource connections, String name) {
    HikariConfig config = new HikariConfig();
    config.setDataSource(connections);
    config.setMaximumPoolSize(1);
    config.setPoolName(name);
    return new HikariDataSource(config);
  }

  private static String query(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
      row.next();
      return row.getString(1);
    }
  }

  @Test
  void the_servers_own_log_line_for_a_statement_carries_the_correlation_id() throws Exception {
    Correlation order = Correlation.newRoot();
    String marker = Postgres.marker();
    try (HikariDataSource pool = pool(Postgres.dataSource(), "log-line")) {
      DataSource payments = jdbc.dataSource(pool);
      try (CorrelationScope scope = Baton.open(order);
          Connection connection = payments.getConnection();
          PreparedStatement select = connection.prepareStatement("select '" + marker + "', ?")) {
        select.setInt(1, 42);
        select.executeQuery().close();
      }
    }

    List<String> lines = serverLog.statementLines(marker);
    assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line).contains(" app=" + order.id() + " "));
  }

  @Test
  void pg_stat_activity_shows_the_id_while_the_statement_runs() throws Exception {
    Correlation order = Correlation.newRoot();
    String marker = Postgres.marker();
    DataSource payments = jdbc.dataSource(Postgres.dataSource());
    java.util.concurrent.Future<?> slow;
    try (CorrelationScope scope = Baton.open(order)) {
      slow = worker.submit(Baton.wrap(() -> {
        try (Connection connection = payments.getConnection()) {
          query(connection, "select pg_sleep(1.5)::text, '" + marker + "'");
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      }));
    }

    String seen = null;
    try (Connection monitor = Postgres.connect();
        PreparedStatement activity = monitor.prepareStatement(
            "select application_name, query from pg_stat_activity where state = 'active' and pid <> pg_backend_pid()")) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (seen == null && System.nanoTime() < deadline) {
        try (ResultSet rows = activity.executeQuery()) {
          while (rows.next()) {
            if (rows.getString(2).contains(marker)) {
              seen = rows.getString(1);
            }
          }
        }
        Thread.sleep(20);
      }
    }
    slow.get(30, TimeUnit.SECONDS);
    assertThat(seen).as("application_name of the session running the slow statement").isEqualTo(order.id());
  }

  @Test
  void pool_in_front_the_next_user_outside_any_correlation_does_not_carry_the_old_id() throws Exception {
    Correlation order = Correlation.newRoot();
    String marker = Postgres.marker();
    try (HikariDataSource pool = pool(Postgres.dataSource(), "in-front")) {
      DataSource payments = jdbc.dataSource(pool);
      int pid;
      try (CorrelationScope scope = Baton.open(order); Connection connection = payments.getConnection()) {
        pid = Integer.parseInt(query(connection, "select pg_backend_pid()::text"));
        assertThat(query(connection, "select current_setting('application_name')")).isEqualTo(order.id());
      }
      try (Connection next = payments.getConnection()) {
        assertThat(Integer.parseInt(query(next, "select pg_backend_pid()::text"))).as("the same session").isEqualTo(pid);
        assertThat(query(next, "select current_setting('application_name')")).isEqualTo(Postgres.APPLICATION);
        query(next, "select '" + marker + "'");
      }
    }
    assertThat(serverLog.statementLines(marker))
        .isNotEmpty()
        .allSatisfy(line -> assertThat(line).contains(" app=" + Postgres.APPLICATION + " ").doesNotContain(order.id()));
  }

  @Test
  void pool_behind_the_next_user_outside_any_correlation_does_not_carry_the_old_id() throws Exception {
    Correlation order = Correlation.newRoot();
    String marker = Postgres.marker();
    try (HikariDataSource pool = pool(jdbc.dataSource(Postgres.dataSource()), "behind")) {
      try (CorrelationScope scope = Baton.open(order); Connection connection = pool.getConnection()) {
        assertThat(query(connection, "select current_setting('application_name')")).isEqualTo(order.id());
      }
      try (Connection next = pool.getConnection()) {
        assertThat(query(next, "select current_setting('application_name')")).isEqualTo(Postgres.APPLICATION);
        query(next, "select '" + marker + "'");
      }
    }
    assertThat(serverLog.statementLines(marker))
        .isNotEmpty()
        .allSatisfy(line -> assertThat(line).contains(" app=" + Postgres.APPLICATION + " "));
  }

  @Test
  void the_session_is_set_once_per_change_of_correlation_not_once_per_statement() throws Exception {
    Correlation first = Correlation.newRoot();
    Correlation second = Correlation.newRoot();
    try (Connection connection = jdbc.connection(Postgres.connect())) {
      try (CorrelationScope scope = Baton.open(first)) {
        for (int i = 0; i < 5; i++) {
          query(connection, "select 1");
        }
      }
      try (CorrelationScope scope = Baton.open(second)) {
        for (int i = 0; i < 5; i++) {
          query(connection, "select 2");
        }
      }
    }
    Thread.sleep(300); // the logging collector writes behind
    List<String> sets = serverLog.linesWith("execute <unnamed>: SET application_name");
    // pgjdbc sends each change as its own statement (parse, bind, execute in one round trip).
    assertThat(sets.stream().filter(line -> line.contains("'" + first.id() + "'"))).hasSize(1);
    assertThat(sets.stream().filter(line -> line.contains("'" + second.id() + "'"))).hasSize(1);
    assertThat(sets.stream().filter(line -> line.contains("'" + Postgres.APPLICATION + "'")))
        .as("given back once, on close").hasSize(1);
  }

  @Test
  void after_a_rollback_undid_the_change_the_next_statement_sets_it_again() throws Exception {
    Correlation order = Correlation.newRoot();
    String marker = Postgres.marker();
    try (Connection connection = jdbc.connection(Postgres.connect());
        CorrelationScope scope = Baton.open(order)) {
      connection.setAutoCommit(false);
      query(connection, "select 1"); // the SET runs inside this transaction...
      connection.rollback();          // ...and PostgreSQL undoes it here
      query(connection, "select '" + marker + "'");
      connection.commit();
    }
    assertThat(serverLog.statementLines(marker))
        .isNotEmpty()
        .allSatisfy(line -> assertThat(line).contains(" app=" + order.id() + " "));
  }

  @Test
  void comments_mode_the_logged_statement_text_carries_the_comment_exactly_once() throws Exception {
    JdbcCorrelation commenting = JdbcCorrelation.newBuilder().statementComments(true).build();
    Correlation order = Correlation.newRoot();
    String plain = Postgres.marker();
    String prepared = Postgres.marker();
    // Wrapped twice, by two instances (a pool in front of a wrapped pool): still one comment.
    DataSource payments = commenting.dataSource(JdbcCorrelation.newBuilder().statementComments(true).build()
        .dataSource(Postgres.dataSource()));
    Correlation child;
    try (CorrelationScope scope = Baton.open(order);
        CorrelationScope spawned = Baton.openChild();
        Connection connection = payments.getConnection()) {
      child = Baton.current().orElseThrow();
      query(connection, "select '" + plain + "'");
      try (PreparedStatement select = connection.prepareStatement("select '" + prepared + "', ?")) {
        select.setInt(1, 1);
        select.executeQuery().close();
      }
    }
    String comment = "/*correlation_id='" + child.id() + "',parent_correlation_id='" + order.id() + "'*/";
    for (String marker : List.of(plain, prepared)) {
      assertThat(serverLog.statementLines(marker)).isNotEmpty().allSatisfy(line -> {
        assertThat(line).contains(comment).contains(" app=" + child.id() + " ");
        assertThat(line.split("/\\*", -1)).as("one comment in %s", line).hasSize(2);
      });
    }
  }

  @Test
  void default_mode_prepared_statements_keep_one_server_side_plan_across_correlations() throws Exception {
    assertThat(serverPreparedWith(jdbc, Postgres.marker())).isEqualTo(1);
  }

  @Test
  void commenting_prepared_statements_makes_one_server_side_statement_per_correlation() throws Exception {
    JdbcCorrelation everything = JdbcCorrelation.newBuilder().statementComments(true).build();
    assertThat(serverPreparedWith(everything, Postgres.marker())).isEqualTo(5);
    JdbcCorrelation plainOnly = JdbcCorrelation.newBuilder().statementComments(true)
        .commentPreparedStatements(false).build();
    assertThat(serverPreparedWith(plainOnly, Postgres.marker())).isEqualTo(1);
  }

  /**
   * Prepares and runs one statement text in 5 correlations on one session (pgjdbc prepares it on
   * the server from the first run), then counts the session's server-side statements holding it.
   */
  private static int serverPreparedWith(JdbcCorrelation jdbc, String marker) throws SQLException {
    PGSimpleDataSource source = Postgres.dataSource();
    source.setPrepareThreshold(1);
    try (Connection connection = jdbc.dataSource(source).getConnection()) {
      for (int i = 0; i < 5; i++) {
        try (CorrelationScope scope = Baton.open(Correlation.newRoot());
            PreparedStatement select = connection.prepareStatement("select '" + marker + "' where 1 = ?")) {
          select.setInt(1, 1);
          select.executeQuery().close();
        }
      }
      List<String> statements = new ArrayList<>();
      try (Statement look = connection.createStatement();
          ResultSet rows = look.executeQuery("select statement from pg_prepared_statements")) {
        while (rows.next()) {
          if (rows.getString(1).contains(marker)) {
            statements.add(rows.getString(1));
          }
        }
      }
      return statements.size();
    }
  }
}
