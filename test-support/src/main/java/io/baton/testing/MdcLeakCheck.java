package io.baton.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.MDC;

/**
 * Fails a test that leaves Baton's MDC keys behind on the test thread: a leaked scope fails the
 * suite. Registered for every test through JUnit's extension auto-detection (see this module's
 * {@code junit-platform.properties}).
 */
public final class MdcLeakCheck implements AfterEachCallback {

  /** Every MDC key Baton writes: the correlation's and the per-message facts of each module. */
  public static final String[] KEYS = {
    "correlation_id", "parent_correlation_id",
    "retry_attempt", "death_count", "death_reason", "death_queue",
    "delivery_count", "original_destination",
    "quartz_job", "quartz_trigger", "quartz_fire_id"
  };

  @Override
  public void afterEach(ExtensionContext context) {
    for (String key : KEYS) {
      String leaked = MDC.get(key);
      MDC.remove(key);
      assertThat(leaked)
          .as("MDC key %s left behind by %s", key, context.getDisplayName())
          .isNull();
    }
  }
}
