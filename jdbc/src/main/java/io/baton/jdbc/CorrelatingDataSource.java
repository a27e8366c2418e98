package io.baton.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ConnectionBuilder;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.ShardingKeyBuilder;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** A data source whose connections make the current correlation visible to the database. */
final class CorrelatingDataSource implements DataSource {

  private final DataSource delegate;
  private final JdbcCorrelation settings;

  CorrelatingDataSource(DataSource delegate, JdbcCorrelation settings) {
    this.delegate = delegate;
    this.settings = settings;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return new CorrelatingConnection(delegate.getConnection(), settings);
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return new CorrelatingConnection(delegate.getConnection(username, password), settings);
  }

  @Override
  public ConnectionBuilder createConnectionBuilder() throws SQLException {
    return new CorrelatingConnectionBuilder(delegate.createConnectionBuilder(), settings);
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override
  public ShardingKeyBuilder createShardingKeyBuilder() throws SQLException {
    return delegate.createShardingKeyBuilder();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return iface.isInstance(delegate) ? iface.cast(delegate) : delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(delegate) || delegate.isWrapperFor(iface);
  }

  @Override
  public String toString() {
    return "CorrelatingDataSource{" + delegate + "}";
  }
}
