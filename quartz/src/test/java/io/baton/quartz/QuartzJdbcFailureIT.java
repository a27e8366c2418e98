package io.baton.quartz;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.Scheduler;

/** {@link FailureContract} on a JDBC JobStoreTX (H2, string-only job data). */
class QuartzJdbcFailureIT extends FailureContract {

  @TempDir Path dir;

  private boolean tables;

  @Override
  Scheduler newScheduler() throws Exception {
    if (!tables) {
      QuartzJdbcIT.createTables(dir);
      tables = true;
    }
    Properties properties = new Properties();
    properties.setProperty("org.quartz.threadPool.class", MdcRecordingThreadPool.class.getName());
    return QuartzJdbcIT.jdbcScheduler(dir, "failures-" + UUID.randomUUID(), properties);
  }

  @Override
  Map<String, Object> invalidTags() {
    return Map.of("text", "bad id\r\nforged");
  }
}
