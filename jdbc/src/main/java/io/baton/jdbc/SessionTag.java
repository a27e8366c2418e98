package io.baton.jdbc;

import io.baton.Baton;
import io.baton.Correlation;
import java.sql.ClientInfoStatus;
import java.sql.Connection;
import java.sql.SQLClientInfoException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one connection's session carries under the client-info key: the current correlation ID
 * while a statement runs inside one, the session's own value otherwise. Set only when it changes,
 * since a driver may spend a round trip on it (pgjdbc sends {@code SET application_name}). Never
 * throws: a session that cannot be tagged runs its statements untagged.
 */
final class SessionTag {

  private static final Logger log = LoggerFactory.getLogger("io.baton.jdbc");

  private final Connection connection;
  private final JdbcCorrelation settings;
  private final String key;
  /** Off for good: turned off in the settings, or the driver refused the key. */
  private boolean off;
  /** The session's own value (what it carries outside any correlation), once read. */
  private boolean ownRead;
  private String own;
  /** What the session carries now, as far as this tag knows. */
  private boolean carriedKnown;
  private String carried;

  SessionTag(Connection connection, JdbcCorrelation settings) {
    this.connection = connection;
    this.settings = settings;
    this.key = settings.clientInfoKey();
    this.off = !settings.sessionMetadata();
  }

  void beforeExecute() {
    if (off) {
      return;
    }
    Correlation current = Baton.current().orElse(null);
    String wanted = current == null ? null : current.id();
    if (wanted != null && wanted.length() > settings.maxSessionValueLength()) {
      settings.warnTooLong(wanted.length());
      wanted = null;
    }
    boolean anId = wanted != null;
    if (!anId) {
      if (!ownRead) {
        return; // never changed, so it carries its own value
      }
      wanted = own;
    } else if (!readOwn()) {
      return;
    }
    if (carriedKnown && Objects.equals(wanted, carried)) {
      return; // the common case: checked when it was set, nothing to do per statement
    }
    if (anId && !Correlation.isValidId(wanted)) {
      return; // only validated IDs are ever written
    }
    set(wanted);
  }

  /** Before the connection closes (or goes back to the pool in front): its own value again. */
  void beforeClose() {
    if (off || !ownRead || (carriedKnown && Objects.equals(own, carried))) {
      return;
    }
    try {
      if (!connection.isClosed()) {
        set(own);
      }
    } catch (Exception e) {
      log.debug("Could not check the connection before giving the session its value back", e);
    }
  }

  /** After a rollback, which may have undone the last change. */
  void forget() {
    carriedKnown = false;
  }

  /** After the caller set client info: their value is the session's own from now on. */
  void reset() {
    ownRead = false;
    carriedKnown = false;
  }

  private boolean readOwn() {
    if (ownRead) {
      return true;
    }
    try {
      own = connection.getClientInfo(key);
    } catch (Exception e) {
      refused(e);
      return false;
    }
    ownRead = true;
    carried = own;
    carriedKnown = true;
    return true;
  }

  private void set(String value) {
    try {
      // JDBC lets null clear the key, but not every driver takes null (H2 throws); "" is what
      // pgjdbc sends for null anyway.
      connection.setClientInfo(key, value == null ? "" : value);
      carried = value;
      carriedKnown = true;
    } catch (SQLClientInfoException e) {
      if (unsupported(e)) {
        refused(e);
      } else {
        unknown(e);
      }
    } catch (Exception e) { // a driver may throw a checked SQLException it does not declare
      unknown(e);
    }
  }

  /**
   * Whether the driver refuses the key itself (say so, then stop), rather than failing to send
   * it this time (a closed connection, an aborted transaction: pgjdbc gives the failure as the
   * cause, with status {@code REASON_UNKNOWN}).
   */
  private boolean unsupported(SQLClientInfoException e) {
    if (e.getCause() instanceof SQLFeatureNotSupportedException) {
      return true;
    }
    Map<String, ClientInfoStatus> failed = e.getFailedProperties();
    ClientInfoStatus status = failed == null ? null : failed.get(key);
    if (status == null) {
      return e.getCause() == null;
    }
    return status == ClientInfoStatus.REASON_UNKNOWN_PROPERTY || status == ClientInfoStatus.REASON_VALUE_INVALID;
  }

  private void refused(Exception e) {
    off = true;
    settings.warnUnsupported(e);
  }

  /** A failure that may pass (a closed connection, an aborted transaction): try again next time. */
  private void unknown(Exception e) {
    carriedKnown = false;
    log.debug("Could not set client info {}; the next statement tries again", key, e);
  }
}
