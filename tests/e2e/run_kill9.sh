#!/bin/bash
# run_kill9.sh — a run killed with SIGKILL in the middle loses and duplicates
# nothing: 200 units (sim-weak, todo and bbs db tasks x 100 trials) against
# the simulator running as its own process with 20 ms latency; the run is
# killed once at least 40 units are stored, then rerun with the same
# arguments; every unit must be in the store exactly once, the rerun must skip
# exactly the units stored before the kill, and the store must be intact.
set -u
B=${BB_BIN:?}
cd "${BB_ROOT:?}"
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); echo "not ok $n - $1"; }
tmp=$(mktemp -d)
sim_pid=
run_pid=
cleanup() {
  [ -n "$run_pid" ] && kill "$run_pid" 2>/dev/null
  [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

start_sim() { # latency_ms
  : >"$tmp/sim.out"
  "$B" sim --port 0 --answers "$tmp/answers.json" --latency-ms "$1" >"$tmp/sim.out" 2>&1 &
  sim_pid=$!
  local i
  for i in $(seq 1 100); do
    port=$(sed -n 's/^listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/sim.out")
    [ -n "$port" ] && return 0
    sleep 0.1
  done
  return 1
}

"$B" demo --answers "$tmp/answers.json" >/dev/null || { nok "answer key written"; exit 1; }
start_sim 20 || { nok "simulator started"; exit 1; }
ok "simulator running as its own process on port $port"

args=(run --server sim --endpoint "http://127.0.0.1:$port" --model sim-weak --projects todo,bbs --phases db --trials 100
      --concurrency 8 --store "$tmp/run.db" --json)
"$B" "${args[@]}" >"$tmp/first.jsonl" 2>"$tmp/first.err" &
run_pid=$!
killed=0
for i in $(seq 1 600); do
  done_units=$(grep -c '"event":"unit"' "$tmp/first.jsonl" 2>/dev/null)
  if [ "${done_units:-0}" -ge 40 ]; then
    kill -9 "$run_pid" && killed=1
    break
  fi
  kill -0 "$run_pid" 2>/dev/null || break
  sleep 0.05
done
wait "$run_pid" 2>/dev/null
status=$?
run_pid=
if [ "$killed" -eq 1 ] && [ "$status" -eq 137 ]; then ok "run killed with SIGKILL after $done_units units"; else
  nok "run killed with SIGKILL in the middle (killed=$killed, exit $status, $done_units units)"; fi

q() { sqlite3 "$tmp/run.db" "$1"; }
before=$(q "SELECT COUNT(*) FROM units")
if [ "$before" -ge 40 ] && [ "$before" -lt 200 ]; then ok "$before units stored before the kill"; else
  nok "units stored before the kill: $before (wanted 40..199)"; fi
[ "$(q 'PRAGMA integrity_check')" = ok ] && ok "store intact after the kill" || nok "store intact after the kill"
orphans=$(q "SELECT COUNT(*) FROM rounds WHERE unit_id NOT IN (SELECT id FROM units)")
[ "$orphans" = 0 ] && ok "no rounds without their unit" || nok "rounds without their unit: $orphans"

"$B" "${args[@]}" >"$tmp/second.jsonl" 2>"$tmp/second.err"
status=$?
[ "$status" -eq 0 ] && ok "rerun with the same arguments exits 0" || nok "rerun exits 0 (got $status)"
skipped=$(grep '"event":"end"' "$tmp/second.jsonl" | sed -n 's/.*"units_skipped":\([0-9]*\).*/\1/p')
redone=$(grep -c '"event":"unit"' "$tmp/second.jsonl")
if [ "$skipped" = "$before" ] && [ $((skipped + redone)) -eq 200 ]; then
  ok "rerun skipped the $before stored units and ran the other $redone"
else
  nok "rerun skipped $skipped (wanted $before) and ran $redone (wanted $((200 - before)))"
fi
total=$(q "SELECT COUNT(*) FROM units")
distinct=$(q "SELECT COUNT(*) FROM (SELECT DISTINCT project, phase, task, trial FROM units)")
dups=$(q "SELECT COUNT(*) FROM (SELECT task, trial FROM units GROUP BY run_id, task, trial HAVING COUNT(*) > 1)")
expected=$(q "WITH RECURSIVE t(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM t WHERE k < 100)
  SELECT COUNT(*) FROM t, (SELECT 'todo/db' AS task UNION SELECT 'bbs/db') x
  WHERE NOT EXISTS (SELECT 1 FROM units u WHERE u.task = x.task AND u.trial = t.k)")
if [ "$total" = 200 ] && [ "$distinct" = 200 ] && [ "$dups" = 0 ] && [ "$expected" = 0 ]; then
  ok "every unit finished exactly once (200 units, no duplicate, none missing)"
else
  nok "units: $total stored, $distinct distinct, $dups duplicated keys, $expected missing"
fi
norounds=$(q "SELECT COUNT(*) FROM units u WHERE NOT EXISTS (SELECT 1 FROM rounds r WHERE r.unit_id = u.id)")
[ "$norounds" = 0 ] && ok "every unit has its rounds" || nok "units without rounds: $norounds"
[ "$(q 'SELECT COUNT(*) FROM runs')" = 1 ] && ok "both invocations wrote one run" || nok "one run in the store"
[ "$(q 'SELECT COUNT(*) FROM runs WHERE ended_at IS NOT NULL')" = 1 ] && ok "the run is marked finished" ||
  nok "the run is marked finished"
