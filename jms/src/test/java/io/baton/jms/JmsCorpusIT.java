package io.baton.jms;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.Correlation;
import io.baton.brokers.EmbeddedArtemis;
import io.baton.testing.CapturedLine;
import io.baton.testing.CorrelationCorpus;
import io.baton.testing.LogCapture;
import jakarta.jms.JMSContext;
import jakarta.jms.Queue;
import jakarta.jms.TextMessage;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Every corpus value as a JMS string property, through Artemis and a wrapped listener. */
class JmsCorpusIT {

  private static final Logger log = LoggerFactory.getLogger("audit-consumer");

  @RegisterExtension final LogCapture logs = new LogCapture();

  @Test
  void every_corpus_value_is_delivered_untouched_under_a_valid_id_with_at_most_a_sanitized_warning()
      throws Exception {
    List<CorrelationCorpus.Entry> corpus = CorrelationCorpus.entries();
    JmsCorrelation jms = JmsCorrelation.create();
    Map<String, String> idInHandler = new ConcurrentHashMap<>();
    Map<String, String> bodyInHandler = new ConcurrentHashMap<>();
    CountDownLatch all = new CountDownLatch(corpus.size());
    try (JMSContext context = jms.connectionFactory(EmbeddedArtemis.inVm()).createContext()) {
      Queue queue = context.createQueue("corpus-" + UUID.randomUUID());
      context.createConsumer(queue).setMessageListener(message -> {
        try {
          String name = message.getStringProperty("entry");
          log.info("handling {}", name);
          idInHandler.put(name, MDC.get("correlation_id"));
          bodyInHandler.put(name, ((TextMessage) message).getText());
        } catch (Exception e) {
          throw new IllegalStateException(e);
        } finally {
          all.countDown();
        }
      });
      try (JMSContext plain = EmbeddedArtemis.inVm().createContext()) {
        for (CorrelationCorpus.Entry entry : corpus) {
          TextMessage message = plain.createTextMessage("body of " + entry.name());
          message.setStringProperty("entry", entry.name());
          message.setStringProperty("correlation_id", entry.text());
          plain.createProducer().send(queue, message);
        }
      }
      assertThat(all.await(60, TimeUnit.SECONDS)).isTrue();
    }

    for (CorrelationCorpus.Entry entry : corpus) {
      assertThat(bodyInHandler.get(entry.name())).as(entry.name()).isEqualTo("body of " + entry.name());
      String id = idInHandler.get(entry.name());
      assertThat(id).as(entry.name()).matches(Correlation::isValidId);
      if (entry.valid()) {
        assertThat(id).as(entry.name()).isEqualTo(entry.text());
      } else {
        assertThat(id).as(entry.name()).isNotEqualTo(entry.text());
      }
    }
    List<CapturedLine> warnings = logs.fromLogger("io.baton");
    assertThat(warnings).hasSize((int) corpus.stream().filter(CorrelationCorpus.Entry::warned).count());
    assertThat(warnings).allSatisfy(w -> {
      assertThat(w.message().chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
      assertThat(w.message().length()).isLessThan(64 * 6 + 120);
    });
  }
}
