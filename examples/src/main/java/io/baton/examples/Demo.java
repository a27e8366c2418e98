package io.baton.examples;

import io.baton.examples.checkout.CheckoutDemo;
import io.baton.examples.checkout.Trail;
import java.util.Arrays;

/**
 * The README's demo command runs this: the checkout story across every broker. With {@code trail
 * ID LOG.json... [--html OUT.html]} it runs the trail tool instead, with {@code slow-statement}
 * the slow-statement story on PostgreSQL ({@link SlowStatementStory}).
 */
public final class Demo {

  private Demo() {}

  /** Runs the demo, or the trail tool. */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("trail")) {
      Trail.main(Arrays.copyOfRange(args, 1, args.length));
    } else if (args.length > 0 && args[0].equals("slow-statement")) {
      SlowStatementStory.main(Arrays.copyOfRange(args, 1, args.length));
    } else {
      CheckoutDemo.main(args);
    }
  }
}
