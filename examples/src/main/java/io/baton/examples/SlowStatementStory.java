package io.baton.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.baton.Baton;
import io.baton.CorrelationScope;
import io.baton.jdbc.JdbcCorrelation;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "The Save button hung": a save request's UPDATE waits for a row lock a repricing job holds,
 * while other requests run their own statements; then support, given only the request's ID,
 * finds the slow statement in PostgreSQL's own log ({@code app=%a} in its line prefix, what
 * {@code .ci/run} configures). {@code BATON_PG_URL}, {@code BATON_PG_USER} and {@code
 * BATON_PG_PASSWORD} point it at another server.
 */
public final class SlowStatementStory {

  private static final Logger api = LoggerFactory.getLogger("api");
  private static final Logger job = LoggerFactory.getLogger("repricing-job");
  private static final Pattern DURATION = Pattern.compile(" duration: ([0-9.]+) ms ");

  /** The ID support was given, PostgreSQL's lines under it, and the slowest of them. */
  public record Result(String id, List<String> lines, String slowest) {}

  private SlowStatementStory() {}

  /** Runs the story against PostgreSQL and prints what support finds. */
  public static void main(String[] args) throws Exception {
    run(System.out);
  }

  /** The driver's own data source for the server, sessions named {@code basket-service}. */
  public static PGSimpleDataSource postgres() {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setUrl(System.getenv().getOrDefault("BATON_PG_URL", "jdbc:postgresql://127.0.0.1:5432/baton"));
    source.setUser(System.getenv().getOrDefault("BATON_PG_USER", "baton"));
    source.setPassword(System.getenv().getOrDefault("BATON_PG_PASSWORD", "baton"));
    source.setApplicationName("basket-service");
    source.setConnectTimeout(2);
    return source;
  }

  /** Plays the story once and prints PostgreSQL's lines for the slow request. */
  public static Result run(PrintStream out) throws Exception {
    PGSimpleDataSource postgres = postgres();
    HikariConfig config = new HikariConfig();
    config.setDataSource(postgres);
    config.setMaximumPoolSize(4);
    config.setPoolName("baskets");
    ExecutorService workers = Baton.wrap(Executors.newFixedThreadPool(4));
    try (HikariDataSource pool = new HikariDataSource(config)) {
      DataSource baskets = JdbcCorrelation.create().dataSource(pool);
      try (Connection connection = baskets.getConnection(); Statement ddl = connection.createStatement()) {
        ddl.execute("create table if not exists baskets (id int primary key, items int, saved_at timestamptz)");
        ddl.execute("insert into baskets values (7, 1, null), (9, 2, null), (42, 3, null) on conflict do nothing");
      }
      ServerLog serverLog = ServerLog.fromNow(postgres);

      CountDownLatch locked = new CountDownLatch(1);
      Future<?> repricing;
      try (CorrelationScope scope = Baton.openNew()) {
        job.info("repricing basket 42");
        repricing = workers.submit(() -> reprice(baskets, locked));
      }
      locked.await(10, TimeUnit.SECONDS);
      Future<?> viewing;
      try (CorrelationScope scope = Baton.openNew()) {
        api.info("GET /basket/7");
        viewing = workers.submit(() -> update(baskets, "select items from baskets where id = 7"));
      }
      String saveId;
      Future<?> saving;
      try (CorrelationScope scope = Baton.openNew()) {
        saveId = Baton.current().orElseThrow().id();
        api.info("POST /basket/42/save");
        saving = workers.submit(() -> {
          update(baskets, "select items from baskets where id = 42");
          update(baskets, "update baskets set saved_at = now() where id = 42");
          api.info("basket 42 saved");
        });
      }
      for (Future<?> done : List.of(repricing, viewing, saving)) {
        done.get(30, TimeUnit.SECONDS);
      }

      out.printf("== The user: \"the Save button hung\". Reference: %s%n", saveId);
      out.printf("== Support searches PostgreSQL's log for app=%s%n", saveId);
      List<String> lines = serverLog.statementLines(" app=" + saveId + " ");
      lines.forEach(line -> out.println("   " + line));
      String slowest = lines.stream().max(Comparator.comparingDouble(SlowStatementStory::millis)).orElse(null);
      out.printf("== The slow statement:%n   %s%n", slowest);
      return new Result(saveId, lines, slowest);
    } finally {
      workers.shutdownNow();
    }
  }

  /** Holds basket 42's row lock for 1.5 s: what the save request ends up waiting for. */
  private static Void reprice(DataSource baskets, CountDownLatch locked) throws Exception {
    try (Connection connection = baskets.getConnection()) {
      connection.setAutoCommit(false);
      update(connection, "select items from baskets where id = 42 for update");
      locked.countDown();
      Thread.sleep(1500);
      update(connection, "update baskets set items = items where id = 42");
      connection.commit();
    }
    return null;
  }

  private static void update(DataSource baskets, String sql) {
    try (Connection connection = baskets.getConnection()) {
      update(connection, sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void update(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  static double millis(String line) {
    Matcher duration = DURATION.matcher(line);
    return duration.find() ? Double.parseDouble(duration.group(1)) : 0;
  }

  /**
   * PostgreSQL's log from now on, read through SQL ({@code pg_current_logfile}, {@code
   * pg_read_file}: the role needs EXECUTE on them, which .ci/run grants).
   */
  private static final class ServerLog {
    private final DataSource postgres;
    private final String file;
    private final long start;

    private ServerLog(DataSource postgres, String file, long start) {
      this.postgres = postgres;
      this.file = file;
      this.start = start;
    }

    static ServerLog fromNow(DataSource postgres) throws SQLException {
      try (Connection connection = postgres.getConnection();
          ResultSet row = connection.createStatement().executeQuery(
              "select f, (pg_stat_file(f)).size from pg_current_logfile() f")) {
        row.next();
        if (row.getString(1) == null) {
          throw new IllegalStateException("PostgreSQL's logging collector is off (see .ci/run)");
        }
        return new ServerLog(postgres, row.getString(1), row.getLong(2));
      }
    }

    /** Statement lines ("duration: ...") holding {@code text}, other than the session's SETs. */
    List<String> statementLines(String text) throws Exception {
      Thread.sleep(500); // the logging collector writes behind
      try (Connection connection = postgres.getConnection();
          PreparedStatement read = connection.prepareStatement(
              "select pg_read_file(?, ?, (pg_stat_file(?)).size - ?)")) {
        read.setString(1, file);
        read.setLong(2, start);
        read.setString(3, file);
        read.setLong(4, start);
        try (ResultSet log = read.executeQuery()) {
          log.next();
          return Arrays.stream(log.getString(1).split("\n"))
              .filter(line -> line.contains(text) && line.contains(" LOG:  duration: "))
              .filter(line -> !line.contains("SET application_name"))
              .collect(Collectors.toList());
        }
      }
    }
  }
}
