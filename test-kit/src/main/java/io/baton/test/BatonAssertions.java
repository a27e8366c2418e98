package io.baton.test;

import io.baton.Baton;
import io.baton.Correlation;
import java.util.Objects;
import org.opentest4j.AssertionFailedError;

/**
 * Assertions on the lineage of captured lines: the same correlation, a child of another, a fresh
 * root. Each fails with an {@link AssertionFailedError} (expected and actual filled in, for an
 * IDE's diff) whose message names the lines.
 *
 * <pre>{@code
 * import static io.baton.test.BatonAssertions.*;
 *
 * LogLine received = baton.withMessage("order received").get(0);
 * LogLine charged = baton.withMessage("card charged").get(0);      // on the payment consumer
 * LogLine reminder = baton.withMessage("reminder scheduled").get(0);
 * assertSameCorrelation(received, charged);                        // one hop, one ID
 * assertChildOf(reminder, received);                               // spawned work
 * assertFreshRoot(baton.withMessage("nightly run").get(0), received.correlationId());
 * }</pre>
 */
public final class BatonAssertions {

  private BatonAssertions() {}

  /**
   * Asserts that {@code actual} was logged under the same correlation ID as {@code expected}.
   *
   * @param expected a line logged under the correlation
   * @param actual the line that must carry the same {@code correlation_id}
   */
  public static void assertSameCorrelation(LogLine expected, LogLine actual) {
    requireId(expected, "expected");
    assertCorrelationId(expected.correlationId(), actual);
  }

  /**
   * Asserts that {@code line} was logged under the correlation ID {@code expectedId}.
   *
   * @param expectedId the ID, e.g. the one the test sent a message with
   * @param line the line that must carry it
   */
  public static void assertCorrelationId(String expectedId, LogLine line) {
    Objects.requireNonNull(expectedId, "expectedId");
    Objects.requireNonNull(line, "line");
    if (!expectedId.equals(line.correlationId())) {
      throw new AssertionFailedError(
          "expected the line to carry correlation_id " + quote(expectedId) + " but it carried "
              + quote(line.correlationId()) + ": " + line,
          expectedId, line.correlationId());
    }
  }

  /**
   * Asserts that {@code child} was logged under a child correlation of the one {@code parent} was
   * logged under: its {@code parent_correlation_id} is the parent's {@code correlation_id}, and its
   * own ID is a valid one, different from the parent's.
   *
   * @param child the line of the spawned work
   * @param parent a line of the work that spawned it
   */
  public static void assertChildOf(LogLine child, LogLine parent) {
    requireId(parent, "parent");
    assertChildOf(child, parent.correlationId());
  }

  /**
   * Like {@link #assertChildOf(LogLine, LogLine)}, for the parent's ID.
   *
   * @param child the line of the spawned work
   * @param parentId the correlation ID of the work that spawned it
   */
  public static void assertChildOf(LogLine child, String parentId) {
    Objects.requireNonNull(child, "child");
    Objects.requireNonNull(parentId, "parentId");
    if (!parentId.equals(child.parentCorrelationId())) {
      throw new AssertionFailedError(
          "expected a child of " + quote(parentId) + ", but the line's parent_correlation_id is "
              + quote(child.parentCorrelationId()) + ": " + child,
          parentId, child.parentCorrelationId());
    }
    assertValidId(child);
    if (parentId.equals(child.correlationId())) {
      throw new AssertionFailedError(
          "expected a child with its own correlation_id, but the line carries its parent's "
              + quote(parentId) + ": " + child);
    }
  }

  /**
   * Asserts that {@code line} was logged under a fresh root: a valid {@code correlation_id}, no
   * {@code parent_correlation_id}, and none of {@code unrelatedIds} (the work it must not be
   * part of).
   *
   * @param line the line that must start a correlation of its own
   * @param unrelatedIds IDs it must not carry
   */
  public static void assertFreshRoot(LogLine line, String... unrelatedIds) {
    Objects.requireNonNull(line, "line");
    assertValidId(line);
    if (line.parentCorrelationId() != null) {
      throw new AssertionFailedError(
          "expected a root without parent_correlation_id, but the line has "
              + quote(line.parentCorrelationId()) + ": " + line,
          null, line.parentCorrelationId());
    }
    for (String unrelated : unrelatedIds) {
      if (line.correlationId().equals(unrelated)) {
        throw new AssertionFailedError(
            "expected a fresh correlation_id, but the line carries " + quote(unrelated)
                + ", the one it must differ from: " + line);
      }
    }
  }

  private static void assertValidId(LogLine line) {
    String id = line.correlationId();
    if (id == null || !Correlation.isValidId(id)) {
      throw new AssertionFailedError(
          "expected a valid correlation_id, but the line carries " + quote(id) + ": " + line);
    }
  }

  private static void requireId(LogLine line, String role) {
    Objects.requireNonNull(line, role);
    if (line.correlationId() == null) {
      throw new AssertionFailedError(
          "the " + role + " line carries no correlation_id, so there is nothing to compare with: "
              + line);
    }
  }

  private static String quote(String value) {
    return value == null ? "none" : "'" + Baton.printable(value) + "'";
  }
}
