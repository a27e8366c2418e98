package io.baton.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.Map;

/** One log line as a support engineer would read it: what was said, and under which IDs. */
public final class CapturedLine {

  private final String level;
  private final String logger;
  private final String thread;
  private final String message;
  private final Map<String, String> mdc;
  private final Throwable throwable;

  CapturedLine(ILoggingEvent event, Throwable throwable) {
    this.level = event.getLevel().toString();
    this.logger = event.getLoggerName();
    this.thread = event.getThreadName();
    this.message = event.getFormattedMessage();
    this.mdc = Map.copyOf(event.getMDCPropertyMap());
    this.throwable = throwable;
  }

  public String level() {
    return level;
  }

  public String logger() {
    return logger;
  }

  public String thread() {
    return thread;
  }

  public String message() {
    return message;
  }

  /** The whole MDC the line was logged with. */
  public Map<String, String> mdc() {
    return mdc;
  }

  /** The {@code correlation_id} the line carried, or null. */
  public String correlationId() {
    return mdc.get("correlation_id");
  }

  /** The {@code parent_correlation_id} the line carried, or null. */
  public String parentCorrelationId() {
    return mdc.get("parent_correlation_id");
  }

  public Throwable throwable() {
    return throwable;
  }

  @Override
  public String toString() {
    return level + " [" + thread + "] " + logger + " " + mdc + " - " + message;
  }
}
