package io.baton.jdbc;

import io.baton.testing.Brokers;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL server the tests run against (Debian's {@code postgresql}; .ci/run installs,
 * configures and starts it: every statement logged, {@code app=%a} in each line's prefix, the
 * logging collector on, role and database {@code baton}). {@code BATON_PG_URL}, {@code
 * BATON_PG_USER} and {@code BATON_PG_PASSWORD} point the tests at another one. Missing, it skips
 * the tests locally and fails them with CI=true.
 */
final class Postgres {

  static final String URL =
      System.getenv().getOrDefault("BATON_PG_URL", "jdbc:postgresql://127.0.0.1:5432/baton");
  static final String USER = System.getenv().getOrDefault("BATON_PG_USER", "baton");
  static final String PASSWORD = System.getenv().getOrDefault("BATON_PG_PASSWORD", "baton");
  /** What the tests' sessions call themselves outside any correlation. */
  static final String APPLICATION = "baton-it";

  private Postgres() {}

  static void require() {
    boolean up;
    try (Connection connection = connect()) {
      up = connection.isValid(2);
    } catch (SQLException e) {
      up = false;
    }
    Brokers.require(up, "PostgreSQL at " + URL + " (user " + USER + ")");
  }

  /** A plain driver data source, sessions named {@link #APPLICATION}. */
  static PGSimpleDataSource dataSource() {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setUrl(URL);
    source.setUser(USER);
    source.setPassword(PASSWORD);
    source.setApplicationName(APPLICATION);
    source.setConnectTimeout(2);
    return source;
  }

  /** An unwrapped connection, for the tests' own look at the server. */
  static Connection connect() throws SQLException {
    return dataSource().getConnection();
  }

  /** A unique text to put in a statement and look for in the server's log. */
  static String marker() {
    return "baton-marker-" + UUID.randomUUID();
  }

  /**
   * The server's own log from now on, read through SQL ({@code pg_current_logfile}, {@code
   * pg_read_file}), so the test needs no access to the server's files.
   */
  static final class ServerLog {
    private final String file;
    private final long start;

    private ServerLog(String file, long start) {
      this.file = file;
      this.start = start;
    }

    static ServerLog fromNow() throws SQLException {
      try (Connection connection = connect();
          ResultSet row = connection.createStatement().executeQuery(
              "select f, (pg_stat_file(f)).size from pg_current_logfile() f")) {
        row.next();
        String file = row.getString(1);
        if (file == null) {
          throw new IllegalStateException("PostgreSQL's logging collector is off (.ci/run turns it on)");
        }
        return new ServerLog(file, row.getLong(2));
      }
    }

    /** Every line written since {@link #fromNow()}. */
    List<String> lines() throws SQLException {
      try (Connection connection = connect();
          PreparedStatement read = connection.prepareStatement(
              "select pg_read_file(?, ?, (pg_stat_file(?)).size - ?)")) {
        read.setString(1, file);
        read.setLong(2, start);
        read.setString(3, file);
        read.setLong(4, start);
        try (ResultSet text = read.executeQuery()) {
          text.next();
          return Arrays.asList(text.getString(1).split("\n"));
        }
      }
    }

    /**
     * The server's lines about statements whose text holds {@code marker} (its "duration: ...
     * statement:" / "parse", "bind", "execute" lines, not the DETAIL lines of parameters), waiting
     * up to 10 s for the logging collector to write at least one.
     */
    List<String> statementLines(String marker) throws Exception {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (true) {
        List<String> found = lines().stream()
            .filter(line -> line.contains(marker) && line.contains(" LOG:  duration: "))
            .collect(Collectors.toList());
        if (!found.isEmpty() || System.nanoTime() > deadline) {
          return found;
        }
        Thread.sleep(100);
      }
    }

    /** The lines that hold {@code text}, as written so far. */
    List<String> linesWith(String text) throws SQLException {
      List<String> found = new ArrayList<>();
      for (String line : lines()) {
        if (line.contains(text)) {
          found.add(line);
        }
      }
      return found;
    }
  }
}
