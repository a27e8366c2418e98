# Over-floor costs and Baton's share, from JMH's text result of KafkaPropagationBenchmark.
$NF == "ns/op" && $1 !~ /:/ {
  name = $1; sub(/.*\./, "", name)
  if (name == "otel" && $3 != "batch") next
  ns[name] = $6; err[name] = ($7 == "±") ? $8 : 0
}
# The share of OpenTelemetry's cost, and its range when every score sits anywhere within its
# error bar (JMH's 99.9% interval): the cost at its lowest over the other's at its highest, and back.
function share(name, floor) {
  low = (ns[name] - err[name] - ns[floor] - err[floor]) / (ns["otel"] + err["otel"] - ns["rawPolled"] + err["rawPolled"])
  high = (ns[name] + err[name] - ns[floor] + err[floor]) / (ns["otel"] - err["otel"] - ns["rawPolled"] - err["rawPolled"])
  return sprintf("%.2f (%.2f-%.2f)", (ns[name] - ns[floor]) / (ns["otel"] - ns["rawPolled"]), low, high)
}
END {
  if (!("raw" in ns) || !("rawPolled" in ns) || !("otel" in ns) || !("brave" in ns)) exit
  floor = ns["raw"]; polled = ns["rawPolled"]
  printf "over the floor (ns/op): minimum %+.0f, minimum in scope %+.0f, baton %+.0f, baton in scope %+.0f, brave %+.0f, otel %+.0f\n",
    ns["minimum"] - floor, ns["minimumInScope"] - floor, ns["baton"] - floor, ns["batonInScope"] - floor,
    ns["brave"] - floor, ns["otel"] - polled
  brave = ns["brave"] - floor
  printf "share of OpenTelemetry, with the range the error bars allow: baton %s, in scope %s; minimum %s, in scope %s\n",
    share("baton", "raw"), share("batonInScope", "raw"), share("minimum", "raw"), share("minimumInScope", "raw")
  printf "share of Brave: baton %.2f (in scope %.2f)\n", (ns["baton"] - floor) / brave, (ns["batonInScope"] - floor) / brave
}
