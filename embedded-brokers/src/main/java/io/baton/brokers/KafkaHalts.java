package io.baton.brokers;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.utils.Exit;

/**
 * Keeps Kafka's in-process brokers from ending the test JVM. A broker whose log directory fails
 * calls Kafka's {@code Exit.halt(1)}. Kafka's test kit deletes its brokers' directories in a JVM
 * shutdown hook, which races with whatever closes the brokers at exit; and a cluster closing
 * several brokers at once can fail a directory too. Surefire then reports the fork as broken,
 * exit status 1, although every test passed.
 *
 * <p>Once {@link #intercept()} has run, every halt and exit Kafka asks for, in this JVM and until
 * it ends, is printed to stderr and recorded instead of carried out. {@link EmbeddedKafka} does it
 * before starting its broker; a test that builds its own cluster calls it first.
 */
public final class KafkaHalts {

  private static final List<String> RECORDED = new CopyOnWriteArrayList<>();
  private static boolean installed;

  private final int from;

  private KafkaHalts(int from) {
    this.from = from;
  }

  /** Intercepts Kafka's halt and exit for the rest of this JVM; records from now on. */
  public static synchronized KafkaHalts intercept() {
    if (!installed) {
      Exit.setHaltProcedure((status, message) -> record("halt", status, message));
      Exit.setExitProcedure((status, message) -> record("exit", status, message));
      installed = true;
    }
    return new KafkaHalts(RECORDED.size());
  }

  /** What Kafka asked for since this was taken, one entry per call. */
  public List<String> recorded() {
    List<String> all = List.copyOf(RECORDED);
    return all.subList(Math.min(from, all.size()), all.size());
  }

  private static void record(String kind, int status, String message) {
    String entry = kind + "(" + status + ") on " + Thread.currentThread().getName() + ": " + message;
    RECORDED.add(entry);
    System.err.println("Kafka asked for " + entry + "; not done, this is a test JVM");
  }
}
