package io.baton.quartz;

import org.quartz.Job;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.spi.JobFactory;
import org.quartz.spi.TriggerFiredBundle;

/** Wraps every job instance the user's (or Quartz's default) factory makes. */
final class CorrelatingJobFactory implements JobFactory {

  private final JobFactory delegate;
  private final QuartzCorrelation quartz;

  CorrelatingJobFactory(JobFactory delegate, QuartzCorrelation quartz) {
    this.delegate = delegate;
    this.quartz = quartz;
  }

  @Override
  public Job newJob(TriggerFiredBundle bundle, Scheduler scheduler) throws SchedulerException {
    return new CorrelatingJob(delegate.newJob(bundle, scheduler), quartz);
  }

  @Override
  public String toString() {
    return "Correlating(" + delegate + ")";
  }
}
