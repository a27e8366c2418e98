package io.baton.quartz;

import io.baton.Baton;
import io.baton.CorrelationScope;
import java.lang.reflect.Field;
import org.quartz.JobExecutionContext;
import org.quartz.SchedulerConfigException;
import org.quartz.core.JobRunShell;
import org.quartz.spi.ThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's thread pool, running each {@link JobRunShell} inside its fire's correlation: the
 * scope is opened and closed around the shell's whole {@code run()}, so what Quartz itself logs
 * about the run (the {@code JobRunShell} and {@code ErrorLogger} lines about a job that threw) and
 * what job and trigger listeners log around it carry the run's ID, not only {@code Job.execute}.
 *
 * <p>Quartz's scheduler thread makes the shell (and its context) before it hands it to {@code
 * runInThread}, so the context is known here; anything else handed to the pool runs as it is.
 */
final class CorrelatingThreadPool implements ThreadPool {

  /** {@code JobRunShell.jec}: the shell has no getter for its context (Quartz 2.3 and 2.5). */
  private static final Field CONTEXT = contextField();

  private static final Logger LOG = LoggerFactory.getLogger("io.baton.quartz");

  private final ThreadPool delegate;
  private final QuartzCorrelation quartz;

  CorrelatingThreadPool(ThreadPool delegate, QuartzCorrelation quartz) {
    this.delegate = delegate;
    this.quartz = quartz;
  }

  @Override
  public boolean runInThread(Runnable runnable) {
    JobExecutionContext context = contextOf(runnable);
    if (context == null) {
      return delegate.runInThread(runnable);
    }
    return delegate.runInThread(() -> {
      try (CorrelationScope scope = quartz.open(context)) {
        try {
          runnable.run();
        } catch (RuntimeException | Error e) {
          // Quartz's own failure (its job store, say): the pool's line about it has no ID
          quartz.failureLog().log(LOG, e, "Quartz's run of job {} failed",
              Baton.printable(String.valueOf(context.getJobDetail().getKey())));
          throw e;
        }
      }
    });
  }

  @Override
  public int blockForAvailableThreads() {
    return delegate.blockForAvailableThreads();
  }

  @Override
  public void initialize() throws SchedulerConfigException {
    delegate.initialize();
  }

  @Override
  public void shutdown(boolean waitForJobsToComplete) {
    delegate.shutdown(waitForJobsToComplete);
  }

  @Override
  public int getPoolSize() {
    return delegate.getPoolSize();
  }

  @Override
  public void setInstanceId(String schedInstId) {
    delegate.setInstanceId(schedInstId);
  }

  @Override
  public void setInstanceName(String schedName) {
    delegate.setInstanceName(schedName);
  }

  ThreadPool delegate() {
    return delegate;
  }

  private static JobExecutionContext contextOf(Runnable runnable) {
    if (CONTEXT == null || !(runnable instanceof JobRunShell)) {
      return null;
    }
    try {
      Object context = CONTEXT.get(runnable);
      return context instanceof JobExecutionContext ? (JobExecutionContext) context : null;
    } catch (IllegalAccessException | RuntimeException e) {
      return null;
    }
  }

  private static Field contextField() {
    try {
      Field field = JobRunShell.class.getDeclaredField("jec");
      field.setAccessible(true);
      return field;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null; // another Quartz: jobs still run in a scope around execute (CorrelatingJob)
    }
  }

  @Override
  public String toString() {
    return "Correlating(" + delegate + ")";
  }
}
