#!/bin/bash
# db_schema.sh — oracle: ajv 8 (draft 2020-12, strict off, ajv-formats)
# compiles schemas/db.schema.json, and the schema agrees with the loader and
# checks on the test data:
#   - every valid design (tests/data/db/y_*.json, check cases y_*) validates;
#   - the check cases whose names break a pattern or length rule (n_naming,
#     n_length, n_injection) and the structural cases (l_*) are rejected;
#   - the older AutoBe design (y_older_autobe.json) and the AutoBe samples
#     fail only on oppositeName or extra keys (the loader is lenient there,
#     the schema is strict on purpose).
# One TAP line per file. Prints a # SKIP comment when node or ajv is missing.
set -u
cd "$(dirname "$0")/../.."
if ! command -v node >/dev/null 2>&1 || [ ! -d tests/oracles/node_modules/ajv ]; then
  echo "# SKIP node or ajv (tests/oracles) is not installed"
  exit 0
fi
shared=${BB_SHARED:-../shared}
node - "$shared" <<'JS'
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
  validate = ajv.compile(JSON.parse(fs.readFileSync('schemas/db.schema.json', 'utf8')));
  tap(true, 'ajv compiles schemas/db.schema.json');
} catch (e) {
  tap(false, 'ajv compiles schemas/db.schema.json: ' + e.message);
  process.exit(1);
}
const lenient = (errs) => errs.every((e) =>
  (e.keyword === 'required' && e.params.missingProperty === 'oppositeName') || e.keyword === 'additionalProperties');
const brief = (errs) => errs.slice(0, 3).map((e) => `${e.instancePath} ${e.message}`).join('; ');
const dir = 'tests/data/db';
for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const doc = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
  const ok = validate(doc);
  if (f === 'y_older_autobe.json')
    tap(!ok && lenient(validate.errors), `schema rejects ${f} only for oppositeName/extra keys`);
  else
    tap(ok, `schema accepts ${f}${ok ? '' : ': ' + brief(validate.errors)}`);
}
for (const f of fs.readdirSync(dir + '/check').filter((f) => f.endsWith('.json')).sort()) {
  const c = JSON.parse(fs.readFileSync(path.join(dir, 'check', f), 'utf8'));
  const ok = validate(c.ast);
  if (f.startsWith('y_'))
    tap(ok, `schema accepts check/${f}${ok ? '' : ': ' + brief(validate.errors)}`);
  else if (f.startsWith('l_') || ['n_naming.json', 'n_length.json', 'n_injection.json'].includes(f))
    tap(!ok, `schema rejects check/${f}`);
  else if (f.startsWith('w_'))
    tap(!ok && lenient(validate.errors), `schema rejects check/${f} only for oppositeName/extra keys`);
}
const root = path.join(process.argv[2], 'data/autobe-oct2025');
if (fs.existsSync(root)) {
  for (const v of fs.readdirSync(root).sort()) {
    const vd = path.join(root, v);
    if (!fs.statSync(vd).isDirectory()) continue;
    for (const m of fs.readdirSync(vd).sort())
      for (const p of fs.readdirSync(path.join(vd, m)).sort()) {
        const f = path.join(vd, m, p, 'autobe/prisma.json');
        if (!fs.existsSync(f)) continue;
        const ok = validate(JSON.parse(fs.readFileSync(f, 'utf8')));
        tap(ok || lenient(validate.errors), `AutoBe ${v}/${m}/${p}: schema differs only in oppositeName/extra keys` +
            (ok || lenient(validate.errors) ? '' : ': ' + brief(validate.errors)));
      }
  }
}
console.log(`# db schema oracle: ${n - failed}/${n} ok`);
process.exit(failed ? 1 : 0);
JS
