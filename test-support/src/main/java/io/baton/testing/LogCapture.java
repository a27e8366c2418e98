package io.baton.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Captures every log line (with its MDC, taken on the logging thread) while a test runs.
 *
 * <pre>{@code
 * @RegisterExtension final LogCapture logs = new LogCapture();
 * ...
 * assertThat(logs.withMessage("handled")).allMatch(line -> id.equals(line.correlationId()));
 * }</pre>
 */
public final class LogCapture implements BeforeEachCallback, AfterEachCallback {

  private final Queue<CapturedLine> lines = new ConcurrentLinkedQueue<>();
  private final Appender appender = new Appender();

  @Override
  public void beforeEach(ExtensionContext context) {
    start();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    stop();
  }

  /** Starts capturing (for use outside JUnit's per-test lifecycle, e.g. in a class-level setup). */
  public void start() {
    lines.clear();
    LoggerContext loggers = (LoggerContext) LoggerFactory.getILoggerFactory();
    appender.setContext(loggers);
    appender.setName("baton-test-capture");
    appender.start();
    loggers.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
  }

  /** Stops capturing; the lines stay readable. */
  public void stop() {
    LoggerContext loggers = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = loggers.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAppender(appender);
    appender.stop();
  }

  /** Forgets what was captured so far. */
  public void clear() {
    lines.clear();
  }

  /** Every captured line, in logging order. */
  public List<CapturedLine> lines() {
    return new ArrayList<>(lines);
  }

  /** The captured lines that match. */
  public List<CapturedLine> lines(Predicate<CapturedLine> filter) {
    return lines.stream().filter(filter).collect(Collectors.toList());
  }

  /** The captured lines whose message contains {@code text}. */
  public List<CapturedLine> withMessage(String text) {
    return lines(line -> line.message().contains(text));
  }

  /** The captured lines of one logger. */
  public List<CapturedLine> fromLogger(String logger) {
    return lines(line -> line.logger().equals(logger));
  }

  private final class Appender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    @Override
    protected void append(ILoggingEvent event) {
      Throwable thrown =
          event.getThrowableProxy() instanceof ThrowableProxy
              ? ((ThrowableProxy) event.getThrowableProxy()).getThrowable()
              : null;
      lines.add(new CapturedLine(event, thrown));
    }
  }
}
