#!/bin/bash
# db_mermaid.sh — oracle: Mermaid's own parser accepts the ER diagrams
# backbench emits.
#
# Runs the DB compiler test program with BB_EMIT_DIR so it writes the Mermaid
# diagram of every design that passes the checks, then parses each with
# mermaid.parse() (the mermaid package under a jsdom window; parsing only, no
# rendering, no browser), one TAP line per file, plus three malformed
# diagrams that must be rejected (so a parser that accepts anything fails
# the test). Prints a # SKIP comment and no test line when node, mermaid or
# jsdom is not installed in tests/oracles.
set -u
: "${BB_BUILD:?run through tests/run.sh}"
cd "$(dirname "$0")/../.."
mods=tests/oracles/node_modules
if ! command -v node >/dev/null 2>&1 || [ ! -d "$mods/mermaid" ] || [ ! -d "$mods/jsdom" ]; then
  echo "# SKIP node, mermaid or jsdom (tests/oracles) is not installed"
  exit 0
fi
tmp=$(mktemp -d /tmp/bb-mermaid.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
if ! BB_EMIT_DIR="$tmp" "$BB_BUILD/tests/test_emit_db" >"$tmp/emit.log" 2>&1; then
  echo "not ok 1 - test_emit_db failed to write the Mermaid files (see its own log)"
  exit 1
fi
MODS="$PWD/$mods" node --input-type=module - "$tmp"/*.mmd <<'JS'
import fs from 'fs';
import path from 'path';
const mods = process.env.MODS;
const { JSDOM } = await import(path.join(mods, 'jsdom/lib/api.js'));
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import(path.join(mods, 'mermaid/dist/mermaid.core.mjs'));
mermaid.initialize({ startOnLoad: false });
let n = 0, failed = 0;
const tap = (ok, name) => { n++; if (!ok) failed++; console.log(`${ok ? 'ok' : 'not ok'} ${n} - ${name}`); };
async function parses(text) {
  try { const r = await mermaid.parse(text); return r && r.diagramType === 'er' ? null : 'not an ER diagram'; }
  catch (e) { return String(e.message || e).split('\n').slice(0, 2).join(' '); }
}
const files = process.argv.slice(2).filter((f) => fs.existsSync(f));
if (files.length === 0) tap(false, 'no Mermaid file was written');
for (const f of files) {
  const err = await parses(fs.readFileSync(f, 'utf8'));
  tap(err === null, `mermaid parses ${path.basename(f)}${err ? ': ' + err : ''}`);
}
for (const bad of ['erDiagram\n  a ||--o{ : x\n', 'erDiagram\n  a {\n    uuid\n  }\n', 'erDiagram\n  a ||-x-o{ b : r\n'])
  tap((await parses(bad)) !== null, `mermaid rejects ${JSON.stringify(bad)}`);
console.log(`# mermaid oracle: ${n - failed}/${n} ok`);
process.exit(failed ? 1 : 0);
JS
