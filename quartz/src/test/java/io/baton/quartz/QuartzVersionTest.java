package io.baton.quartz;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.quartz.core.QuartzScheduler;

/** Each surefire run tests the Quartz it says it tests (2.5 by default, 2.3 in {@code quartz-2.3}). */
class QuartzVersionTest {

  @Test
  void the_quartz_on_the_class_path_is_the_one_this_run_is_for() {
    String running = QuartzScheduler.getVersionMajor() + "." + QuartzScheduler.getVersionMinor()
        + "." + QuartzScheduler.getVersionIteration();
    assertThat(running).isEqualTo(System.getProperty("baton.quartz.version"));
  }
}
