package io.baton.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU time of the whole benchmark JVM per operation ({@code -prof
 * io.baton.benchmarks.ProcessCpuProfiler}): the benchmark thread plus every other thread working
 * for it, such as a span exporter or the garbage collector. JMH's score is the benchmark thread's
 * time per operation only; this is what a user's process pays per message. It includes what JMH
 * itself spends around each iteration, which is the same for every benchmark.
 */
public final class ProcessCpuProfiler implements InternalProfiler {

  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private long cpuBefore;

  @Override
  public String getDescription() {
    return "CPU time of the whole JVM process per operation";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmark, IterationParams iteration) {
    cpuBefore = OS.getProcessCpuTime();
  }

  @Override
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmark, IterationParams iteration, IterationResult result) {
    long cpu = OS.getProcessCpuTime() - cpuBefore;
    long ops = result.getMetadata().getMeasuredOps();
    double perOp = ops == 0 ? Double.NaN : (double) cpu / ops;
    return List.of(new ScalarResult("cpu.process", perOp, "ns/op", AggregationPolicy.AVG));
  }
}
