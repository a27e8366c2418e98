package io.baton.examples.checkout;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/** Adds the structured log: one JSON object per line, every MDC key included, to a file. */
final class DemoLogging {

  private DemoLogging() {}

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
