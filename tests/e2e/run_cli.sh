#!/bin/bash
# run_cli.sh — `backbench run` as a user meets it: usage errors and their
# exit statuses, chained mode refused with "not yet", unknown projects and
# phases named, --plan listing units and prompt sizes without a server, the
# answer key of `demo --answers`, plain progress lines vs --json events vs
# --quiet, and the budget stop reported in words and in the store.
set -u
B=${BB_BIN:?}
cd "${BB_ROOT:?}"
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); echo "not ok $n - $1"; }
tmp=$(mktemp -d)
sim_pid=
trap '[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
status_is() { # expected, description, command...
  local want=$1 d=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" -eq "$want" ]; then ok "$d (exit $got)"; else nok "$d (exit $got, wanted $want)"; fi
}

status_is 2 "run without --model" "$B" run --endpoint http://127.0.0.1:9
status_is 2 "run without --endpoint" "$B" run --model m
status_is 2 "run --trials 0" "$B" run --endpoint http://127.0.0.1:9 --model m --trials 0
status_is 2 "run --harness bogus" "$B" run --endpoint http://127.0.0.1:9 --model m --harness bogus
status_is 2 "run --shard 3/3" "$B" run --endpoint http://127.0.0.1:9 --model m --shard 3/3
status_is 2 "run --mode chained" "$B" run --endpoint http://127.0.0.1:9 --model m --mode chained
grep -q "not implemented yet" "$tmp/err" && ok "chained mode: a clear 'not yet'" || nok "chained mode message"
status_is 2 "run --projects nosuch" "$B" run --endpoint http://127.0.0.1:9 --model m --projects todo,nosuch
grep -q "unknown project: nosuch" "$tmp/err" && ok "the unknown project is named" || nok "unknown project named"
status_is 2 "run --phases with an unknown phase" "$B" run --endpoint http://127.0.0.1:9 --model m --phases db,frob
status_is 2 "run --extra that is not a JSON object" "$B" run --endpoint http://127.0.0.1:9 --model m --extra '[1]'
grep -q "must be a JSON object" "$tmp/err" && ok "--extra: the reason is given" || nok "--extra: the reason is given"
status_is 2 "demo --models ''" "$B" demo --models '' --out "$tmp/never"
status_is 2 "run --server nosuch" "$B" run --server nosuch --model m
status_is 0 "run --plan (default phases)" "$B" run --model m --plan --trials 1
logic=$(grep -cE '^(bbs|reddit|shopping|todo)/(impl|test)/' "$tmp/out")
design=$(grep -cE '^(bbs|reddit|shopping|todo)/(db|api) ' "$tmp/out")
[ "$design" = 8 ] && [ "$logic" -gt 100 ] && ok "--plan lists all four phases by default ($design design, $logic logic tasks)" ||
  nok "--plan default phases: $design design, $logic logic tasks"
status_is 0 "run --plan" "$B" run --model m --plan --trials 3 --shard 1/2 --phases db,api
tasks=$(grep -cE '^(bbs|reddit|shopping|todo)/(db|api) ' "$tmp/out")
[ "$tasks" = 8 ] && ok "--plan lists 8 tasks" || nok "--plan lists $tasks tasks"
grep -qE '^[0-9]+ units in shard 1/2 \(8 tasks x 3 trials in all\)' "$tmp/out" && ok "--plan counts the shard's units" ||
  nok "--plan summary: $(tail -1 "$tmp/out")"

status_is 0 "demo --answers writes the key" "$B" demo --answers "$tmp/answers.json" --phases db,api
keys=$(jq -r 'keys | join(",")' "$tmp/answers.json")
[ "$keys" = "bbs/api,bbs/db,reddit/api,reddit/db,shopping/api,shopping/db,todo/api,todo/db" ] &&
  ok "answer key ids are the task ids" || nok "answer key ids: $keys"
jq -e --slurpfile g projects/todo/gold/db.json '.["todo/db"] == $g[0]' "$tmp/answers.json" >/dev/null &&
  ok "answer for todo/db is the gold DB" || nok "answer for todo/db is the gold DB"

