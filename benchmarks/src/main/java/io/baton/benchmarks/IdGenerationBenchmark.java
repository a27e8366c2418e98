package io.baton.benchmarks;

import io.baton.Correlation;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Baton's ID generator against {@link UUID#randomUUID()}. Run with {@code -t 1} and {@code -t 2}
 * to see the SecureRandom contention the JDK's generator has and Baton's does not.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class IdGenerationBenchmark {

  @Benchmark
  public String baton_newRoot() {
    return Correlation.newRoot().id();
  }

  @Benchmark
  public String jdk_randomUUID() {
    return UUID.randomUUID().toString();
  }
}
