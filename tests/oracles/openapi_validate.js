#!/usr/bin/env node
// openapi_validate.js — validates OpenAPI documents with a real, independent
// validator (@readme/openapi-parser: the OpenAPI 3.0/3.1 JSON Schemas plus its
// own rules: unique operationIds, declared path parameters, ...). Offline: only
// local files are read and external $refs are not resolved.
//
// Usage: node tests/oracles/openapi_validate.js FILE...
// Prints TAP: "ok N - FILE" / "not ok N - FILE" with the errors as comments.
// Exit status 0 only when every file is valid. A missing validator package is
// reported as a TAP failure line.
'use strict';
const fs = require('fs');
const path = require('path');

let parser;
try {
  parser = require(path.join(__dirname, 'node_modules', '@readme', 'openapi-parser'));
} catch (e) {
  console.log('not ok 1 - @readme/openapi-parser is not installed in tests/oracles (run scripts/oracles.sh)');
  process.exit(1);
}

async function main() {
  const files = process.argv.slice(2);
  let failed = 0;
  console.log(`1..${files.length}`);
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    let doc;
    try {
      doc = JSON.parse(fs.readFileSync(f, 'utf8'));
    } catch (e) {
      console.log(`not ok ${i + 1} - ${f}`);
      console.log(`# unreadable: ${e.message}`);
      failed++;
      continue;
    }
    let result;
    try {
      result = await parser.validate(doc, { resolve: { external: false }, validate: { errors: { colorize: false } } });
    } catch (e) {
      result = { valid: false, errors: [{ message: e.message }], warnings: [] };
    }
    if (result.specification !== undefined && result.specification !== 'OpenAPI' && result.valid) {
      result = { valid: false, errors: [{ message: `not an OpenAPI document (${result.specification})` }] };
    }
    if (result.valid && doc.openapi !== '3.1.0') {
      result = { valid: false, errors: [{ message: `openapi is ${doc.openapi}, expected 3.1.0` }] };
    }
    if (result.valid) {
      console.log(`ok ${i + 1} - ${f}`);
    } else {
      failed++;
      console.log(`not ok ${i + 1} - ${f}`);
      for (const e of (result.errors || []).slice(0, 10)) {
        console.log('# ' + String(e.message).split('\n').join('\n# ').slice(0, 2000));
      }
    }
  }
  process.exit(failed ? 1 : 0);
}
main();
