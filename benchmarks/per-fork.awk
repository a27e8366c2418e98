# Per-fork means of KafkaPropagationBenchmark from JMH's console log, and the minimum's and
# Baton's cost (over their floor) as a share of OpenTelemetry's, with +-2 standard errors taken
# across forks. Forks are independent JVMs, so their means are the samples: this keeps the JIT's
# fork-to-fork variance in the error, which JMH's per-iteration error understates. Shares are
# given for JMH's score (the benchmark thread's time) and, when ProcessCpuProfiler ran, for the
# whole process's CPU time, which also counts a tracer's exporter thread and the GC.
/^# Benchmark: / { b = $3; sub(/.*\./, "", b) }
/^# Fork: / { f = $3 + 0 }
/^Iteration / { if (NF >= 4) add(b, $3); else pending = 1; next }
pending && /^[0-9.]+ ns\/op/ { add(b, $1); pending = 0 } # a contender printed mid-line
$1 == "cpu.process:" { add(b " cpu", $2) }
function add(name, v) { sum[name, f] += v; n[name, f]++; seen[name] = 1; if (f > forks) forks = f }
function stats(name,   f, k, m, t, tt) {
  k = 0; t = 0; tt = 0
  for (f = 1; f <= forks; f++) if ((name, f) in n) { m = sum[name, f] / n[name, f]; k++; t += m; tt += m * m }
  mean[name] = t / k
  se[name] = k > 1 ? sqrt((tt - t * t / k) / (k - 1) / k) : 0
}
function line(name,   f, s) {
  s = sprintf("%-14s mean %6.0f ns/op, se %4.0f; forks:", name, mean[name], se[name])
  for (f = 1; f <= forks; f++) if ((name, f) in n) s = s sprintf(" %.0f", sum[name, f] / n[name, f])
  return s
}
function share(name, floor, otel, polled,   c, o, r, e) {
  c = mean[name] - mean[floor]; o = mean[otel] - mean[polled]
  r = c / o
  e = 2 * r * sqrt((se[name] ^ 2 + se[floor] ^ 2) / c ^ 2 + (se[otel] ^ 2 + se[polled] ^ 2) / o ^ 2)
  return sprintf("%s %+.0f ns = %.3f (%.3f-%.3f)", name, c, r, r - e, r + e)
}
function shares(sfx, title) {
  if (!(("otel" sfx) in seen) || !(("raw" sfx) in seen) || !(("rawPolled" sfx) in seen)) return
  printf "%s: OpenTelemetry %+.0f ns over its floor; shares of it, +-2 standard errors:\n",
    title, mean["otel" sfx] - mean["rawPolled" sfx]
  if (("minimum" sfx) in seen) print "  " share("minimum" sfx, "raw" sfx, "otel" sfx, "rawPolled" sfx)
  if (("baton" sfx) in seen) print "  " share("baton" sfx, "raw" sfx, "otel" sfx, "rawPolled" sfx)
}
END {
  for (name in seen) stats(name)
  for (name in seen) print line(name)
  shares("", "Benchmark thread (JMH score)")
  shares(" cpu", "Whole process CPU")
}