: >"$tmp/sim.out"
"$B" sim --port 0 --answers "$tmp/answers.json" >"$tmp/sim.out" 2>&1 &
sim_pid=$!
port=
for i in $(seq 1 100); do
  port=$(sed -n 's/^listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/sim.out")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { nok "simulator started"; exit 1; }
base=(run --endpoint "http://127.0.0.1:$port" --projects todo --phases db,api --concurrency 2)

status_is 0 "plain progress lines" "$B" "${base[@]}" --model sim-perfect --store "$tmp/a.db"
lines=$(grep -c 'todo/\(db\|api\) trial 1: first_try_valid, 1 round, score 100.0' "$tmp/err")
[ "$lines" = 2 ] && ok "one plain line per unit with outcome and score" || nok "plain unit lines: $lines"
grep -q 'already in the store' "$tmp/err" && ok "summary line" || nok "summary line"
status_is 0 "rerun resumes" "$B" "${base[@]}" --model sim-perfect --store "$tmp/a.db"
grep -q '0 units done .* 2 already in the store' "$tmp/err" && ok "rerun ran nothing: 2 already in the store" ||
  nok "rerun summary: $(grep units "$tmp/err")"
status_is 0 "--quiet" "$B" "${base[@]}" --model sim-sloppy --store "$tmp/q.db" --quiet
[ "$(wc -l <"$tmp/err")" = 1 ] && ok "--quiet prints only the summary" || nok "--quiet printed $(wc -l <"$tmp/err") lines"
status_is 0 "--json" "$B" "${base[@]}" --model sim-weak --store "$tmp/j.db" --json --trials 2
if jq -e -s 'map(.event) == ["plan","unit","unit","unit","unit","end"]' "$tmp/out" >/dev/null &&
   jq -e -s '.[-1].totals.units_done == 4 and .[-1].totals.stopped == null and ([.[] | select(.event == "unit") | .rounds] | add) == .[-1].totals.rounds' \
     "$tmp/out" >/dev/null; then
  ok "--json: plan, one event per unit, end; totals add up"
else
  nok "--json events: $(head -c 300 "$tmp/out")"
fi
status_is 0 "--max-tokens stops on the budget" "$B" "${base[@]}" --model sim-perfect --store "$tmp/b.db" --trials 20 \
  --max-tokens 30000 --json
stopped=$(jq -r -s '.[-1].totals.stopped' "$tmp/out")
done_units=$(jq -r -s '.[-1].totals.units_done' "$tmp/out")
stored=$(sqlite3 "$tmp/b.db" "SELECT COUNT(*) FROM units")
[ "$stopped" = budget ] && [ "$done_units" -lt 40 ] && [ "$stored" = "$done_units" ] &&
  ok "stopped: budget after $done_units of 40 units, all of them stored" ||
  nok "budget stop: stopped=$stopped done=$done_units stored=$stored"
jq -e -s '[.[] | select(.event == "stop")] | length == 1' "$tmp/out" >/dev/null && ok "one stop event" || nok "one stop event"
status_is 0 "--budget-usd with --price" "$B" "${base[@]}" --model sim-perfect --store "$tmp/c.db" --trials 20 \
  --budget-usd 0.02 --price 1,4
grep -q 'stopped: budget' "$tmp/err" && ok "the budget stop is reported in words" || nok "budget stop in words"
cost=$(sqlite3 "$tmp/c.db" "SELECT printf('%.4f', SUM(cost_usd)) FROM units")
awk -v c="$cost" 'BEGIN { exit !(c >= 0.02 && c < 0.2) }' && ok "spent \$$cost for a \$0.02 budget (in-flight units finish)" ||
  nok "spent $cost"
"$B" "${base[@]}" --model sim-perfect --store "$tmp/w.db" --trials 1 --budget-usd 1 >/dev/null 2>"$tmp/err"
grep -q "warning: no price for 'sim-perfect'" "$tmp/err" && ok "a dollar budget without a price is warned about" ||
  nok "a dollar budget without a price is warned about"

# SIGINT: no new unit starts, the ones in flight are stored, exit 1; the rerun completes the run
kill "$sim_pid"; wait "$sim_pid" 2>/dev/null
: >"$tmp/sim2.out"
"$B" sim --port 0 --answers "$tmp/answers.json" --latency-ms 300 >"$tmp/sim2.out" 2>&1 &
sim_pid=$!
port=
for i in $(seq 1 100); do
  port=$(sed -n 's/^listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/sim2.out")
  [ -n "$port" ] && break
  sleep 0.1
done
slow=(run --endpoint "http://127.0.0.1:$port" --model sim-perfect --projects todo --phases db --trials 40
      --concurrency 2 --store "$tmp/int.db" --json)
"$B" "${slow[@]}" >"$tmp/int.jsonl" 2>"$tmp/int.err" &
rp=$!
for i in $(seq 1 100); do
  [ "$(grep -c '"event":"unit"' "$tmp/int.jsonl")" -ge 2 ] && break
  sleep 0.1
done
kill -INT "$rp"
wait "$rp"
st=$?
events=$(grep -c '"event":"unit"' "$tmp/int.jsonl")
stored=$(sqlite3 "$tmp/int.db" "SELECT COUNT(*) FROM units")
if [ "$st" -eq 1 ] && grep -q '"event":"stop"' "$tmp/int.jsonl" &&
   [ "$(jq -r -s '.[-1].totals.stopped' "$tmp/int.jsonl")" = interrupted ] && [ "$stored" = "$events" ] &&
   [ "$stored" -lt 40 ]; then
  ok "SIGINT: stopped: interrupted, exit 1, $stored units stored = reported"
else
  nok "SIGINT: exit $st, $events unit events, $stored stored"
fi
"$B" "${slow[@]}" --concurrency 8 >"$tmp/int2.jsonl" 2>/dev/null
[ "$(sqlite3 "$tmp/int.db" "SELECT COUNT(*) FROM units")" = 40 ] && ok "the rerun after SIGINT completes the 40 units" ||
  nok "rerun after SIGINT"
