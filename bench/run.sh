#!/usr/bin/env bash
# make bench, after `make build`: the toolkit part (JMH), the system part (the app jars over loopback),
# then the table -> bench/results/latest.md. Each part is one JVM; a failed part is reported as missing
# and the others still run. Usage: bench/run.sh [--quick] [toolkit] [system]   (default: both parts)
#   --quick   a smoke run with short iterations and small sizes: checks the wiring, its numbers mean nothing
#   BENCH_CHILD_JVM_FLAGS="-XX:StartFlightRecording=..."   extra flags for every app/baseline JVM (profiling)
set -uo pipefail
cd "$(dirname "$0")/.."

jdk=$(scripts/find-jdk.sh) || exit 1
java="$jdk/bin/java"
jar=modules/bench/target/benchmarks.jar
for f in "$jar" modules/gateway/target/gateway.jar modules/client/target/client.jar modules/sender/target/sender.jar modules/detector/target/detector.jar; do
  [ -f "$f" ] || { echo "bench: $f is missing; run make build first (make bench does)" >&2; exit 1; }
done

quick="" parts=()
for a in "$@"; do
  case "$a" in
    --quick) quick=--quick ;;
    toolkit|system) parts+=("$a") ;;
    *) echo "usage: bench/run.sh [--quick] [toolkit] [system]" >&2; exit 2 ;;
  esac
done
[ ${#parts[@]} -gt 0 ] || parts=(toolkit system)

tmp=bench/results/tmp
rm -rf "$tmp" && mkdir -p "$tmp"
load() { cut -d' ' -f1 /proc/loadavg; }
start=$(date +%s)

{
  echo "machine: $(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM, $(uname -sr)"
  echo "software: $("$java" -version 2>&1 | head -n 1), $(${NATS_SERVER:-nats-server} --version 2>/dev/null || /usr/sbin/nats-server --version), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (+ local changes)')"
  echo "load average (1 min) when the run started: $(load)${quick:+; --quick smoke run: these numbers mean nothing}"
  echo "how: bench/run.sh (make bench); toolkit = JMH, 1 fork, 3×1 s warm-up, 5×1 s measured; system = app jars as child JVMs on one nats-server -js (file store), load from raw sockets in the harness JVM"
} > "$tmp/context.txt"
if awk -v l="$(load)" 'BEGIN { exit !(l > 1.5) }'; then
  echo "bench: load average is $(load): other work is running, the numbers will be noisy" >&2
fi

status=0
for part in "${parts[@]}"; do
  echo "== $part (load $(load))"
  t0=$(date +%s)
  # -Xmx: the JMH runner and the load generator; the measured JVMs get their own flags
  if ! "$java" -Xms512m -Xmx2g -cp "$jar" io.anomalyflow.bench.BenchMain "$part" $quick; then
    echo "bench: the $part part failed" >&2
    status=1
  fi
  echo "== $part took $(( $(date +%s) - t0 )) s"
done
echo "load average (1 min) when the run ended: $(load); whole run $(( $(date +%s) - start )) s" >> "$tmp/context.txt"

"$java" -cp "$jar" io.anomalyflow.bench.BenchMain report || status=1
echo
echo "bench: table written to bench/results/latest.md (raw JMH results and logs: $tmp/)"
exit $status
