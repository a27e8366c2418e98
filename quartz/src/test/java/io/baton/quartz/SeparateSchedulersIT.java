package io.baton.quartz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quartz.JobBuilder.newJob;
import static org.quartz.TriggerBuilder.newTrigger;

import io.baton.Correlation;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.impl.StdSchedulerFactory;
import org.slf4j.MDC;

/**
 * Two replicas: two JVMs, each with a RAMJobStore scheduler of Quartz's default name, fire the same
 * untagged job from the same trigger at the same scheduled time. They are two pieces of work.
 */
class SeparateSchedulersIT {

  private static final String RAN_UNDER = "RAN_UNDER ";

  @Test
  void the_same_job_fired_at_the_same_time_by_two_independent_schedulers_gets_two_ids()
      throws Exception {
    long at = (System.currentTimeMillis() / 1000 + 4) * 1000; // a whole second, after both started
    List<Process> replicas = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      replicas.add(new ProcessBuilder(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-cp", System.getProperty("java.class.path"),
              Replica.class.getName(), String.valueOf(at))
          .redirectErrorStream(true)
          .start());
    }
    List<String> ids = new ArrayList<>();
    for (Process replica : replicas) {
      String id = null;
      StringBuilder output = new StringBuilder();
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(replica.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          output.append(line).append('\n');
          if (line.startsWith(RAN_UNDER)) {
            id = line.substring(RAN_UNDER.length());
          }
        }
      }
      assertThat(replica.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(id).as(output.toString()).isNotNull();
      ids.add(id);
    }

    assertThat(ids).allMatch(Correlation::isValidId);
    assertThat(ids.get(0)).as("two replicas, two fires: " + ids).isNotEqualTo(ids.get(1));
  }

  /** One replica: schedules the nightly report for {@code args[0]}, prints the ID it ran under. */
  public static final class Replica {
    static final CountDownLatch RAN = new CountDownLatch(1);
    static volatile String ranUnder;

    public static void main(String[] args) throws Exception {
      Properties properties = new Properties();
      properties.setProperty("org.quartz.threadPool.threadCount", "1");
      properties.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
      properties.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
      Scheduler scheduler = new StdSchedulerFactory(properties).getScheduler(); // "QuartzScheduler"
      QuartzCorrelation.create().install(scheduler);
      scheduler.start();
      try {
        scheduler.scheduleJob(
            newJob(Report.class).withIdentity("nightly-report").build(),
            newTrigger().withIdentity("nightly").startAt(new Date(Long.parseLong(args[0]))).build());
        if (!RAN.await(30, TimeUnit.SECONDS)) {
          System.out.println("the job did not run");
        }
        System.out.println(RAN_UNDER + ranUnder);
      } finally {
        scheduler.shutdown(true);
      }
      System.exit(0);
    }
  }

  /** Records the correlation it ran under. */
  public static final class Report implements Job {
    @Override
    public void execute(JobExecutionContext context) {
      Replica.ranUnder = MDC.get("correlation_id");
      Replica.RAN.countDown();
    }
  }
}
