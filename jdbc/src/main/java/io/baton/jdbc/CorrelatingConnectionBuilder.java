package io.baton.jdbc;

import java.sql.Connection;
import java.sql.ConnectionBuilder;
import java.sql.SQLException;
import java.sql.ShardingKey;

/** The data source's connection builder, whose connections are correlating ones too. */
final class CorrelatingConnectionBuilder implements ConnectionBuilder {

  private final ConnectionBuilder delegate;
  private final JdbcCorrelation settings;

  CorrelatingConnectionBuilder(ConnectionBuilder delegate, JdbcCorrelation settings) {
    this.delegate = delegate;
    this.settings = settings;
  }

  @Override
  public ConnectionBuilder user(String username) {
    delegate.user(username);
    return this;
  }

  @Override
  public ConnectionBuilder password(String password) {
    delegate.password(password);
    return this;
  }

  @Override
  public ConnectionBuilder shardingKey(ShardingKey shardingKey) {
    delegate.shardingKey(shardingKey);
    return this;
  }

  @Override
  public ConnectionBuilder superShardingKey(ShardingKey superShardingKey) {
    delegate.superShardingKey(superShardingKey);
    return this;
  }

  @Override
  public Connection build() throws SQLException {
    return new CorrelatingConnection(delegate.build(), settings);
  }
}
