package io.baton.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * One very short iteration of every per-message and ID benchmark, in this JVM, so that the build
 * notices when one stops compiling, stops running, or its setup check finds that a contender no
 * longer propagates (each state checks, once, that the ID arrives in the headers and the MDC),
 * with the process CPU profiler on. Measures nothing.
 */
class BenchmarksSmokeTest {

  @Test
  void every_benchmark_runs_and_every_contender_still_propagates() throws RunnerException {
    Collection<RunResult> results =
        new Runner(
                new OptionsBuilder()
                    .include("KafkaPropagationBenchmark|IdGenerationBenchmark")
                    .param("logLine", "false", "true")
                    .forks(0)
                    .warmupIterations(0)
                    .measurementIterations(1)
                    .measurementTime(TimeValue.milliseconds(50))
                    .addProfiler(ProcessCpuProfiler.class)
                    .shouldFailOnError(true)
                    .build())
            .run();

    // raw, rawPolled, minimum, minimumInScope, baton, batonInScope, brave, and the halves
    // produceBaton, produceMinimum, consumeBaton, consumeMinimum: 11 x 2 logLine;
    // otel: 2 logLine x 2 span processors; ID generation: 2
    assertThat(results).hasSize(11 * 2 + 4 + 2);
    assertThat(results).allSatisfy(result -> {
      assertThat(result.getPrimaryResult().getScore()).isPositive();
      assertThat(result.getSecondaryResults().get("cpu.process").getScore())
          .as("process CPU per op").isPositive();
    });
  }

  @Test
  void the_jdbc_benchmark_runs_and_its_wrapped_sessions_carry_the_id() throws RunnerException {
    Collection<RunResult> results =
        new Runner(
                new OptionsBuilder()
                    .include("JdbcBenchmark")
                    .forks(0)
                    .warmupIterations(0)
                    .measurementIterations(1)
                    .measurementTime(TimeValue.milliseconds(50))
                    .shouldFailOnError(true)
                    .build())
            .run();

    // 3 methods x 3 wrappers x 2 idPerOp, on H2
    assertThat(results).hasSize(18);
    assertThat(results).allSatisfy(result -> assertThat(result.getPrimaryResult().getScore()).isPositive());
  }
}
