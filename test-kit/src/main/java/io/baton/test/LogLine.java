package io.baton.test;

import io.baton.Baton;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.event.Level;

/**
 * One captured log line as a support engineer would read it: what was said, by which logger, on
 * which thread, and under which IDs (the MDC taken on the logging thread when it was logged).
 *
 * <pre>{@code
 * LogLine line = baton.withMessage("order accepted").get(0);
 * assertEquals(orderId, line.correlationId());
 * }</pre>
 */
public final class LogLine {

  private final Level level;
  private final String logger;
  private final String thread;
  private final String message;
  private final Map<String, String> mdc;
  private final Throwable throwable;

  LogLine(
      Level level,
      String logger,
      String thread,
      String message,
      Map<String, String> mdc,
      Throwable throwable) {
    this.level = level;
    this.logger = logger;
    this.thread = thread;
    this.message = message;
    this.mdc = Collections.unmodifiableMap(new HashMap<>(mdc));
    this.throwable = throwable;
  }

  /**
   * The line's level.
   *
   * @return the level it was logged at
   */
  public Level level() {
    return level;
  }

  /**
   * The name of the logger that logged it.
   *
   * @return the logger's name
   */
  public String logger() {
    return logger;
  }

  /**
   * The name of the thread that logged it.
   *
   * @return the thread's name at the time
   */
  public String thread() {
    return thread;
  }

  /**
   * The formatted message (arguments filled in).
   *
   * @return the message
   */
  public String message() {
    return message;
  }

  /**
   * The whole MDC the line was logged with, Baton's keys and everyone else's.
   *
   * @return an unmodifiable copy
   */
  public Map<String, String> mdc() {
    return mdc;
  }

  /**
   * The {@code correlation_id} the line carried.
   *
   * @return the ID, or null when it carried none
   */
  public String correlationId() {
    return mdc.get(Baton.ID_KEY);
  }

  /**
   * The {@code parent_correlation_id} the line carried.
   *
   * @return the parent's ID, or null (a root, or no correlation)
   */
  public String parentCorrelationId() {
    return mdc.get(Baton.PARENT_KEY);
  }

  /**
   * The exception logged with the line.
   *
   * @return the exception itself, or null
   */
  public Throwable throwable() {
    return throwable;
  }

  @Override
  public String toString() {
    return level + " [" + thread + "] " + logger + " " + mdc + " - " + message;
  }
}
