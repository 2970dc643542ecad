# serve.bash — shared by tests/e2e/serve_*.sh (sourced, not a test itself:
# the runner only runs tests/e2e/*.sh). It moves to the repository root,
# starts `backbench serve` on a free loopback port (serve_start ARGS...),
# and gives the story scripts their vocabulary: tap, call METHOD PATH [BODY]
# [TOKEN] (sets $status and $body), field NAME, has TEXT, check STATUS NAME
# [TEXT...], and serve_done NAME for the closing line and exit status. The
# server is killed and the scratch directory removed on exit.
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."
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
n=0
failed=0
tap() { # ok(0/1) name
  n=$((n + 1))
  if [ "$1" -eq 1 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}
serve_start() { # serve arguments (--project NAME [--impl FILE])
  "$BB_BIN" serve "$@" --port 0 >"$dir/out" 2>"$dir/err" &
  pid=$!
  port=
  for _ in $(seq 1 100); do
    port=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$dir/out")
    [ -n "$port" ] && break
    sleep 0.1
  done
  if [ -z "$port" ]; then
    tap 0 "server prints its port"
    sed 's/^/# /' "$dir/err" | head -20
    exit 1
  fi
  tap 1 "server listens on port $port"
  base="http://127.0.0.1:$port"
}
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
serve_done() { # script name: the closing line; the status is the script's
  echo "# $1: $((n - failed))/$n ok"
  [ "$failed" -eq 0 ]
}
