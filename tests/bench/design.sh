#!/bin/bash
# design.sh — issue 4's benchmark: the time to load, check and compile the
# largest gold API and DB designs and the largest AutoBe samples, stage by
# stage (bench_design), beside ajv 8 validating the same document against
# the same schema (bench_design.js). Ratios: ajv validate time / backbench
# validate time (> 1: backbench faster), and ajv validate time / backbench's
# whole pipeline (parse + validate + check + emit [+ SQLite]).
set -u
cd "$(dirname "$0")/../.."
BUILD=${BB_BUILD:-$PWD/build/rel}
SHARED=${BB_SHARED:-$(cd .. && pwd)/shared}
SECS=${BENCH_SECONDS:-1}
if ! command -v node >/dev/null 2>&1 || [ ! -d tests/oracles/node_modules/ajv ]; then
  echo "design: node or ajv missing (run scripts/oracles.sh)" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
largest() { ls -S $1 2>/dev/null | head -1; }
cases=(
  "api projects/shopping/gold/api.json projects/shopping/gold/db.json"
  "db projects/shopping/gold/db.json"
  "api $(largest "$SHARED/data/autobe-oct2025/*/*/*/autobe/document.json")"
  "db $(largest "$SHARED/data/autobe-oct2025/*/*/*/autobe/prisma.json")"
)
printf '   %-4s %-70s %8s %9s %9s %9s %9s %9s | %9s %7s %7s\n' phase file KB parse validate check emit pipeline \
  ajv_valid ratio_v ratio_p
for c in "${cases[@]}"; do
  set -- $c
  phase=$1 file=$2 gold=${3:-}
  [ -f "$file" ] || { echo "   $phase: missing $file"; continue; }
  "$BUILD/bench/bench_design" "$phase" "$file" "$gold" "$SECS" >"$tmp/bb.txt" || { echo "   bench_design failed on $file"; exit 1; }
  node tests/bench/bench_design.js "schemas/$phase.schema.json" "$file" "$SECS" >"$tmp/ajv.txt" || exit 1
  get() { awk -v k="$1" '$1 == k { print $2 }' "$tmp/bb.txt" "$tmp/ajv.txt"; }
  v=$(get validate_ms) p=$(get pipeline_ms) a=$(get ajv_validate_ms)
  printf '   %-4s %-70s %8d %9s %9s %9s %9s %9s | %9s %7.2f %7.2f\n' "$phase" "${file#$SHARED/data/}" \
    $(( $(get bytes) / 1024 )) "$(get parse_ms)" "$v" "$(get check_ms)" "$(get emit_ms)" "$p" "$a" \
    "$(awk -v a="$a" -v b="$v" 'BEGIN { print (b > 0 ? a / b : 0) }')" \
    "$(awk -v a="$a" -v b="$p" 'BEGIN { print (b > 0 ? a / b : 0) }')"
  if [ "$(get validate_ok)" != "$(get ajv_ok)" ]; then
    echo "   verdicts differ on $file: backbench $(get validate_ok), ajv $(get ajv_ok)" >&2
  fi
done
echo "   (times in ms per run; ratio_v = ajv validate / backbench validate; ratio_p = ajv validate / backbench pipeline)"
