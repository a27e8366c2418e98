package io.baton.quartz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quartz.JobBuilder.newJob;
import static org.quartz.TriggerBuilder.newTrigger;

import io.baton.Correlation;
import io.baton.testing.CapturedLine;
import io.baton.testing.CorrelationCorpus;
import io.baton.testing.LogCapture;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quartz.Job;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.slf4j.MDC;

/** Every corpus value as a job's tag: each job runs, under a valid ID. */
class QuartzCorpusTest {

  static final Map<String, String> ID_IN_RUN = new ConcurrentHashMap<>();
  static CountDownLatch runs;

  @RegisterExtension final LogCapture logs = new LogCapture();

  /** Records the correlation it ran under. */
  public static final class RecordingJob implements Job {
    @Override
    public void execute(JobExecutionContext context) {
      ID_IN_RUN.put(context.getJobDetail().getKey().getName(), String.valueOf(MDC.get("correlation_id")));
      runs.countDown();
    }
  }

  @Test
  void every_corpus_value_as_a_tag_runs_the_job_under_a_valid_id() throws Exception {
    List<CorrelationCorpus.Entry> corpus = CorrelationCorpus.entries();
    runs = new CountDownLatch(corpus.size());
    Scheduler scheduler = QuartzCorrelationTest.newScheduler(3);
    QuartzCorrelation.create().install(scheduler);
    scheduler.start();
    try {
      for (CorrelationCorpus.Entry entry : corpus) {
        JobDataMap data = new JobDataMap();
        data.put("correlation_id", entry.text());
        scheduler.scheduleJob(
            newJob(RecordingJob.class).withIdentity(entry.name()).usingJobData(data).build(),
            newTrigger().startNow().build());
      }
      assertThat(runs.await(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      scheduler.shutdown(true);
    }

    for (CorrelationCorpus.Entry entry : corpus) {
      String id = ID_IN_RUN.get(entry.name());
      assertThat(id).as(entry.name()).matches(Correlation::isValidId);
      if (entry.valid()) {
        assertThat(id).as(entry.name()).isEqualTo(entry.text());
      }
    }
    List<CapturedLine> warnings = logs.fromLogger("io.baton");
    assertThat(warnings).hasSize((int) corpus.stream().filter(CorrelationCorpus.Entry::warned).count());
    assertThat(warnings).allSatisfy(w -> assertThat(w.message().chars()).allMatch(c -> c >= 0x20 && c < 0x7f));
  }
}
