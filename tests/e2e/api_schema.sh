#!/bin/bash
# api_schema.sh — schemas/api.schema.json is a JSON Schema that ajv 8 (draft
# 2020-12, strict: false, ajv-formats) compiles, that uses only the keywords
# the project's own validator supports, whose DTO union discriminates (each
# of the ten members accepts its own shape and no other), that accepts the
# reference design tests/data/api/y_todo.json and every gold
# projects/*/gold/api.json, and that rejects broken designs. TAP output.
set -u
cd "$(dirname "$0")/../.."
exec node - "$PWD" <<'JS'
'use strict';
const path = require('path');
const fs = require('fs');
const root = process.argv[2];
const mod = (m) => path.join(root, 'tests/oracles/node_modules', m);
let n = 0, failed = 0;
const tap = (ok, name, detail) => {
  n++;
  console.log(`${ok ? 'ok' : 'not ok'} ${n} - ${name}`);
  if (!ok) { failed++; if (detail) console.log('# ' + String(detail).slice(0, 2000).split('\n').join('\n# ')); }
};
const Ajv2020 = require(mod('ajv/dist/2020')).default;
const addFormats = require(mod('ajv-formats'));
const schema = JSON.parse(fs.readFileSync(path.join(root, 'schemas/api.schema.json'), 'utf8'));

// 1. only the supported keywords, walking schema positions only
const allowed = new Set(['type', 'properties', 'required', 'additionalProperties', 'items', 'prefixItems', 'enum',
  'const', 'oneOf', 'anyOf', 'allOf', 'not', '$ref', '$defs', 'minimum', 'maximum', 'exclusiveMinimum',
  'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems', 'uniqueItems',
  'minProperties', 'maxProperties', 'format', 'discriminator', 'title', 'description', 'default', 'examples',
  '$schema', '$id', '$comment']);
const bad = [];
const walk = (s, where) => {
  if (typeof s !== 'object' || s === null || Array.isArray(s)) return;
  for (const [k, v] of Object.entries(s)) {
    if (!allowed.has(k)) bad.push(`${where}/${k}`);
    if (k === 'properties' || k === '$defs') for (const [name, sub] of Object.entries(v)) walk(sub, `${where}/${k}/${name}`);
    else if (k === 'items' || k === 'not' || (k === 'additionalProperties' && typeof v === 'object')) walk(v, `${where}/${k}`);
    else if (k === 'oneOf' || k === 'anyOf' || k === 'allOf' || k === 'prefixItems') v.forEach((sub, i) => walk(sub, `${where}/${k}/${i}`));
  }
};
walk(schema, '#');
tap(bad.length === 0, 'api.schema.json uses only supported keywords', bad.join(', '));

// 2. compiles
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
let validate = null;
try { validate = ajv.compile(schema); tap(true, 'api.schema.json compiles in ajv 8 (2020-12)'); }
catch (e) { tap(false, 'api.schema.json compiles in ajv 8 (2020-12)', e.message); process.exit(1); }

// 3. the DTO union discriminates: each member accepts its own sample only
const members = ['DtoConstant', 'DtoBoolean', 'DtoInteger', 'DtoNumber', 'DtoString', 'DtoArray', 'DtoObject',
  'DtoReference', 'DtoOneOf', 'DtoNull'];
const samples = [{ const: 'a' }, { type: 'boolean' }, { type: 'integer', minimum: 0 }, { type: 'number' },
  { type: 'string', format: 'uuid' }, { type: 'array', items: { type: 'string' } },
  { type: 'object', properties: {}, required: [] }, { $ref: '#/components/schemas/ITodo' },
  { oneOf: [{ type: 'string' }, { type: 'null' }] }, { type: 'null' }];
tap(members.every((m) => schema.$defs[m]) && schema.$defs.Dto.oneOf.length === 10, 'the DTO union has ten $defs members');
const memberOk = members.map((m) => ajv.compile({ $defs: schema.$defs, $ref: `#/$defs/${m}` }));
let cross = [];
samples.forEach((s, i) => memberOk.forEach((v, j) => { if (v(s) !== (i === j)) cross.push(`${members[j]} ${v(s) ? 'accepts' : 'rejects'} ${JSON.stringify(s)}`); }));
tap(cross.length === 0, 'each DTO member accepts its own shape and no other', cross.join('\n'));

// 4. accepts the reference and gold designs
const docs = [path.join(root, 'tests/data/api/y_todo.json')];
const pj = path.join(root, 'projects');
if (fs.existsSync(pj)) for (const p of fs.readdirSync(pj).sort()) {
  const f = path.join(pj, p, 'gold/api.json');
  if (fs.existsSync(f)) docs.push(f);
}
for (const f of docs) {
  const ok = validate(JSON.parse(fs.readFileSync(f, 'utf8')));
  tap(ok, `accepts ${path.relative(root, f)}`, ok ? '' : JSON.stringify(validate.errors.slice(0, 5)));
}

// 5. rejects broken designs (each an edit of y_todo.json)
const base = JSON.parse(fs.readFileSync(docs[0], 'utf8'));
const broken = [
  ['unknown method', (d) => { d.operations[0].method = 'head'; }],
  ['older authorizationRole key', (d) => { d.operations[0].authorizationRole = d.operations[0].authorizationActor; delete d.operations[0].authorizationActor; }],
  ['path with a query string', (d) => { d.operations[2].path = '/todos?limit=1'; }],
  ['path traversal as path', (d) => { d.operations[2].path = '/todos/../../etc/passwd'; }],
  ['SQL as type name', (d) => { d.operations[2].responseBody.typeName = '"; DROP TABLE todo_todos; --'; }],
  ['type as an array (nullable without oneOf)', (d) => { d.components.schemas.ITodo.properties.title = { type: ['string', 'null'] }; }],
  ['object without required', (d) => { delete d.components.schemas['ITodo.IUpdate'].required; }],
  ['$ref with siblings of another member', (d) => { d.components.schemas.ITodo.properties.x = { $ref: '#/components/schemas/ITodo', type: 'object' }; }],
  ['$ref outside components.schemas', (d) => { d.components.schemas['IPageITodo.ISummary'].properties.pagination.$ref = '#/definitions/IPage'; }],
  ['array without items', (d) => { d.components.schemas.ITodo.properties.tags = { type: 'array' }; }],
  ['10,000-character operation name', (d) => { d.operations[0].name = 'j'.repeat(10000); }],
  ['camelCase parameter name required', (d) => { d.operations[4].parameters[0].name = 'todo_id'; }],
  ['unknown operation key', (d) => { d.operations[0].interest = 'x'; }],
];
for (const [name, edit] of broken) {
  const d = JSON.parse(JSON.stringify(base));
  edit(d);
  tap(!validate(d), `rejects: ${name}`);
}
process.exit(failed ? 1 : 0);
JS
