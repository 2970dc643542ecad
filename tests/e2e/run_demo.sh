#!/bin/bash
# run_demo.sh — the acceptance of `backbench demo` (issues 5 and 6), read
# from the report's summary.json: every phase's tasks run (impl and test
# ones too); sim-perfect >= 95 on the DB, API and Logic axes; sim-sloppy
# first-try validity under 50% and final validity >= 95%; sim-weak more than
# one round on average; sim-broken 0; perfect >= sloppy > weak > broken on
# every axis; intervals present; sim-faulty's faults never charged to it. Also:
# the report files exist, a rerun into a named store resumes (runs nothing).
set -u
B=${BB_BIN:?}
cd "${BB_ROOT:?}"
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); echo "not ok $n - $1"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$B" demo --out "$tmp/report" --trials 2 --quiet >"$tmp/out" 2>"$tmp/err"
status=$?
[ "$status" -eq 0 ] && ok "demo exits 0" || { nok "demo exits 0 (got $status): $(tail -3 "$tmp/err")"; exit 1; }
grep -q "report: $tmp/report/index.html" "$tmp/out" && ok "demo prints where the report is" ||
  nok "demo prints where the report is"
for f in index.html summary.json leaderboard.md leaderboard.csv; do
  [ -s "$tmp/report/$f" ] && ok "report has $f" || nok "report has $f"
done
S="$tmp/report/summary.json"
e() { jq -r --arg m "$1" ".entries[] | select(.model == \$m) | $2" "$S"; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 >= b + 0) }'; }
gt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 > b + 0) }'; }

models=$(jq -r '[.entries[].model] | sort | join(",")' "$S")
[ "$models" = "sim-broken,sim-faulty,sim-perfect,sim-sloppy,sim-weak" ] && ok "five simulated models reported" ||
  nok "models reported: $models"
"$B" demo --answers "$tmp/answers.json" >/dev/null 2>&1
ntasks=$(jq 'length' "$tmp/answers.json"); nlogic=$(jq '[keys[] | select(test("/(impl|test)/"))] | length' "$tmp/answers.json")
ntest=$(jq '[keys[] | select(test("/test/"))] | length' "$tmp/answers.json")
gt "$nlogic" 100 && gt "$ntest" 10 && ok "$ntasks tasks with answer keys, $nlogic of them impl/test ($ntest test)" ||
  nok "$ntasks tasks with answer keys, $nlogic of them impl/test ($ntest test)"
units=$(jq -r '.units' "$S")
[ "$units" = $((ntasks * 10)) ] && ok "$units units ($ntasks tasks x 2 trials x 5 models)" ||
  nok "units: $units (wanted $((ntasks * 10)))"

ft=$(e sim-sloppy .harness.first_try); fin=$(e sim-sloppy .harness.final)
gt 0.5 "$ft" && ok "sim-sloppy first-try validity $ft < 0.5" || nok "sim-sloppy first-try validity $ft < 0.5"
ge "$fin" 0.95 && ok "sim-sloppy final validity $fin >= 0.95" || nok "sim-sloppy final validity $fin >= 0.95"
rm_weak=$(e sim-weak .harness.rounds_mean)
gt "$rm_weak" 1 && ok "sim-weak needs $rm_weak rounds on average (> 1)" || nok "sim-weak rounds $rm_weak > 1"
[ "$(e sim-broken .harness.final)" = 0 ] && ok "sim-broken never valid" || nok "sim-broken never valid"
[ "$(e sim-faulty .harness.final)" = 1 ] && ok "sim-faulty valid after the client's retries" ||
  nok "sim-faulty final validity $(e sim-faulty .harness.final)"
fails=$(e sim-faulty .harness.outcomes.failed_invalid)
[ "$fails" = 0 ] && ok "sim-faulty's faults never charged to the model" || nok "sim-faulty failed_invalid $fails"

unscored=$(sqlite3 "$tmp/report/demo.db" "SELECT COUNT(*) FROM units WHERE score IS NULL AND outcome <> 'failed_infra'")
[ "$unscored" = 0 ] && ok "every unit is scored" || nok "$unscored units unscored"
for axis in db api logic; do
  p=$(e sim-perfect ".axes.$axis.mean"); s=$(e sim-sloppy ".axes.$axis.mean")
  w=$(e sim-weak ".axes.$axis.mean"); b=$(e sim-broken ".axes.$axis.mean")
  ge "$p" 95 && ok "sim-perfect $p >= 95 on $axis" || nok "sim-perfect $p >= 95 on $axis"
  [ "$b" = 0 ] && ok "sim-broken scores 0 on $axis" || nok "sim-broken scores $b on $axis"
  ge "$p" "$s" && gt "$s" "$w" && gt "$w" "$b" && ok "perfect $p >= sloppy $s > weak $w > broken $b on $axis" ||
    nok "perfect $p >= sloppy $s > weak $w > broken $b on $axis"
  lo=$(e sim-weak ".axes.$axis.lo"); hi=$(e sim-weak ".axes.$axis.hi")
  ge "$w" "$lo" && ge "$hi" "$w" && ok "sim-weak $axis interval [$lo, $hi] holds its mean" ||
    nok "sim-weak $axis interval [$lo, $hi] around $w"
done

# a named store resumes: the second demo runs no unit
"$B" demo --out "$tmp/r2" --store "$tmp/named.db" --trials 1 --models sim-perfect --projects todo --phases db,api \
  --json >"$tmp/j1" 2>/dev/null
"$B" demo --out "$tmp/r2" --store "$tmp/named.db" --trials 1 --models sim-perfect --projects todo --phases db,api \
  --json >"$tmp/j2" 2>/dev/null
u1=$(grep -c '"event":"unit"' "$tmp/j1"); u2=$(grep -c '"event":"unit"' "$tmp/j2")
[ "$u1" = 2 ] && [ "$u2" = 0 ] && ok "a demo into a named store resumes ($u1 then $u2 units run)" ||
  nok "a demo into a named store resumes ($u1 then $u2 units run)"
"$B" demo --models gpt-5 >/dev/null 2>&1; [ $? -eq 2 ] && ok "demo refuses a model that is not simulated" ||
  nok "demo refuses a model that is not simulated"
