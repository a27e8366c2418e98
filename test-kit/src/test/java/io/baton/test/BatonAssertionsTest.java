package io.baton.test;

import static io.baton.test.BatonAssertions.assertChildOf;
import static io.baton.test.BatonAssertions.assertCorrelationId;
import static io.baton.test.BatonAssertions.assertFreshRoot;
import static io.baton.test.BatonAssertions.assertSameCorrelation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.opentest4j.AssertionFailedError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class BatonAssertionsTest {

  private static final Logger LOG = LoggerFactory.getLogger(BatonAssertionsTest.class);

  @RegisterExtension final BatonTest baton = BatonTest.create();

  private final Correlation root = Correlation.newRoot();
  private final Correlation child = root.newChild();
  private final Correlation other = Correlation.newRoot();

  private LogLine logUnder(Correlation correlation, String message) {
    try (CorrelationScope scope = Baton.open(correlation)) {
      LOG.info(message);
    }
    return baton.withMessage(message).get(0);
  }

  @Test
  void same_correlation_passes_for_one_id_and_fails_for_another() {
    LogLine received = logUnder(root, "received");
    LogLine handled = logUnder(root, "handled");
    LogLine unrelated = logUnder(other, "unrelated");

    assertSameCorrelation(received, handled);
    assertCorrelationId(root.id(), handled);
    AssertionFailedError failure =
        assertThrows(AssertionFailedError.class, () -> assertSameCorrelation(received, unrelated));
    assertEquals(
        "expected the line to carry correlation_id '" + root.id() + "' but it carried '"
            + other.id() + "': " + unrelated,
        failure.getMessage());
    assertEquals(root.id(), failure.getExpected().getValue());
    assertEquals(other.id(), failure.getActual().getValue());
  }

  @Test
  void same_correlation_fails_when_a_line_carries_no_id() {
    LogLine received = logUnder(root, "received");
    LOG.info("lost");
    LogLine lost = baton.withMessage("lost").get(0);

    AssertionFailedError failure =
        assertThrows(AssertionFailedError.class, () -> assertSameCorrelation(received, lost));
    assertEquals(
        "expected the line to carry correlation_id '" + root.id() + "' but it carried none: " + lost,
        failure.getMessage());
    assertThrows(AssertionFailedError.class, () -> assertSameCorrelation(lost, received));
  }

  @Test
  void child_of_passes_for_a_child_and_fails_for_a_sibling_the_parent_itself_and_a_root() {
    LogLine parent = logUnder(root, "parent");
    LogLine spawned = logUnder(child, "spawned");
    LogLine sibling = logUnder(other.newChild(), "sibling");

    assertChildOf(spawned, parent);
    assertChildOf(spawned, root.id());
    AssertionFailedError notTheParent =
        assertThrows(AssertionFailedError.class, () -> assertChildOf(sibling, parent));
    assertEquals(
        "expected a child of '" + root.id() + "', but the line's parent_correlation_id is '"
            + other.id() + "': " + sibling,
        notTheParent.getMessage());
    AssertionFailedError aRoot =
        assertThrows(AssertionFailedError.class, () -> assertChildOf(parent, parent));
    assertEquals(
        "expected a child of '" + root.id() + "', but the line's parent_correlation_id is none: "
            + parent,
        aRoot.getMessage());
  }

  @Test
  void child_of_fails_for_a_line_that_reuses_its_parents_id() {
    LogLine parent = logUnder(root, "parent");
    try (CorrelationScope scope = Baton.open(root)) {
      MDC.put(Baton.PARENT_KEY, root.id());          // a hand-made "child" under the same ID
      try {
        LOG.info("copied");
      } finally {
        MDC.remove(Baton.PARENT_KEY);
      }
    }
    LogLine copied = baton.withMessage("copied").get(0);

    AssertionFailedError failure =
        assertThrows(AssertionFailedError.class, () -> assertChildOf(copied, parent));
    assertEquals(
        "expected a child with its own correlation_id, but the line carries its parent's '"
            + root.id() + "': " + copied,
        failure.getMessage());
  }

  @Test
  void fresh_root_passes_for_a_new_root_and_fails_for_a_child_an_old_id_or_no_id() {
    LogLine fresh = logUnder(other, "fresh");
    LogLine spawned = logUnder(child, "spawned");
    LOG.info("bare");
    LogLine bare = baton.withMessage("bare").get(0);

    assertFreshRoot(fresh);
    assertFreshRoot(fresh, root.id());
    AssertionFailedError aChild =
        assertThrows(AssertionFailedError.class, () -> assertFreshRoot(spawned));
    assertEquals(
        "expected a root without parent_correlation_id, but the line has '" + root.id() + "': "
            + spawned,
        aChild.getMessage());
    AssertionFailedError reused =
        assertThrows(AssertionFailedError.class, () -> assertFreshRoot(fresh, other.id()));
    assertEquals(
        "expected a fresh correlation_id, but the line carries '" + other.id()
            + "', the one it must differ from: " + fresh,
        reused.getMessage());
    AssertionFailedError none =
        assertThrows(AssertionFailedError.class, () -> assertFreshRoot(bare));
    assertEquals(
        "expected a valid correlation_id, but the line carries none: " + bare, none.getMessage());
  }

  @Test
  void fresh_root_fails_for_an_invalid_id() {
    MDC.put(Baton.ID_KEY, "not valid\u0000");
    try {
      LOG.info("hostile");
    } finally {
      MDC.remove(Baton.ID_KEY);
    }
    LogLine hostile = baton.withMessage("hostile").get(0);

    AssertionFailedError failure =
        assertThrows(AssertionFailedError.class, () -> assertFreshRoot(hostile));
    assertEquals(
        "expected a valid correlation_id, but the line carries 'not valid?': " + hostile,
        failure.getMessage());
  }
}
