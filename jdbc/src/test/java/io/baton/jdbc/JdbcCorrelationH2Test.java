package io.baton.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationPropagator;
import io.baton.CorrelationScope;
import io.baton.testing.CorrelationCorpus;
import io.baton.testing.LogCapture;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbc.JdbcConnection;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.MDC;

/**
 * The wrapper on a real driver (H2 in memory, PostgreSQL mode, whose client info takes {@code
 * ApplicationName}): what the session carries, when, and what the wrappers hand back.
 */
class JdbcCorrelationH2Test {

  @RegisterExtension final LogCapture logs = new LogCapture();

  private final String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DB_CLOSE_DELAY=-1";
  private final JdbcCorrelation jdbc = JdbcCorrelation.create();

  private JdbcDataSource h2() {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL(url);
    return h2;
  }

  /** What the driver's session holds, asked of the driver's own connection. */
  private static String carried(Connection connection) throws SQLException {
    return connection.unwrap(JdbcConnection.class).getClientInfo("ApplicationName");
  }

  private static void run(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  @Test
  void the_session_carries_the_current_id_from_the_first_statement_inside_the_correlation() throws Exception {
    Correlation order = Correlation.newRoot();
    try (Connection connection = jdbc.dataSource(h2()).getConnection()) {
      connection.setClientInfo("ApplicationName", "checkout");
      try (CorrelationScope scope = Baton.open(order)) {
        assertThat(carried(connection)).as("before any statement").isEqualTo("checkout");
        try (PreparedStatement select = connection.prepareStatement("select 1")) {
          select.executeQuery().close();
        }
        assertThat(carried(connection)).isEqualTo(order.id());
      }
      run(connection, "select 2");
      assertThat(carried(connection)).as("outside any correlation").isEqualTo("checkout");
    }
  }

  @Test
  void a_connection_held_across_correlations_carries_each_statements_own() throws Exception {
    Correlation first = Correlation.newRoot();
    Correlation second = first.newChild();
    try (Connection connection = jdbc.connection(DriverManager.getConnection(url))) {
      try (CorrelationScope scope = Baton.open(first)) {
        run(connection, "select 1");
        assertThat(carried(connection)).isEqualTo(first.id());
      }
      try (CorrelationScope scope = Baton.open(second)) {
        assertThat(carried(connection)).as("not yet: no statement ran").isEqualTo(first.id());
        try (CallableStatement call = connection.prepareCall("select 2")) {
          call.execute();
        }
        assertThat(carried(connection)).isEqualTo(second.id());
      }
    }
  }

  @Test
  void closing_gives_a_pooled_connection_back_with_its_own_value_so_the_next_user_carries_no_old_id()
      throws Exception {
    HikariConfig config = new HikariConfig();
    config.setDataSource(h2());
    config.setMaximumPoolSize(1);
    config.setPoolName("pool-in-front");
    try (HikariDataSource pool = new HikariDataSource(config)) {
      DataSource payments = jdbc.dataSource(pool);
      Connection physical;
      String own;
      try (Connection connection = payments.getConnection()) {
        physical = connection.unwrap(JdbcConnection.class);
        connection.setClientInfo("ApplicationName", "checkout");
        own = "checkout";
        try (CorrelationScope scope = Baton.open(Correlation.newRoot())) {
          run(connection, "select 1");
        }
        try (CorrelationScope scope = Baton.open(Correlation.newRoot())) {
          run(connection, "select 1");
          assertThat(carried(connection)).isEqualTo(Baton.current().orElseThrow().id());
        }
      }
      assertThat(physical.getClientInfo("ApplicationName")).as("back in the pool").isEqualTo(own);

      try (Connection next = payments.getConnection()) {
        assertThat(next.unwrap(JdbcConnection.class)).as("the one connection of the pool").isSameAs(physical);
        run(next, "select 1");
        assertThat(carried(next)).isEqualTo(own);
      }
    }
  }

  @Test
  void behind_a_pool_the_next_statement_outside_any_correlation_carries_no_old_id() throws Exception {
    HikariConfig config = new HikariConfig();
    config.setDataSource(jdbc.dataSource(h2()));
    config.setMaximumPoolSize(1);
    config.setPoolName("pool-behind");
    try (HikariDataSource pool = new HikariDataSource(config)) {
      Correlation order = Correlation.newRoot();
      String own;
      try (Connection connection = pool.getConnection()) {
        connection.setClientInfo("ApplicationName", "checkout");
        own = "checkout";
        try (CorrelationScope scope = Baton.open(order);
            PreparedStatement select = connection.prepareStatement("select 1")) {
          select.executeQuery().close();
          assertThat(carried(connection)).isEqualTo(order.id());
        }
      }
      try (Connection next = pool.getConnection()) {
        run(next, "select 1");
        assertThat(carried(next)).isEqualTo(own);
      }
    }
  }

  @Test
  void statements_answer_the_wrapped_connection_and_unwrap_sees_through_every_wrapper() throws Exception {
    DataSource h2 = h2();
    DataSource wrapped = jdbc.dataSource(h2);
    assertThat(jdbc.dataSource(wrapped)).isSameAs(wrapped);
    assertThat(wrapped.unwrap(JdbcDataSource.class)).isSameAs(h2);
    assertThat(wrapped.isWrapperFor(JdbcDataSource.class)).isTrue();
    assertThat(wrapped.isWrapperFor(HikariDataSource.class)).isFalse();
    try (Connection connection = wrapped.getConnection();
        Statement statement = connection.createStatement();
        PreparedStatement prepared = connection.prepareStatement("select 1");
        CallableStatement call = connection.prepareCall("select 1")) {
      assertThat(jdbc.connection(connection)).isSameAs(connection);
      assertThat(statement.getConnection()).isSameAs(connection);
      assertThat(prepared.getConnection()).isSameAs(connection);
      assertThat(call.getConnection()).isSameAs(connection);
      assertThat(connection.unwrap(JdbcConnection.class)).isInstanceOf(JdbcConnection.class);
      assertThat(connection.isWrapperFor(JdbcConnection.class)).isTrue();
      assertThat(prepared.unwrap(org.h2.jdbc.JdbcPreparedStatement.class)).isNotNull();
      assertThat(statement.isWrapperFor(org.h2.jdbc.JdbcStatement.class)).isTrue();
      assertThatThrownBy(() -> statement.unwrap(HikariDataSource.class)).isInstanceOf(SQLException.class);
    }
    assertThatThrownBy(wrapped::createConnectionBuilder).as("H2's own answer")
        .isInstanceOf(java.sql.SQLFeatureNotSupportedException.class);
  }

  @Test
  void null_arguments_fail_fast() {
    assertThatThrownBy(() -> jdbc.dataSource(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("dataSource");
    assertThatThrownBy(() -> jdbc.connection(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("connection");
    assertThatThrownBy(() -> JdbcCorrelation.newBuilder().clientInfoKey(null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> JdbcCorrelation.newBuilder().maxSessionValueLength(15))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void with_comments_on_each_statement_runs_commented_once_and_h2_accepts_it() throws Exception {
    JdbcCorrelation commenting = JdbcCorrelation.newBuilder().statementComments(true).build();
    Correlation order = Correlation.newRoot();
    DataSource twice = commenting.dataSource(JdbcCorrelation.newBuilder().statementComments(true).build()
        .dataSource(h2()));
    try (Connection connection = twice.getConnection();
        CorrelationScope scope = Baton.open(order);
        Statement statement = connection.createStatement()) {
      statement.execute("create table payments (id varchar(64))");
      try (PreparedStatement insert = connection.prepareStatement("insert into payments values (?)")) {
        insert.setString(1, order.id());
        assertThat(insert.executeUpdate()).isEqualTo(1);
      }
      try (ResultSet rows = statement.executeQuery("select id from payments;")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString(1)).isEqualTo(order.id());
      }
      assertThat(connection.nativeSQL("select 1")).as("nativeSQL is the driver's").isEqualTo("select 1");
    }
  }

  @Test
  void an_id_longer_than_the_session_may_hold_is_not_written_there_and_is_warned_about_once() throws Exception {
    Correlation longest = Correlation.of("a".repeat(64), null);
    try (Connection connection = jdbc.connection(DriverManager.getConnection(url))) {
      connection.setClientInfo("ApplicationName", "checkout");
      String own = carried(connection);
      try (CorrelationScope scope = Baton.open(longest)) {
        run(connection, "select 1");
        run(connection, "select 2");
      }
      assertThat(carried(connection)).isEqualTo(own);
    }
    assertThat(logs.withMessage("longer than the session's ApplicationName may hold")).hasSize(1);
  }

  @Test
  void a_key_the_driver_refuses_turns_the_session_tag_off_with_one_warning_and_statements_still_run()
      throws Exception {
    // H2 in its regular mode takes no client info at all.
    JdbcCorrelation refused = JdbcCorrelation.newBuilder().clientInfoKey("NoSuchKey").build();
    String regular = "jdbc:h2:mem:" + UUID.randomUUID();
    try (Connection connection = refused.connection(DriverManager.getConnection(regular))) {
      for (int i = 0; i < 3; i++) {
        try (CorrelationScope scope = Baton.open(Correlation.newRoot());
            Statement statement = connection.createStatement();
            ResultSet one = statement.executeQuery("select 1")) {
          assertThat(one.next()).isTrue();
        }
      }
    }
    assertThat(logs.withMessage("refused client info NoSuchKey")).hasSize(1);
  }

  @Test
  void hostile_inbound_values_never_reach_the_session_only_the_id_baton_handled_them_under() throws Exception {
    CorrelationPropagator propagator = CorrelationPropagator.create();
    try (Connection connection = jdbc.connection(DriverManager.getConnection(url))) {
      for (CorrelationCorpus.Entry entry : CorrelationCorpus.entries()) {
        Map<String, Object> headers = Map.of("correlation_id", entry.rawBytes() ? entry.bytes() : entry.text());
        try (CorrelationScope scope = propagator.open(headers, Map::get)) {
          run(connection, "select 1");
          String carried = carried(connection);
          String handledUnder = MDC.get("correlation_id");
          if (handledUnder.length() <= 63) {
            assertThat(carried).as(entry.name()).isEqualTo(handledUnder);
          } else {
            assertThat(carried).as(entry.name() + ": too long for the session").isEmpty();
          }
          if (!entry.valid()) {
            assertThat(carried).as(entry.name()).isNotEqualTo(entry.text());
          }
        }
      }
    }
  }
}
