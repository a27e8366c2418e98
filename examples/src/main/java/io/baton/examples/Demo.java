package io.baton.examples;

import io.baton.examples.checkout.CheckoutDemo;

/** The README's demo command runs this: the checkout story across every broker. */
public final class Demo {

  private Demo() {}

  /** Runs the demo. */
  public static void main(String[] args) throws Exception {
    CheckoutDemo.main(args);
  }
}
