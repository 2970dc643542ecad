#!/bin/bash
# run.sh — runs every libFuzzer target built by `make fuzz` for a fixed time.
#
# Usage: tests/fuzz/run.sh SECONDS [TARGET...]
# Each target runs with its seed corpus directory tests/fuzz/corpus/<target>
# (if present) plus a scratch corpus under build/fuzz/corpus/<target>, and the
# sanitizers of the fuzz build. It prints libFuzzer's final stats line
# (executions, executions per second) per target; any crash, leak or timeout
# makes the script fail and leaves the reproducer in build/fuzz/.
set -u
SECS=${1:?usage: tests/fuzz/run.sh SECONDS [TARGET...]}
shift
cd "$(dirname "$0")/../.."
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for t in build/fuzz/fuzz_*; do [ -x "$t" ] && targets+=("$(basename "$t")"); done
fi
status=0
for t in "${targets[@]}"; do
  mkdir -p "build/fuzz/corpus/$t"
  seeds=()
  [ -d "tests/fuzz/corpus/$t" ] && seeds+=("tests/fuzz/corpus/$t")
  log="build/fuzz/$t.log"
  echo "== $t for ${SECS}s (log $log)"
  "build/fuzz/$t" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="build/fuzz/$t-" "build/fuzz/corpus/$t" "${seeds[@]}" >"$log" 2>&1
  rc=$?
  grep -E '^stat::number_of_executed_units|^stat::average_exec_per_sec|^stat::peak_rss_mb' "$log" | sed 's/^/   /'
  if [ $rc -ne 0 ]; then
    echo "   FAILED (exit $rc):"; grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -5 | sed 's/^/   /'
    status=1
  fi
done
exit $status
