package io.baton.quartz;

import java.util.Properties;
import java.util.UUID;
import org.quartz.Scheduler;
import org.quartz.impl.StdSchedulerFactory;

/** {@link FailureContract} on a RAMJobStore. */
class QuartzFailureTest extends FailureContract {

  @Override
  Scheduler newScheduler() throws Exception {
    Properties properties = new Properties();
    properties.setProperty("org.quartz.scheduler.instanceName", "failures-" + UUID.randomUUID());
    properties.setProperty("org.quartz.threadPool.class", MdcRecordingThreadPool.class.getName());
    properties.setProperty("org.quartz.threadPool.threadCount", "2");
    properties.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
    properties.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    return new StdSchedulerFactory(properties).getScheduler();
  }
}
