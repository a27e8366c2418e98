# Over-floor costs and Baton's share, from JMH's text result of KafkaPropagationBenchmark.
$NF == "ns/op" && $1 !~ /:/ {
  name = $1; sub(/.*\./, "", name)
  if (name == "otel" && $3 != "batch") next
  ns[name] = $6
}
END {
  floor = ns["raw"]; polled = ns["rawPolled"]
  printf "over the floor (ns/op): minimum %+.0f, minimum in scope %+.0f, baton %+.0f, baton in scope %+.0f, brave %+.0f, otel %+.0f\n",
    ns["minimum"] - floor, ns["minimumInScope"] - floor, ns["baton"] - floor, ns["batonInScope"] - floor,
    ns["brave"] - floor, ns["otel"] - polled
  otel = ns["otel"] - polled; brave = ns["brave"] - floor
  printf "share of OpenTelemetry: baton %.2f (in scope %.2f), minimum %.2f (in scope %.2f)\n",
    (ns["baton"] - floor) / otel, (ns["batonInScope"] - floor) / otel,
    (ns["minimum"] - floor) / otel, (ns["minimumInScope"] - floor) / otel
  printf "share of Brave: baton %.2f (in scope %.2f)\n", (ns["baton"] - floor) / brave, (ns["batonInScope"] - floor) / brave
}
