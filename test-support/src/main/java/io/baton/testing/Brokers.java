package io.baton.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Broker availability for integration tests. Outside CI a missing broker skips the test; in CI
 * ({@code CI=true}) it fails it, so a broken CI machine never passes by skipping.
 */
public final class Brokers {

  private Brokers() {}

  /** Whether this run is CI ({@code CI=true} in the environment). */
  public static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** Whether something accepts TCP connections at {@code host:port} within a second. */
  public static boolean answers(String host, int port) {
    return io.baton.brokers.Tcp.answers(host, port);
  }

  /** Skips (locally) or fails (in CI) the calling test unless {@code available}. */
  public static void require(boolean available, String what) {
    if (available) {
      return;
    }
    String message = what + " is not available";
    if (inCi()) {
      Assertions.fail(message + " and CI=true: a test that needs a broker must not skip in CI");
    }
    Assumptions.abort(message + "; skipping (set CI=true to make this a failure)");
  }
}
