#!/bin/bash
# impl_schema.sh — oracle: ajv 8 (draft 2020-12, strict off, ajv-formats)
# compiles schemas/impl.schema.json; every operation of every gold
# implementation (projects/*/gold/impl.json) and every valid test case
# (tests/data/impl/y_*.json) validates; every structurally broken case
# (tests/data/impl/n_*.json) is rejected. One TAP line per document.
# Prints a # SKIP comment when node or ajv is missing.
set -u
cd "$(dirname "$0")/../.."
if ! command -v node >/dev/null 2>&1 || [ ! -d tests/oracles/node_modules/ajv ]; then
  echo "# SKIP node or ajv (tests/oracles) is not installed"
  exit 0
fi
node - <<'JS'
const path = require('path');
const fs = require('fs');
const base = path.resolve('tests/oracles/node_modules');
const Ajv = require(path.join(base, 'ajv/dist/2020')).default;
const addFormats = require(path.join(base, 'ajv-formats'));
let n = 0, failed = 0;
function tap(ok, name) { n++; if (!ok) failed++; console.log(`${ok ? 'ok' : 'not ok'} ${n} - ${name}`); }
let validate;
try {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  validate = ajv.compile(JSON.parse(fs.readFileSync('schemas/impl.schema.json', 'utf8')));
  tap(true, 'ajv compiles schemas/impl.schema.json');
} catch (e) {
  tap(false, 'ajv compiles schemas/impl.schema.json: ' + e.message);
  process.exit(1);
}
const brief = (errs) => (errs || []).slice(0, 3).map((e) => `${e.instancePath} ${e.message}`).join('; ');
for (const p of fs.readdirSync('projects').sort()) {
  const f = path.join('projects', p, 'gold/impl.json');
  if (!fs.existsSync(f)) continue;
  const doc = JSON.parse(fs.readFileSync(f, 'utf8'));
  const ops = Array.isArray(doc) ? doc : Object.values(doc);
  let bad = [];
  ops.forEach((op, i) => { if (!validate(op)) bad.push(`[${i}] ${brief(validate.errors)}`); });
  tap(bad.length === 0, `${f}: ${ops.length} operations valid${bad.length ? ': ' + bad.slice(0, 2).join(' | ') : ''}`);
}
const dir = 'tests/data/impl';
if (fs.existsSync(dir)) {
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const c = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    const doc = c.impl !== undefined ? c.impl : c;
    const ok = validate(doc);
    if (f.startsWith('y_') || f.startsWith('c_')) tap(ok, `schema accepts ${f}${ok ? '' : ': ' + brief(validate.errors)}`);
    else if (f.startsWith('n_')) tap(!ok, `schema rejects ${f}`);
  }
}
console.log(`# impl schema oracle: ${n - failed}/${n} ok`);
process.exit(failed ? 1 : 0);
JS
