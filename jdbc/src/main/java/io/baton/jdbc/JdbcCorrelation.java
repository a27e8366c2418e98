package io.baton.jdbc;

import java.sql.Connection;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current correlation made visible to the database: wrap the {@link DataSource} (or the
 * {@link Connection}) you already have.
 *
 * <pre>{@code
 * DataSource payments = JdbcCorrelation.create().dataSource(hikari);
 * try (CorrelationScope scope = Baton.open(correlation);
 *     Connection connection = payments.getConnection();
 *     PreparedStatement insert = connection.prepareStatement("insert into payments values (?, ?)")) {
 *   insert.setString(1, order);
 *   insert.setBigDecimal(2, amount);
 *   insert.executeUpdate();  // pg_stat_activity and the server log: application_name = the ID
 * }
 * }</pre>
 *
 * <p><b>Session metadata</b> (on by default): before a statement runs, the session's client info
 * {@code ApplicationName} (or the {@linkplain Builder#clientInfoKey key} you choose) is set to the
 * current correlation ID, only when that differs from what the session already carries; outside
 * any correlation the session carries its own value again, and a connection that is closed (given
 * back to the pool in front) gets that value back first. Statement texts do not change, so
 * statement caches and server-side plans are untouched. PostgreSQL's pgjdbc sends it as {@code SET
 * application_name}, one round trip per change of correlation on a connection; PostgreSQL shows
 * it in {@code pg_stat_activity.application_name} and in the log ({@code %a} in {@code
 * log_line_prefix}).
 *
 * <p><b>Statement comments</b> (off by default, {@link Builder#statementComments}): the SQL gets a
 * <a href="https://google.github.io/sqlcommenter/spec/">sqlcommenter</a> comment
 * <code>/*correlation_id='...',parent_correlation_id='...'*&#47;</code>. Every correlation then has its own
 * statement text, which defeats statement caches and shared plans; see the README.
 *
 * <p>Only an ID that is valid ({@code [A-Za-z0-9_-]}, 16-64 characters) is ever written, so it
 * needs no quoting in either place.
 */
public final class JdbcCorrelation {

  private static final Logger log = LoggerFactory.getLogger("io.baton.jdbc");

  /** PostgreSQL's NAMEDATALEN - 1: the longest {@code application_name} it keeps whole. */
  static final int DEFAULT_MAX_SESSION_VALUE_LENGTH = 63;

  private final boolean sessionMetadata;
  private final String clientInfoKey;
  private final int maxSessionValueLength;
  private final boolean statementComments;
  private final boolean commentPreparedStatements;
  private volatile boolean warnedTooLong;
  private volatile boolean warnedUnsupported;

  private JdbcCorrelation(Builder builder) {
    this.sessionMetadata = builder.sessionMetadata;
    this.clientInfoKey = builder.clientInfoKey;
    this.maxSessionValueLength = builder.maxSessionValueLength;
    this.statementComments = builder.statementComments;
    this.commentPreparedStatements = builder.commentPreparedStatements;
  }

  /**
   * Session metadata on (client info {@code ApplicationName}), statement comments off.
   *
   * @return an instance with the defaults
   */
  public static JdbcCorrelation create() {
    return new Builder().build();
  }

  /**
   * A builder, to choose the client-info key or turn statement comments on.
   *
   * @return a new builder
   */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * A data source whose connections make the current correlation visible to the database. Works
   * in front of a pool (wrap the pool's data source: closing a connection gives it back with its
   * own session value) and behind one (give the wrapped driver data source to the pool, e.g.
   * HikariCP's {@code setDataSource}). Delegates every other method, {@code unwrap} and {@code
   * isWrapperFor} included. Wrapping twice returns the same wrapper.
   *
   * @param dataSource the data source to take connections from
   * @return the correlating data source, or {@code dataSource} itself when it is already one
   */
  public DataSource dataSource(DataSource dataSource) {
    Objects.requireNonNull(dataSource, "dataSource");
    if (dataSource instanceof CorrelatingDataSource) {
      return dataSource;
    }
    return new CorrelatingDataSource(dataSource, this);
  }

  /**
   * A connection (from {@code DriverManager}, or one you already hold) that makes the current
   * correlation visible to the database, as {@link #dataSource(DataSource)}'s connections do.
   * Its {@code close()} puts back the session's own value, then closes {@code connection}.
   * Wrapping twice returns the same wrapper.
   *
   * @param connection the connection to run statements on
   * @return the correlating connection, or {@code connection} itself when it is already one
   */
  public Connection connection(Connection connection) {
    Objects.requireNonNull(connection, "connection");
    if (connection instanceof CorrelatingConnection) {
      return connection;
    }
    return new CorrelatingConnection(connection, this);
  }

  boolean sessionMetadata() {
    return sessionMetadata;
  }

  String clientInfoKey() {
    return clientInfoKey;
  }

  int maxSessionValueLength() {
    return maxSessionValueLength;
  }

  boolean statementComments() {
    return statementComments;
  }

  boolean commentPreparedStatements() {
    return statementComments && commentPreparedStatements;
  }

  /** Once per instance: an ID longer than the session value may be is not written there. */
  void warnTooLong(int length) {
    if (!warnedTooLong) {
      warnedTooLong = true;
      log.warn("A correlation ID of {} characters is longer than the session's {} may hold ({});"
              + " such IDs are not written there (statement comments carry them whole)",
          length, clientInfoKey, maxSessionValueLength);
    }
  }

  /** Once per instance: the driver refuses the client-info key, so sessions carry no ID. */
  void warnUnsupported(Exception refusal) {
    if (!warnedUnsupported) {
      warnedUnsupported = true;
      log.warn("The JDBC driver refused client info {} ({}); its sessions will not carry the"
              + " correlation ID", clientInfoKey, refusal.toString());
    }
  }

  /** Settings for a {@link JdbcCorrelation}. */
  public static final class Builder {
    private boolean sessionMetadata = true;
    private String clientInfoKey = "ApplicationName";
    private int maxSessionValueLength = DEFAULT_MAX_SESSION_VALUE_LENGTH;
    private boolean statementComments;
    private boolean commentPreparedStatements = true;

    private Builder() {}

    /**
     * Whether sessions carry the current correlation ID in their client info (default {@code
     * true}).
     *
     * @param enabled {@code false} to leave sessions alone
     * @return this builder
     */
    public Builder sessionMetadata(boolean enabled) {
      this.sessionMetadata = enabled;
      return this;
    }

    /**
     * The client-info key the ID is written under (default {@code ApplicationName}, which
     * pgjdbc maps to {@code application_name}; other drivers name their own keys, e.g. {@code
     * ClientCorrelationToken} on DB2, {@code OCSID.ECID} on Oracle).
     *
     * @param key the client-info property name
     * @return this builder
     */
    public Builder clientInfoKey(String key) {
      Objects.requireNonNull(key, "key");
      if (key.isEmpty()) {
        throw new IllegalArgumentException("key must not be empty");
      }
      this.clientInfoKey = key;
      return this;
    }

    /**
     * The longest value the session may carry (default 63, PostgreSQL's limit for {@code
     * application_name}, which it truncates beyond). A longer ID is not written there, never
     * cut: a cut ID would point support at another ID.
     *
     * @param length at least 16, the shortest valid ID
     * @return this builder
     */
    public Builder maxSessionValueLength(int length) {
      if (length < 16) {
        throw new IllegalArgumentException("length must be at least 16, the shortest ID: " + length);
      }
      this.maxSessionValueLength = length;
      return this;
    }

    /**
     * Whether statements get a sqlcommenter comment with the current correlation (default {@code
     * false}). A statement that already holds a comment is left as it is.
     *
     * @param enabled {@code true} to comment statements
     * @return this builder
     */
    public Builder statementComments(boolean enabled) {
      this.statementComments = enabled;
      return this;
    }

    /**
     * With {@link #statementComments} on, whether prepared and callable statements are commented
     * too (default {@code true}); {@code false} comments plain {@code Statement}s only, so
     * prepared statements keep one text, one cache entry and one server-side plan.
     *
     * @param enabled {@code false} to comment plain statements only
     * @return this builder
     */
    public Builder commentPreparedStatements(boolean enabled) {
      this.commentPreparedStatements = enabled;
      return this;
    }

    /**
     * The configured instance.
     *
     * @return a new {@link JdbcCorrelation}
     */
    public JdbcCorrelation build() {
      return new JdbcCorrelation(this);
    }
  }
}
