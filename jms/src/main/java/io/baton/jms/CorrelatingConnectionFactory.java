package io.baton.jms;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;

/**
 * Hands out correlating connections and contexts.
 */
final class CorrelatingConnectionFactory implements ConnectionFactory {

  private final ConnectionFactory delegate;
  private final JmsCorrelation jms;

  CorrelatingConnectionFactory(ConnectionFactory delegate, JmsCorrelation jms) {
    this.delegate = delegate;
    this.jms = jms;
  }

  @Override
  public Connection createConnection() throws JMSException {
    return new CorrelatingConnection(delegate.createConnection(), jms);
  }

  @Override
  public Connection createConnection(String userName, String password) throws JMSException {
    return new CorrelatingConnection(delegate.createConnection(userName, password), jms);
  }

  @Override
  public JMSContext createContext() {
    return new CorrelatingJMSContext(delegate.createContext(), jms);
  }

  @Override
  public JMSContext createContext(String userName, String password) {
    return new CorrelatingJMSContext(delegate.createContext(userName, password), jms);
  }

  @Override
  public JMSContext createContext(String userName, String password, int sessionMode) {
    return new CorrelatingJMSContext(delegate.createContext(userName, password, sessionMode), jms);
  }

  @Override
  public JMSContext createContext(int sessionMode) {
    return new CorrelatingJMSContext(delegate.createContext(sessionMode), jms);
  }

  @Override
  public String toString() {
    return "Correlating(" + delegate + ")";
  }
}
