package io.baton.examples.checkout;

import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The demo's scheduled jobs. */
final class Jobs {

  private Jobs() {}

  /**
   * "Reconcile this payment in a few seconds": runs under the order's correlation. For an order
   * whose payment failed the provider has nothing to reconcile, and the job throws: Baton's
   * failure line and Quartz's own carry the order's (child) ID.
   */
  public static final class ReconcilePayment implements Job {
    private static final Logger log = LoggerFactory.getLogger("reconcile-job");

    @Override
    public void execute(JobExecutionContext context) {
      String order = context.getMergedJobDataMap().getString("order");
      log.info("reconciling payment of order {} with the provider", order);
      if (context.getMergedJobDataMap().getBooleanValue("failed")) {
        throw new IllegalStateException("the provider has no capture to reconcile for this order");
      }
    }
  }

  /** A repeating sweep: every fire is a child of the correlation that scheduled it. */
  public static final class SettlementSweep implements Job {
    private static final Logger log = LoggerFactory.getLogger("settlement-sweep");

    @Override
    public void execute(JobExecutionContext context) {
      log.info("sweeping settlements (fire {})", context.getFireInstanceId());
    }
  }
}
