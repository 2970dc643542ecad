#!/usr/bin/env node
// prisma_validate.js — validates Prisma schema files with Prisma's own
// schema engine (@prisma/prisma-schema-wasm, offline, no database) and prints
// one TAP line per file.
//
//   node prisma_validate.js FILE.prisma...            every file must be valid
//   node prisma_validate.js --reserved-models LIST    every word in LIST (one a
//        line) must be refused as a model name ("It is a reserved name")
//
// The wasm module's validate(params) takes {"prismaSchema": text,
// "noColorErrors": true} and returns nothing when the schema is valid; on
// errors it throws an Error whose message is JSON {"error_code": "P1012",
// "message": "...Validation Error Count: N"}. Exit status 0 when every line
// is ok, 1 otherwise, 2 when the module is missing (the caller skips).
'use strict';
const fs = require('fs');
const path = require('path');

let wasm;
try {
  wasm = require(path.join(__dirname, 'node_modules', '@prisma', 'prisma-schema-wasm'));
} catch (e) {
  console.log('# SKIP @prisma/prisma-schema-wasm is not installed in tests/oracles');
  process.exit(2);
}

function validate(text) {
  try {
    wasm.validate(JSON.stringify({ prismaSchema: text, noColorErrors: true }));
    return null;
  } catch (e) {
    const raw = String(e && e.message !== undefined ? e.message : e);
    try {
      const j = JSON.parse(raw);
      return j.message || raw;
    } catch (_) {
      return raw;
    }
  }
}

function oneLine(s) {
  return s.replace(/\u001b\[[0-9;]*m/g, '').replace(/\s+/g, ' ').slice(0, 400);
}

const args = process.argv.slice(2);
let n = 0;
let failed = 0;
if (args[0] === '--reserved-models') {
  const words = fs.readFileSync(args[1], 'utf8').split('\n').filter((w) => w.length > 0);
  for (const w of words) {
    const err = validate(`datasource db {\n  provider = "postgresql"\n}\nmodel ${w} {\n  id String @id\n}\n`);
    n++;
    if (err && /reserved/i.test(err)) {
      console.log(`ok ${n} - prisma refuses model name ${w}`);
    } else {
      failed++;
      console.log(`not ok ${n} - prisma accepts model name ${w}: ${err ? oneLine(err) : 'valid'}`);
    }
  }
} else {
  for (const f of args) {
    const err = validate(fs.readFileSync(f, 'utf8'));
    n++;
    if (err === null) {
      console.log(`ok ${n} - prisma validates ${path.basename(f)}`);
    } else {
      failed++;
      console.log(`not ok ${n} - prisma rejects ${path.basename(f)}: ${oneLine(err)}`);
    }
  }
}
console.log(`# prisma-schema-wasm ${wasm.version ? wasm.version() : ''}: ${n - failed}/${n} ok`);
process.exit(failed ? 1 : 0);
