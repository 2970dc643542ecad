#!/bin/bash
# api_openapi.sh — the OpenAPI the compiler emits is valid for an independent
# validator. test_emit_openapi (BB_EMIT_DIR mode) writes the OpenAPI 3.1
# document of y_todo.json, of every AutoBe sample that passes the API checks
# and of every gold design projects/*/gold/api.json; then
# tests/oracles/openapi_validate.js (@readme/openapi-parser, offline) validates
# each one and prints one TAP line per document.
set -u
cd "$(dirname "$0")/../.."
BB_BUILD=${BB_BUILD:-$PWD/build/asan}
export BB_ROOT=${BB_ROOT:-$PWD}
export BB_SHARED=${BB_SHARED:-$(cd .. && pwd)/shared}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
if ! BB_EMIT_DIR="$dir" CMOCKA_MESSAGE_OUTPUT=TAP "$BB_BUILD/tests/test_emit_openapi" >"$dir/emit.log" 2>&1; then
  echo "not ok 1 - test_emit_openapi could not emit the documents"
  sed 's/^/# /' "$dir/emit.log" | head -40
  exit 1
fi
shopt -s nullglob
files=("$dir"/*.openapi.json)
if [ "${#files[@]}" -eq 0 ]; then
  echo "not ok 1 - no OpenAPI document was emitted"
  exit 1
fi
node tests/oracles/openapi_validate.js "${files[@]}" | sed "s|$dir/||"
exit "${PIPESTATUS[0]}"
