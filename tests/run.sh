#!/bin/bash
# run.sh — runs every test of one build and prints one summary line.
#
# Usage: tests/run.sh BUILD_DIR   (e.g. build/asan)
# Unit test programs (BUILD_DIR/tests/test_*) are cmocka programs run with TAP
# output; end-to-end scripts (tests/e2e/*.sh) print TAP lines too ("ok N -
# name" / "not ok N - name"). Every "ok" counts as passed, every "not ok" as
# failed; a program that exits non-zero without a "not ok" line (a crash, a
# sanitizer report) counts as one failure. The last line is
# "tests: N passed, N failed". Exit status 0 only when nothing failed.
# Set TESTS=pattern to run only programs whose name contains it.
set -u
BUILD=${1:?usage: tests/run.sh BUILD_DIR}
cd "$(dirname "$0")/.."
export BB_BIN="$PWD/$BUILD/backbench"
export BB_BUILD="$PWD/$BUILD"
export BB_ROOT="$PWD"
export BB_SHARED="${BB_SHARED:-$(cd .. && pwd)/shared}"
export CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
pass=0
fail=0
failed_names=()
logdir="$BUILD/test-logs"
mkdir -p "$logdir"

run_one() { # name, command...
  local name=$1; shift
  local log="$logdir/$name.log"
  local start=$SECONDS
  "$@" >"$log" 2>&1
  local rc=$?
  local p f
  p=$(grep -cE '^ok ' "$log")
  f=$(grep -cE '^not ok ' "$log")
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  pass=$((pass + p))
  fail=$((fail + f))
  if [ "$f" -gt 0 ]; then
    failed_names+=("$name")
    echo "FAIL $name ($p passed, $f failed, exit $rc, $((SECONDS - start))s): log $log"
    grep -E '^not ok |ERROR|error:|runtime error|Sanitizer' "$log" | head -20 | sed 's/^/    /'
  else
    echo "ok   $name ($p passed, $((SECONDS - start))s)"
  fi
}

for t in "$BUILD"/tests/test_*; do
  [ -x "$t" ] || continue
  n=$(basename "$t")
  case "$n" in *"${TESTS:-}"*) ;; *) continue ;; esac
  run_one "$n" "$t"
done
for s in tests/e2e/*.sh; do
  [ -f "$s" ] || continue
  n=$(basename "$s" .sh)
  case "$n" in *"${TESTS:-}"*) ;; *) continue ;; esac
  run_one "e2e_$n" bash "$s"
done
if [ "${#failed_names[@]}" -gt 0 ]; then
  echo "failed: ${failed_names[*]}"
fi
echo "tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
