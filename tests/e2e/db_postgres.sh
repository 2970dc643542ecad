#!/bin/bash
# db_postgres.sh — oracle: PostgreSQL executes the DDL backbench emits.
#
# Runs the DB compiler test program with BB_EMIT_DIR so it writes the
# PostgreSQL DDL of every design that passes the checks (the y_ corpus, the
# AutoBe samples, the gold designs), starts a throwaway PostgreSQL cluster on
# loopback (a unix socket in a temporary directory; as user postgres when run
# as root), and runs each file with psql inside a transaction that is rolled
# back (ON_ERROR_STOP=1): one TAP line per file. It also confirms that every
# word ast_ident lists as reserved in PostgreSQL is refused as an unquoted
# column name. Prints a # SKIP comment and no test line when PostgreSQL is not
# installed. The cluster is stopped and removed on exit.
set -u
: "${BB_BUILD:?run through tests/run.sh}"
PGBIN=""
for d in /usr/lib/postgresql/*/bin; do
  [ -x "$d/initdb" ] && PGBIN=$d
done
if [ -z "$PGBIN" ] || ! command -v psql >/dev/null 2>&1; then
  echo "# SKIP PostgreSQL (initdb, psql) is not installed"
  exit 0
fi
tmp=$(mktemp -d /tmp/bb-pg.XXXXXX)
port=$((20000 + $$ % 20000))
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
cleanup() {
  as_pg "$PGBIN/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp/out"
if ! BB_EMIT_DIR="$tmp/out" "$BB_BUILD/tests/test_emit_db" >"$tmp/emit.log" 2>&1; then
  echo "not ok 1 - test_emit_db failed to write the DDL files (see its own log)"
  exit 1
fi
[ "$(id -u)" -eq 0 ] && chown -R postgres "$tmp"
if ! as_pg "$PGBIN/initdb" -D "$tmp/data" -A trust -U postgres --no-sync >"$tmp/initdb.log" 2>&1; then
  echo "not ok 1 - initdb failed: $(tail -3 "$tmp/initdb.log" | tr '\n' ' ')"
  exit 1
fi
started=0
for try in 1 2 3; do  # another process may hold the port: try the next ones
  if as_pg "$PGBIN/pg_ctl" -D "$tmp/data" -w -t 60 -l "$tmp/pg.log" \
       -o "-k $tmp -p $port -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null 2>&1; then
    started=1
    break
  fi
  port=$((port + 1))
done
if [ "$started" -eq 0 ]; then
  echo "not ok 1 - the PostgreSQL server did not start: $(tail -3 "$tmp/pg.log" | tr '\n' ' ')"
  exit 1
fi
PSQL=(psql -X -q -h "$tmp" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1)
n=0
fail=0
for f in "$tmp"/out/*.postgres.sql; do
  [ -f "$f" ] || continue
  n=$((n + 1))
  name=$(basename "$f" .postgres.sql)
  if out=$("${PSQL[@]}" -c 'BEGIN;' -f "$f" -c 'ROLLBACK;' 2>&1); then
    echo "ok $n - postgres executes $name"
  else
    fail=$((fail + 1))
    echo "not ok $n - postgres refuses $name: $(echo "$out" | grep -m1 ERROR)"
  fi
done
if [ "$n" -eq 0 ]; then
  n=1
  echo "not ok 1 - no PostgreSQL DDL file was written"
  exit 1
fi
# reserved words: each must be refused unquoted, and accepted quoted
if [ -s "$tmp/out/reserved_postgres.txt" ]; then
  bad=""
  while read -r w; do
    [ -n "$w" ] || continue
    if "${PSQL[@]}" -c "BEGIN; CREATE TABLE bb_reserved_probe (x int, $w text); ROLLBACK;" >/dev/null 2>&1; then
      bad="$bad $w"
    fi
    if ! "${PSQL[@]}" -c "BEGIN; CREATE TABLE bb_reserved_probe (x int, \"$w\" text); ROLLBACK;" >/dev/null 2>&1; then
      bad="$bad \"$w\""
    fi
  done <"$tmp/out/reserved_postgres.txt"
  n=$((n + 1))
  if [ -z "$bad" ]; then
    echo "ok $n - postgres refuses every listed reserved word unquoted ($(wc -l <"$tmp/out/reserved_postgres.txt") words)"
  else
    echo "not ok $n - postgres disagrees on reserved words:$bad"
    fail=$((fail + 1))
  fi
fi
echo "# postgres oracle: $((n - fail))/$n ok ($("$PGBIN/postgres" --version))"
[ "$fail" -eq 0 ]
