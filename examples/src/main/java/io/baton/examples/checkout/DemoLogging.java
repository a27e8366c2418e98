package io.baton.examples.checkout;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/**
 * Adds the structured log: one JSON object per line, every MDC key included, to a file. It is the
 * application's log: the lines of the brokers the demo embeds in its own JVM (stand-ins for
 * servers that would log to their own files) stay out of it.
 */
final class DemoLogging {

  /** Loggers of the embedded brokers' server side (Kafka's broker and controller, Artemis's server). */
  static final List<String> EMBEDDED_BROKER_LOGGERS = List.of(
      "kafka", "state.change.logger", "org.apache.kafka.controller", "org.apache.kafka.server",
      "org.apache.kafka.raft", "org.apache.kafka.storage", "org.apache.kafka.metadata",
      "org.apache.kafka.image", "org.apache.kafka.coordinator", "org.apache.activemq.artemis.core.server");

  private DemoLogging() {}

  private static boolean fromEmbeddedBroker(String logger) {
    for (String prefix : EMBEDDED_BROKER_LOGGERS) {
      if (logger.equals(prefix) || logger.startsWith(prefix + ".")) {
        return true;
      }
    }
    return false;
  }

  static FileAppender<ILoggingEvent> jsonFile(Path file) throws Exception {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.deleteIfExists(file);
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    LogstashEncoder encoder = new LogstashEncoder();
    encoder.setContext(context);
    encoder.start();
    FileAppender<ILoggingEvent> appender = new FileAppender<>();
    appender.setContext(context);
    appender.setName("json-file");
    appender.setFile(file.toString());
    appender.setEncoder(encoder);
    appender.setImmediateFlush(true);
    appender.addFilter(new Filter<>() {
      @Override
      public FilterReply decide(ILoggingEvent event) {
        return fromEmbeddedBroker(event.getLoggerName()) ? FilterReply.DENY : FilterReply.NEUTRAL;
      }
    });
    appender.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    return appender;
  }

  static void stop(FileAppender<ILoggingEvent> appender) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
    appender.stop();
  }
}
