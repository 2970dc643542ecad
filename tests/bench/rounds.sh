#!/bin/bash
# rounds.sh — runner throughput against the zero-latency simulator (issue 3):
# rounds per second and client CPU per round of `bench_run` at concurrency 64
# (harness with repair, validation, semantic checks, scoring, store), beside
# `curl --parallel --parallel-max 64` sending the same request bodies (the
# first-round body of every task, each as often as the run sends it) to the
# same simulator, which runs as its own process. Prints both and the ratio
# backbench/curl (target >= 0.8). Nothing is asserted.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BB_BUILD:-$PWD/build/rel}
TRIALS=${BENCH_ROUNDS_TRIALS:-40}
B="$BUILD/backbench"
P="$BUILD/bench/bench_rounds"
[ -x "$B" ] && [ -x "$P" ] || { echo "rounds: $B or $P missing (make bench-build)" >&2; exit 1; }
command -v curl >/dev/null || { echo "rounds: skipped (no curl)"; exit 0; }
tmp=$(mktemp -d)
sim_pid=
trap '[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null; [ -z "${KEEP:-}" ] && rm -rf "$tmp"' EXIT
"$B" demo --answers "$tmp/answers.json" >/dev/null || exit 1
: >"$tmp/sim.out"
"$B" sim --port 0 --answers "$tmp/answers.json" --latency-ms 0 >"$tmp/sim.out" 2>&1 &
sim_pid=$!
port=
for i in $(seq 1 100); do
  port=$(sed -n 's/^listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/sim.out")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "rounds: simulator did not start" >&2; exit 1; }
url="http://127.0.0.1:$port"

"$P" "$url/v1" "$tmp" "$TRIALS" >"$tmp/bb.txt" || exit 1
get() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }
rounds=$(get rounds "$tmp/bb.txt")

# the same bodies, each task TRIALS times, in the run's order (trial-major)
: >"$tmp/curl.cfg"
for t in $(seq 1 "$TRIALS"); do
  while read -r idx task; do
    [ -s "$tmp/curl.cfg" ] && echo next >>"$tmp/curl.cfg"
    printf 'url = "%s/v1/chat/completions"\ndata-binary = "@%s/%s.json"\nheader = "Content-Type: application/json"\nheader = "X-Backbench-Task: %s"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\n' \
      "$url" "$tmp" "$idx" "$task" >>"$tmp/curl.cfg"
  done <"$tmp/tasks.txt"
done
n_curl=$(grep -c '^url' "$tmp/curl.cfg")
/usr/bin/time -f "%e %U %S" -o "$tmp/curl.time" curl -s --parallel --parallel-max 64 -K "$tmp/curl.cfg" \
  >"$tmp/curl.codes" 2>"$tmp/curl.err" || { echo "rounds: curl failed" >&2; exit 1; }
ok200=$(grep -c '^200$' "$tmp/curl.codes")
read -r cw cu cs <"$tmp/curl.time"
bbw=$(get wall_s "$tmp/bb.txt"); bbc=$(get cpu_s "$tmp/bb.txt")
hr=$(get harness_rounds "$tmp/bb.txt"); hw=$(get harness_wall_s "$tmp/bb.txt"); hc=$(get harness_cpu_s "$tmp/bb.txt")
awk -v r="$rounds" -v bw="$bbw" -v bc="$bbc" -v n="$n_curl" -v ok="$ok200" -v cw="$cw" -v cu="$cu" -v cs="$cs" \
    -v hr="$hr" -v hw="$hw" -v hc="$hc" -v load="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
  printf "   %d rounds (8 tasks x %d trials, sim-perfect), concurrency 64, zero-latency simulator in its own process\n", r, r / 8
  printf "   backbench run:  %8.1f rounds/s   client CPU %6.2f ms/round   (%.2f s wall, %.2f s CPU)\n", r / bw, bc * 1000 / r, bw, bc
  printf "   curl --parallel: %7.1f requests/s  client CPU %6.2f ms/request (%.2f s wall, %.2f s CPU; %d of %d answered 200)\n", n / cw, (cu + cs) * 1000 / n, cw, cu + cs, ok, n
  printf "   harness loop alone: %5.1f rounds/s   client CPU %6.2f ms/round   (%.2f s wall, %.2f s CPU; no scoring, no store)\n", hr / hw, hc * 1000 / hr, hw, hc
  printf "   ratio backbench/curl throughput: %.2f run, %.2f harness alone (target >= 0.8); load average %s\n", (r / bw) / (n / cw), (hr / hw) / (n / cw), load
}'
