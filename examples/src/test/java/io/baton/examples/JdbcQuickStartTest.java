package io.baton.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import io.baton.testing.LogCapture;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's database snippets, on H2 in memory (PostgreSQL mode takes ApplicationName). */
class JdbcQuickStartTest {

  @RegisterExtension final LogCapture logs = new LogCapture();

  private final String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DB_CLOSE_DELAY=-1";

  private JdbcDataSource h2() {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL(url);
    return h2;
  }

  private static void createTable(DataSource source) throws SQLException {
    try (Connection connection = source.getConnection(); Statement ddl = connection.createStatement()) {
      ddl.execute("create table if not exists payments (order_id varchar(32), amount decimal(10, 2))");
    }
  }

  /** Records a payment in a correlation, then asks the one pooled session what it carried. */
  private void recordsUnderTheId(DataSource payments, HikariDataSource pool) throws Exception {
    createTable(payments);
    Correlation order = Correlation.newRoot();
    try (CorrelationScope scope = Baton.open(order)) {
      JdbcQuickStart.recordPayment(payments, "A-1001", new BigDecimal("25.00"));
      try (Connection connection = pool.getConnection()) {
        assertThat(connection.getClientInfo("ApplicationName")).isEqualTo(order.id());
      }
    }
    assertThat(logs.withMessage("recording payment for A-1001").get(0).correlationId()).isEqualTo(order.id());
  }

  @Test
  void pool_in_front_sessions_carry_the_handlers_id() throws Exception {
    HikariConfig config = new HikariConfig();
    config.setDataSource(h2());
    config.setMaximumPoolSize(1);
    try (HikariDataSource hikari = new HikariDataSource(config)) {
      DataSource payments = JdbcQuickStart.poolInFront(hikari);
      createTable(payments);
      Correlation order = Correlation.newRoot();
      try (CorrelationScope scope = Baton.open(order)) {
        JdbcQuickStart.recordPayment(payments, "A-1001", new BigDecimal("25.00"));
      }
      assertThat(logs.withMessage("recording payment for A-1001").get(0).correlationId()).isEqualTo(order.id());
      try (Connection connection = hikari.getConnection()) {
        assertThat(connection.getClientInfo("ApplicationName")).as("given back on close").isNotEqualTo(order.id());
      }
    }
  }

  @Test
  void pool_behind_sessions_carry_the_handlers_id() throws Exception {
    try (HikariDataSource pool = JdbcQuickStart.poolBehind(h2())) {
      recordsUnderTheId(pool, pool);
    }
  }

  @Test
  void plain_and_commenting_connections_run_the_same_handler() throws Exception {
    try (Connection connection = JdbcQuickStart.plain(url)) {
      assertThat(connection.isValid(1)).isTrue();
    }
    HikariConfig config = new HikariConfig();
    config.setDataSource(JdbcQuickStart.commenting().dataSource(h2()));
    config.setMaximumPoolSize(1);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      recordsUnderTheId(pool, pool);
    }
  }
}
