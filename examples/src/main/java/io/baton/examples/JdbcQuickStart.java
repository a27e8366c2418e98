package io.baton.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.baton.jdbc.JdbcCorrelation;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The README's database section: the ways to wrap, and a worker writing through the wrapper. */
public final class JdbcQuickStart {

  private static final Logger log = LoggerFactory.getLogger("payment-worker");

  private JdbcQuickStart() {}

  /** A pool in front: wrap the pool's data source; closing a connection gives it back clean. */
  public static DataSource poolInFront(HikariDataSource hikari) {
    DataSource payments = JdbcCorrelation.create().dataSource(hikari);
    return payments;
  }

  /** A pool behind: the pool takes the wrapped driver data source. */
  public static HikariDataSource poolBehind(DataSource driverDataSource) {
    HikariConfig config = new HikariConfig();
    config.setDataSource(JdbcCorrelation.create().dataSource(driverDataSource));
    return new HikariDataSource(config);
  }

  /** No pool: a DriverManager connection. */
  public static Connection plain(String url) throws SQLException {
    return JdbcCorrelation.create().connection(DriverManager.getConnection(url));
  }

  /** Statement comments too, on plain Statements only (prepared statements keep one text). */
  public static JdbcCorrelation commenting() {
    return JdbcCorrelation.newBuilder()
        .statementComments(true)           // /*correlation_id='...'*/ on each statement
        .commentPreparedStatements(false)  // but not on prepared ones
        .build();
  }

  /** A worker's handler, inside the message's correlation (a Baton listener or handler). */
  public static void recordPayment(DataSource payments, String order, BigDecimal amount) throws SQLException {
    log.info("recording payment for {}", order);          // MDC: correlation_id
    try (Connection connection = payments.getConnection();
        PreparedStatement insert = connection.prepareStatement(
            "insert into payments (order_id, amount) values (?, ?)")) {
      insert.setString(1, order);
      insert.setBigDecimal(2, amount);
      insert.executeUpdate();                             // application_name: the same ID
    }
  }
}
