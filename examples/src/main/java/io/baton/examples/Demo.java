package io.baton.examples;

/**
 * The README's demo command runs this. For now it runs the core example; the checkout story
 * across Kafka, RabbitMQ, JMS and Quartz takes its place as the broker modules land.
 */
public final class Demo {

  private Demo() {}

  /** Runs the demo. */
  public static void main(String[] args) throws Exception {
    CoreQuickStart.run();
  }
}
