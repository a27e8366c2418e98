package io.baton.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import io.baton.jdbc.JdbcCorrelation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What {@code baton-jdbc} adds to one statement: a prepared {@code select} by primary key,
 * executed and read, inside a correlation, through HikariCP with and without the wrapper.
 *
 * <ul>
 *   <li>{@code statement}: on a connection held for the whole run (only the statement's cost);
 *   <li>{@code checkoutAndStatement}: a pool in front of the wrapper, a connection taken and
 *       closed per statement (the session is set, then given back on close);
 *   <li>{@code checkoutAndStatementPoolBehind}: the wrapper behind the pool (no give-back).
 * </ul>
 *
 * {@code wrapper}: {@code raw} (no Baton), {@code session} (the default: client info), {@code
 * comments} (client info and a comment on every statement, prepared ones too). {@code
 * idPerOp}: a new correlation for every statement (the session changes each time) or one for
 * the whole run. {@code database}: H2 in memory (PostgreSQL mode), or {@code postgresql} at
 * {@code BATON_PG_URL} (default 127.0.0.1:5432/baton, user and password baton), where a change of
 * session is a {@code SET application_name} round trip.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 8, time = 2) // H2 and HikariCP are still getting faster after 10 s
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class JdbcBenchmark {

  private static final String SELECT = "select name from items where id = ?";

  @Param({"raw", "session", "comments"})
  public String wrapper;

  @Param({"false", "true"})
  public boolean idPerOp;

  @Param({"h2"})
  public String database;

  private HikariDataSource front;
  private HikariDataSource behind;
  private DataSource inFront;
  private Connection held;
  private Correlation fixed;

  @Setup(Level.Trial)
  public void setUp() throws SQLException {
    JdbcCorrelation jdbc = wrapper.equals("comments")
        ? JdbcCorrelation.newBuilder().statementComments(true).build()
        : JdbcCorrelation.create();
    boolean raw = wrapper.equals("raw");
    DataSource driver = driver();
    front = pool(driver, "front");
    behind = pool(raw ? driver : jdbc.dataSource(driver), "behind");
    inFront = raw ? front : jdbc.dataSource(front);
    try (Connection connection = front.getConnection(); Statement ddl = connection.createStatement()) {
      ddl.execute("create table if not exists items (id int primary key, name varchar(32))");
      ddl.execute("delete from items");
      ddl.execute("insert into items values (1, 'basket')");
    }
    held = raw ? front.getConnection() : jdbc.connection(front.getConnection());
    fixed = Correlation.newRoot();
    check(raw);
  }

  private DataSource driver() {
    if (database.equals("postgresql")) {
      PGSimpleDataSource postgres = new PGSimpleDataSource();
      postgres.setUrl(System.getenv().getOrDefault("BATON_PG_URL", "jdbc:postgresql://127.0.0.1:5432/baton"));
      postgres.setUser(System.getenv().getOrDefault("BATON_PG_USER", "baton"));
      postgres.setPassword(System.getenv().getOrDefault("BATON_PG_PASSWORD", "baton"));
      postgres.setApplicationName("baton-benchmark");
      return postgres;
    }
    org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
    h2.setURL("jdbc:h2:mem:bench-" + UUID.randomUUID() + ";MODE=PostgreSQL;DB_CLOSE_DELAY=-1");
    return h2;
  }

  private static HikariDataSource pool(DataSource connections, String name) {
    HikariConfig config = new HikariConfig();
    config.setDataSource(connections);
    config.setMaximumPoolSize(2); // one held for the whole run, one taken per statement
    config.setPoolName(name);
    return new HikariDataSource(config);
  }

  /** Once: a wrapped session carries the ID after a statement, a raw one does not. */
  private void check(boolean raw) throws SQLException {
    Correlation probe = Correlation.newRoot();
    try (CorrelationScope scope = Baton.open(probe)) {
      run(held);
      String carried = held.getClientInfo("ApplicationName");
      if (raw == probe.id().equals(carried)) {
        throw new IllegalStateException(wrapper + ": the session carries " + carried);
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws SQLException {
    held.close();
    front.close();
    behind.close();
  }

  private Correlation correlation() {
    return idPerOp ? Correlation.newRoot() : fixed;
  }

  private static int run(Connection connection) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(SELECT)) {
      select.setInt(1, 1);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getString(1).length();
      }
    }
  }

  @Benchmark
  public int statement() throws SQLException {
    try (CorrelationScope scope = Baton.open(correlation())) {
      return run(held);
    }
  }

  @Benchmark
  public int checkoutAndStatement() throws SQLException {
    try (CorrelationScope scope = Baton.open(correlation()); Connection connection = inFront.getConnection()) {
      return run(connection);
    }
  }

  @Benchmark
  public int checkoutAndStatementPoolBehind() throws SQLException {
    try (CorrelationScope scope = Baton.open(correlation()); Connection connection = behind.getConnection()) {
      return run(connection);
    }
  }
}
