package io.baton;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * How Baton logs a failure of the user code it runs (a handler, a listener, a job, a task): one
 * line with the stack trace, written inside the failed work's correlation before the exception
 * leaves Baton's scope, so that the line support needs most carries the ID. The exception is
 * rethrown unchanged.
 *
 * <pre>{@code
 * KafkaCorrelation kafka = KafkaCorrelation.newBuilder()
 *     .failureLog(FailureLog.at(Level.WARN))   // or FailureLog.off() when handlers log themselves
 *     .build();
 * }</pre>
 *
 * <p>A failure is logged once by Baton, however many of its wrappers it passes through within the
 * same correlation (an exception object thrown again by other work is logged again), and the
 * correlation it happened in is remembered: {@link Baton#openFailed(Throwable)} reopens it for a
 * line logged later, e.g. in the loop that caught the exception.
 */
public final class FailureLog {

  private static final FailureLog ERROR = new FailureLog(Level.ERROR);
  private static final FailureLog OFF = new FailureLog(null);

  /** The failures Baton saw, with where they happened; weak, so that none is kept alive. */
  private static final Map<Throwable, ContextScope.Snapshot> SEEN =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final Level level;

  private FailureLog(Level level) {
    this.level = level;
  }

  /**
   * The default: failures are logged at ERROR.
   *
   * @return the failure log at ERROR
   */
  public static FailureLog defaults() {
    return ERROR;
  }

  /**
   * Failures are logged at {@code level}.
   *
   * @param level the level of the failure line
   * @return the failure log at {@code level}
   */
  public static FailureLog at(Level level) {
    Objects.requireNonNull(level, "level");
    return level == Level.ERROR ? ERROR : new FailureLog(level);
  }

  /**
   * Baton writes no failure line (the failure is still remembered for {@link
   * Baton#openFailed(Throwable)}).
   *
   * @return the failure log that writes nothing
   */
  public static FailureLog off() {
    return OFF;
  }

  /**
   * Logs {@code failure} on {@code logger} with {@code message} (SLF4J placeholders filled from
   * {@code args}) and the stack trace, under the correlation current now, unless Baton logged
   * this very failure already. Call it inside the failed work's scope. Never throws.
   *
   * @param logger the logger to write the line on
   * @param failure the exception thrown by the user's code
   * @param message the line's text, with SLF4J {@code {}} placeholders
   * @param args the placeholders' values
   */
  public void log(Logger logger, Throwable failure, String message, Object... args) {
    if (failure == null) {
      return;
    }
    ContextScope.Snapshot here = ContextScope.snapshot();
    ContextScope.Snapshot before = SEEN.put(failure, here);
    // The same work's failure passing through another wrapper is logged once; an exception
    // object thrown again by other work (a preallocated one) is that work's failure, and logged.
    if (before != null && Objects.equals(before.correlation, here.correlation)) {
      return;
    }
    if (level == null) {
      return;
    }
    try {
      logger.atLevel(level).setCause(failure).log(message, args);
    } catch (RuntimeException e) {
      // a broken appender must not replace the user's exception
    }
  }

  /** Where {@code failure} happened, when Baton logged it; null otherwise. */
  static ContextScope.Snapshot whereThrown(Throwable failure) {
    // the failure itself, or one it caused (a wrapper such as KafkaException), a few levels deep
    Throwable cause = failure;
    for (int depth = 0; cause != null && depth < 8; depth++) {
      ContextScope.Snapshot where = SEEN.get(cause);
      if (where != null) {
        return where;
      }
      cause = cause.getCause() == cause ? null : cause.getCause();
    }
    return null;
  }

  @Override
  public String toString() {
    return level == null ? "FailureLog.off()" : "FailureLog.at(" + level + ")";
  }
}
