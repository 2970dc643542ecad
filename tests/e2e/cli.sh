#!/bin/bash
# cli.sh — the command line as a user meets it: every subcommand's --help,
# exit statuses of validate and compile, the validate output golden file,
# --json output that parses, and compile of every gold design.
set -u
B=${BB_BIN:?}
cd "${BB_ROOT:?}"
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { # description, command...
  local d=$1; shift
  if "$@" >/dev/null 2>&1; then ok "$d"; else nok "$d"; fi
}
status_is() { # expected status, description, command...
  local want=$1 d=$2; shift 2
  "$@" >/dev/null 2>&1
  local got=$?
  if [ "$got" -eq "$want" ]; then ok "$d (exit $got)"; else nok "$d (exit $got, wanted $want)"; fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

status_is 0 "backbench --help" "$B" --help
status_is 2 "backbench with no command" "$B"
status_is 2 "backbench unknown command" "$B" frobnicate
for c in $("$B" --help | awk '/^commands:/{f=1;next} f && /^  [a-z]/{print $1}'); do
  if "$B" "$c" --help >"$tmp/help" 2>&1 && grep -q "usage: backbench $c" "$tmp/help"; then
    ok "$c --help prints its usage"
  else
    nok "$c --help prints its usage"
  fi
done

# validate: exit statuses
status_is 0 "validate a gold DB design" "$B" validate --ast db projects/todo/gold/db.json
status_is 0 "validate a gold API design against its DB" "$B" validate --ast api --db projects/todo/gold/db.json projects/todo/gold/api.json
status_is 1 "validate an API design against the wrong DB" "$B" validate --ast api --db projects/todo/gold/db.json projects/bbs/gold/api.json
status_is 1 "validate a broken DB design" "$B" validate --ast db tests/data/cli/sloppy_db.txt
status_is 2 "validate a missing file" "$B" validate --ast db /nonexistent/file.json
status_is 2 "validate with --ast and --schema" "$B" validate --ast db --schema schemas/db.schema.json projects/todo/gold/db.json
status_is 2 "validate with an unknown --ast" "$B" validate --ast nope projects/todo/gold/db.json
status_is 1 "validate prose with no JSON" bash -c "echo 'I cannot do that.' | '$B' validate --schema schemas/db.schema.json -"
status_is 0 "validate a repairable document (fence, comment, string boolean)" bash -c \
  "sed 's/Todo Users/todo_users/; s/\"material\": false,/\"material\": false, \"stance\": \"primary\",/' tests/data/cli/sloppy_db.txt | '$B' validate --ast db -"
status_is 1 "validate --mode raw refuses what repair would fix" bash -c \
  "sed 's/Todo Users/todo_users/; s/\"material\": false,/\"material\": false, \"stance\": \"primary\",/' tests/data/cli/sloppy_db.txt | '$B' validate --ast db --mode raw -"

# validate: the exact text a model would read
"$B" validate --ast db tests/data/cli/sloppy_db.txt >"$tmp/out.txt" 2>&1
if cmp -s "$tmp/out.txt" tests/data/cli/sloppy_db.expect.txt; then ok "validate output matches the golden file"
else nok "validate output matches the golden file"; diff "$tmp/out.txt" tests/data/cli/sloppy_db.expect.txt | head -20 | sed 's/^/# /'; fi
"$B" validate --ast db --json tests/data/cli/sloppy_db.txt >"$tmp/out.json" 2>/dev/null
if node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1]));
  if (r.verdict!=="invalid"||r.errors.length!==2||!r.feedback.includes("// ❌")||r.repairs.length!==4) process.exit(1)' "$tmp/out.json"
then ok "validate --json is JSON with verdict, repairs, errors, feedback"; else nok "validate --json is JSON with verdict, repairs, errors, feedback"; fi

