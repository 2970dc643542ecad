#!/bin/bash
# serve_text.sh — `backbench serve --project todo --impl FILE.txt` serves an
# implementation written in the text form of the Impl AST
# (tests/data/impl/text/todo_subset.txt: join, create and read a list); the
# operations the file does not implement answer 501. A text file with a
# syntax error is refused at start with its line and column. One TAP line per
# check.
set -u
cd "$(dirname "$0")/../.."
BB_BIN=${BB_BIN:-$PWD/build/asan/backbench}
if ! command -v curl >/dev/null 2>&1; then
  echo "# SKIP curl is not installed"
  exit 0
fi
if ! "$BB_BIN" serve --help >/dev/null 2>&1; then
  echo "# SKIP the serve subcommand is not registered in this build"
  exit 0
fi
dir=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
"$BB_BIN" serve --project todo --impl tests/data/impl/text/todo_subset.txt --port 0 >"$dir/out" 2>"$dir/err" &
pid=$!
port=
for _ in $(seq 1 100); do
  port=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$dir/out")
  [ -n "$port" ] && break
  sleep 0.1
done
n=0
failed=0
tap() { # ok(0/1) name
  n=$((n + 1))
  if [ "$1" -eq 1 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}
if [ -z "$port" ]; then
  tap 0 "server prints its port"
  sed 's/^/# /' "$dir/err" | head -20
  exit 1
fi
tap 1 "server listens on port $port"
base="http://127.0.0.1:$port"
# call METHOD PATH [BODY] [TOKEN]: sets $status and $body
call() {
  local args=(-s -o "$dir/body" -w '%{http_code}' -X "$1" "$base$2")
  [ $# -ge 3 ] && [ -n "$3" ] && args+=(-H 'Content-Type: application/json' --data-binary "$3")
  [ $# -ge 4 ] && [ -n "$4" ] && args+=(-H "Authorization: Bearer $4")
  status=$(curl "${args[@]}")
  body=$(cat "$dir/body")
}
field() { # first "name":"value" string in $body
  printf '%s' "$body" | grep -o "\"$1\":\"[^\"]*\"" | head -1 | sed "s/^\"$1\":\"//; s/\"\$//"
}
has() { case "$body" in *"$1"*) return 0 ;; *) return 1 ;; esac; }
check() { # expected-status name [substring...]
  local want=$1 name=$2 ok=1
  shift 2
  [ "$status" = "$want" ] || ok=0
  for s in "$@"; do has "$s" || ok=0; done
  tap $ok "$name (status $status)"
  [ $ok -eq 1 ] || echo "# body: ${body:0:300}"
}

call POST /auth/user/join '{"email":"Ann@Example.com","password":"secret123","display_name":"Ann"}'
check 201 "join (from the text form)" '"email":"ann@example.com"'
tok=$(field access)
call POST /user/lists '{"title":"Groceries"}' "$tok"
check 201 "create a list" '"title":"Groceries"'
list=$(field id)
call GET "/user/lists/$list" "" "$tok"
check 200 "read it back" "\"id\":\"$list\""
call DELETE "/user/lists/$list" "" "$tok"
check 501 "an operation the file does not implement"
printf 'endpoint get /user/lists/{listId}\nreturn 200 (1 +\n' >"$dir/bad.txt"
if "$BB_BIN" serve --project todo --impl "$dir/bad.txt" --port 0 >"$dir/bad.out" 2>"$dir/bad.err"; then
  tap 0 "a text file with a syntax error is refused"
else
  grep -q 'bad.txt: line 3, column 1: expected an expression' "$dir/bad.err"
  tap $((1 - $?)) "a text file with a syntax error is refused with line and column"
fi
echo "# serve_text: $((n - failed))/$n ok"
[ "$failed" -eq 0 ]
