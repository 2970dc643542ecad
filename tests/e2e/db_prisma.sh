#!/bin/bash
# db_prisma.sh — oracle: Prisma's own schema engine validates the Prisma
# schemas backbench emits.
#
# Runs the DB compiler test program with BB_EMIT_DIR so it writes the Prisma
# schema of every design that passes the checks, then
# tests/oracles/prisma_validate.js (@prisma/prisma-schema-wasm, offline)
# validates each file (TAP line per file) and confirms that every model name
# ast_ident lists as Prisma-reserved is refused. Prints a # SKIP comment and
# no test line when node or the wasm module is not installed.
set -u
: "${BB_BUILD:?run through tests/run.sh}"
cd "$(dirname "$0")/../.."
if ! command -v node >/dev/null 2>&1 || [ ! -d tests/oracles/node_modules/@prisma/prisma-schema-wasm ]; then
  echo "# SKIP node or @prisma/prisma-schema-wasm (tests/oracles) is not installed"
  exit 0
fi
tmp=$(mktemp -d /tmp/bb-prisma.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
if ! BB_EMIT_DIR="$tmp" "$BB_BUILD/tests/test_emit_db" >"$tmp/emit.log" 2>&1; then
  echo "not ok 1 - test_emit_db failed to write the Prisma files (see its own log)"
  exit 1
fi
set -- "$tmp"/*.prisma
if [ ! -f "$1" ]; then
  echo "not ok 1 - no Prisma file was written"
  exit 1
fi
rc=0
node tests/oracles/prisma_validate.js "$@" || rc=1
if [ -s "$tmp/reserved_prisma.txt" ]; then
  # numbering continues after the per-file lines
  node tests/oracles/prisma_validate.js --reserved-models "$tmp/reserved_prisma.txt" |
    awk -v off=$# '/^(not )?ok [0-9]+/ { if ($1 == "ok") { $2 = $2 + off } else { $3 = $3 + off } } { print }' || rc=1
  [ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
fi
exit $rc