# compile
for p in projects/*/; do
  p=${p%/}; name=${p#projects/}
  for to in sqlite postgres prisma mermaid; do
    check "compile $name db to $to" "$B" compile --ast db "$p/gold/db.json" --to "$to" -o "$tmp/$name.$to"
  done
  check "compile $name api to openapi" "$B" compile --ast api "$p/gold/api.json" --db "$p/gold/db.json" --to openapi -o "$tmp/$name.openapi.json"
  if node -e 'const d=JSON.parse(require("fs").readFileSync(process.argv[1])); if(d.openapi!=="3.1.0") process.exit(1)' "$tmp/$name.openapi.json"; then
    ok "$name openapi output is an OpenAPI 3.1 JSON document"; else nok "$name openapi output is an OpenAPI 3.1 JSON document"; fi
done
status_is 1 "compile refuses a design with errors" "$B" compile --ast db tests/data/cli/sloppy_db.txt --to sqlite
status_is 2 "compile refuses a target of the other AST" "$B" compile --ast db projects/todo/gold/db.json --to openapi
if [ ! -e "$tmp/refused.sql" ]; then
  "$B" compile --ast db tests/data/cli/sloppy_db.txt --to sqlite -o "$tmp/refused.sql" 2>/dev/null
  if [ ! -e "$tmp/refused.sql" ]; then ok "compile writes no file for a design with errors"; else nok "compile writes no file for a design with errors"; fi
fi

# call: one conversation against the simulator, started as a user would
node -e 'const fs=require("fs"); const d=JSON.parse(fs.readFileSync("projects/todo/gold/db.json"));
  fs.writeFileSync(process.argv[1], JSON.stringify({"todo/db": d}))' "$tmp/answers.json"
"$B" sim --port 0 --answers "$tmp/answers.json" >"$tmp/sim.out" 2>&1 &
simpid=$!
for _ in $(seq 50); do grep -q listening "$tmp/sim.out" && break; sleep 0.1; done
port=$(sed -n 's/.*127.0.0.1:\([0-9]*\).*/\1/p' "$tmp/sim.out")
if curl -sf "http://127.0.0.1:$port/health" | grep -q ok; then ok "sim answers /health"; else nok "sim answers /health"; fi
if curl -sf "http://127.0.0.1:$port/v1/models" | grep -q '"sim-weak"'; then ok "sim lists its models"; else nok "sim lists its models"; fi
"$B" call --endpoint "http://127.0.0.1:$port" --model sim-perfect --ast db --prompt "Design the todo database." \
  --task todo/db >"$tmp/call.txt" 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q "outcome: first_try_valid" "$tmp/call.txt"; then ok "call sim-perfect: first_try_valid"; else nok "call sim-perfect: first_try_valid (exit $rc)"; fi
"$B" call --endpoint "http://127.0.0.1:$port/v1" --model sim-weak --ast db --prompt "Design the todo database." \
  --task todo/db --stream >"$tmp/call.txt" 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q "outcome: feedback_valid" "$tmp/call.txt" && grep -q "^round 2:" "$tmp/call.txt"; then
  ok "call sim-weak (streamed, /v1 base): feedback_valid after more than one round"
else nok "call sim-weak (streamed, /v1 base): feedback_valid after more than one round (exit $rc)"; sed 's/^/# /' "$tmp/call.txt" | head; fi
"$B" call --endpoint "http://127.0.0.1:$port" --model sim-broken --ast db --prompt "Design it." --task todo/db \
  --rounds 3 >"$tmp/call.txt" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q "outcome: failed_" "$tmp/call.txt"; then ok "call sim-broken fails with exit 1"; else nok "call sim-broken fails with exit 1 (exit $rc)"; fi
"$B" call --endpoint "http://127.0.0.1:1" --model x --ast db --prompt "p" >"$tmp/call.txt" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q "outcome: failed_infra" "$tmp/call.txt"; then ok "call to a closed port: failed_infra"; else nok "call to a closed port: failed_infra (exit $rc)"; fi
kill "$simpid" 2>/dev/null
wait "$simpid" 2>/dev/null
