package io.baton.test;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import java.util.Queue;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The Logback appender behind {@link BatonTest}'s log capture, on the root logger while a test
 * runs. Loading this class needs Logback's, so {@link BatonTest} touches it only once it has found
 * Logback to be the SLF4J backend; the kit then runs without Logback.
 */
final class LogbackCapture extends UnsynchronizedAppenderBase<ILoggingEvent> {

  private final Queue<LogLine> lines;

  private LogbackCapture(Queue<LogLine> lines) {
    this.lines = lines;
  }

  /** Starts appending every line to {@code lines}; the returned runnable stops it. */
  static Runnable start(Queue<LogLine> lines) {
    LoggerContext loggers = (LoggerContext) LoggerFactory.getILoggerFactory();
    LogbackCapture appender = new LogbackCapture(lines);
    appender.setContext(loggers);
    appender.setName("baton-test");
    appender.start();
    Logger root = loggers.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(appender);
    return () -> {
      root.detachAppender(appender);
      appender.stop();
    };
  }

  @Override
  protected void append(ILoggingEvent event) {
    Throwable thrown =
        event.getThrowableProxy() instanceof ThrowableProxy
            ? ((ThrowableProxy) event.getThrowableProxy()).getThrowable()
            : null;
    lines.add(
        new LogLine(
            Level.valueOf(event.getLevel().toString()),
            event.getLoggerName(),
            event.getThreadName(),
            event.getFormattedMessage(),
            event.getMDCPropertyMap(),
            thrown));
  }
}
