#!/bin/bash
# run_shard_merge.sh — sharded runs merged equal one unsharded run: the same
# units (project, phase, task, trial) with the same outcomes and rounds, no
# duplicates; merging again adds nothing; shards taken from Slurm array and
# Kubernetes Indexed Job variables equal --shard; merge refuses bad usage.
# The simulator runs as its own process (backbench sim).
set -u
B=${BB_BIN:?}
cd "${BB_ROOT:?}"
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); echo "not ok $n - $1"; }
tmp=$(mktemp -d)
sim_pid=
trap '[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null; rm -rf "$tmp"' EXIT

"$B" demo --answers "$tmp/answers.json" >/dev/null || { nok "answer key written"; exit 1; }
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

common=(run --server sim --endpoint "http://127.0.0.1:$port" --model sim-sloppy --projects todo,bbs --phases db,api --trials 6 --concurrency 8
        --quiet)
units() { sqlite3 "$1" "SELECT project || '|' || phase || '|' || task || '|' || trial || '|' || outcome || '|' || rounds
                         FROM units ORDER BY project, phase, task, trial"; }

"$B" "${common[@]}" --store "$tmp/all.db" 2>"$tmp/all.err" || nok "unsharded run"
for i in 0 1 2; do
  "$B" "${common[@]}" --store "$tmp/s$i.db" --shard "$i/3" 2>"$tmp/s$i.err" || nok "shard $i/3"
done
all=$(sqlite3 "$tmp/all.db" "SELECT COUNT(*) FROM units")
[ "$all" = 24 ] && ok "unsharded run: 24 units" || nok "unsharded run: $all units (wanted 24)"
sum=0
empty=0
for i in 0 1 2; do
  c=$(sqlite3 "$tmp/s$i.db" "SELECT COUNT(*) FROM units")
  sum=$((sum + c))
  [ "$c" -eq 0 ] && empty=1
done
[ "$sum" = 24 ] && [ "$empty" = 0 ] && ok "three non-empty shards hold 24 units together" ||
  nok "shards hold $sum units (wanted 24, none empty)"
overlap=$(for i in 0 1 2; do sqlite3 "$tmp/s$i.db" "SELECT task || '#' || trial FROM units"; done | sort | uniq -d | wc -l)
[ "$overlap" = 0 ] && ok "shards are disjoint" || nok "$overlap units in more than one shard"

"$B" merge "$tmp/s0.db" "$tmp/s1.db" "$tmp/s2.db" -o "$tmp/merged.db" >"$tmp/merge.out" 2>&1 &&
  ok "merge of three shards" || nok "merge of three shards: $(cat "$tmp/merge.out")"
if [ "$(units "$tmp/merged.db")" = "$(units "$tmp/all.db")" ]; then
  ok "merged store has the unsharded run's units, outcomes and rounds"
else
  nok "merged store differs from the unsharded run"; diff <(units "$tmp/merged.db") <(units "$tmp/all.db") | head
fi
r1=$(sqlite3 "$tmp/merged.db" "SELECT COUNT(*) FROM rounds")
r2=$(sqlite3 "$tmp/all.db" "SELECT COUNT(*) FROM rounds")
[ "$r1" = "$r2" ] && ok "merged rounds: $r1, as unsharded" || nok "merged rounds $r1, unsharded $r2"
[ "$(sqlite3 "$tmp/merged.db" "SELECT COUNT(*) FROM runs WHERE server_kind = 'sim'")" = 1 ] && ok "the shards' runs merged into one run" ||
  nok "one run after merge"
"$B" merge "$tmp/s0.db" "$tmp/s1.db" "$tmp/s2.db" -o "$tmp/merged.db" >"$tmp/merge2.out" 2>&1
c=$(sqlite3 "$tmp/merged.db" "SELECT COUNT(*) FROM units")
grep -q "0 units added from 3 stores" "$tmp/merge2.out" && [ "$c" = 24 ] && ok "merging again adds nothing" ||
  nok "merging again: $c units, $(tail -1 "$tmp/merge2.out")"

# the environment of array jobs selects the same shards
SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_COUNT=3 SLURM_ARRAY_TASK_MIN=1 "$B" "${common[@]}" --store "$tmp/slurm.db" 2>/dev/null
JOB_COMPLETION_INDEX=1 BACKBENCH_SHARDS=3 "$B" "${common[@]}" --store "$tmp/k8s.db" 2>/dev/null
JOB_COMPLETION_INDEX=2 "$B" "${common[@]}" --shards 3 --store "$tmp/k8s2.db" 2>/dev/null
[ "$(units "$tmp/slurm.db")" = "$(units "$tmp/s1.db")" ] && ok "Slurm array task 2 of 1-3 is shard 1/3" ||
  nok "Slurm array task 2 of 1-3 is shard 1/3"
[ "$(units "$tmp/k8s.db")" = "$(units "$tmp/s1.db")" ] && ok "JOB_COMPLETION_INDEX=1 with BACKBENCH_SHARDS=3 is shard 1/3" ||
  nok "JOB_COMPLETION_INDEX=1 with BACKBENCH_SHARDS=3 is shard 1/3"
[ "$(units "$tmp/k8s2.db")" = "$(units "$tmp/s2.db")" ] && ok "JOB_COMPLETION_INDEX=2 with --shards 3 is shard 2/3" ||
  nok "JOB_COMPLETION_INDEX=2 with --shards 3 is shard 2/3"
JOB_COMPLETION_INDEX=1 "$B" "${common[@]}" --store "$tmp/x.db" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q BACKBENCH_SHARDS "$tmp/err" && ok "JOB_COMPLETION_INDEX without a count is refused" ||
  nok "JOB_COMPLETION_INDEX without a count is refused"

# merge usage
"$B" merge "$tmp/s0.db" >/dev/null 2>&1; [ $? -eq 2 ] && ok "merge without -o: usage (2)" || nok "merge without -o"
"$B" merge "$tmp/merged.db" -o "$tmp/merged.db" >/dev/null 2>&1; [ $? -eq 2 ] && ok "merge into an input: usage (2)" ||
  nok "merge into an input"
"$B" merge "$tmp/nonexistent.db" -o "$tmp/m3.db" >/dev/null 2>&1; [ $? -eq 1 ] && ok "merge of a missing store fails (1)" ||
  nok "merge of a missing store fails"
echo "not a database" >"$tmp/junk.db"
"$B" merge "$tmp/junk.db" -o "$tmp/m4.db" >/dev/null 2>&1; [ $? -eq 1 ] && ok "merge of a non-store fails (1)" ||
  nok "merge of a non-store fails"
