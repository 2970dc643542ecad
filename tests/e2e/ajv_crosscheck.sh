#!/bin/bash
# ajv_crosscheck.sh — backbench's validator must agree with ajv 8 on every
# verdict for the recursive-union expression schema.
#
# Generates 2,000 documents (valid and mutated) with tests/oracles/gen_expr.js
# from a fixed seed into a temporary directory (ajv gives each its verdict),
# then runs $BB_BUILD/tests/test_schema_ajv on them. Prints TAP lines; the
# disagreements, if any, are in the test program's output (shown on failure).
set -u
cd "$(dirname "$0")/../.."
BUILD=${BB_BUILD:-$PWD/build/asan}
n=0
tap() { n=$((n + 1)); echo "$1 $n - $2"; }
if ! command -v node >/dev/null 2>&1 || [ ! -d tests/oracles/node_modules/ajv ]; then
  echo "ok 1 # SKIP node or ajv missing (run scripts/oracles.sh)"
  exit 0
fi
if [ ! -x "$BUILD/tests/test_schema_ajv" ]; then
  tap "not ok" "test_schema_ajv built ($BUILD/tests/test_schema_ajv missing)"
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for seed in 42 7; do
  if node tests/oracles/gen_expr.js --seed "$seed" --count 1500 --out "$tmp/cases.jsonl" 2>"$tmp/gen.log"; then
    tap ok "gen_expr.js seed $seed: $(cat "$tmp/gen.log")"
  else
    tap "not ok" "gen_expr.js seed $seed failed: $(head -c 300 "$tmp/gen.log")"
    continue
  fi
  BB_AJV_CASES="$tmp/cases.jsonl" BB_AJV_SCHEMA=tests/data/schema/expr.schema.json \
    CMOCKA_MESSAGE_OUTPUT=STDOUT "$BUILD/tests/test_schema_ajv" >"$tmp/run.log" 2>&1
  rc=$?
  summary=$(grep -o 'ajv crosscheck: .*' "$tmp/run.log" | head -1)
  if [ "$rc" -eq 0 ] && [ -n "$summary" ]; then
    tap ok "seed $seed: $summary"
  else
    grep -E '^# |ERROR|error' "$tmp/run.log" | head -40
    tap "not ok" "seed $seed: backbench disagrees with ajv (${summary:-no summary}, exit $rc)"
  fi
done
