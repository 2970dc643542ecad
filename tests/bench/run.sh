#!/bin/bash
# run.sh — runs every benchmark of one build (make bench).
#
# Usage: tests/bench/run.sh BUILD_DIR
# Runs each BUILD_DIR/bench/bench_* program and each tests/bench/*.sh script
# (other than this one). Every benchmark prints its figures as a ratio against
# a named reference measured in the same run; nothing here asserts speed.
set -u
BUILD=${1:?usage: tests/bench/run.sh BUILD_DIR}
cd "$(dirname "$0")/../.."
export BB_BIN="$PWD/$BUILD/backbench"
export BB_BUILD="$PWD/$BUILD"
export BB_ROOT="$PWD"
export BB_SHARED="${BB_SHARED:-$(cd .. && pwd)/shared}"
status=0
echo "benchmarks on $(nproc) cores, $(date -u +%Y-%m-%dT%H:%M:%SZ), git $(git rev-parse --short HEAD 2>/dev/null)"
for b in "$BUILD"/bench/bench_*; do
  [ -x "$b" ] || continue
  echo "== $(basename "$b")"
  "$b" || { echo "   (failed: exit $?)"; status=1; }
done
for s in tests/bench/*.sh; do
  [ "$(basename "$s")" = run.sh ] && continue
  [ -f "$s" ] || continue
  echo "== $(basename "$s" .sh)"
  bash "$s" || { echo "   (failed: exit $?)"; status=1; }
done
exit $status
