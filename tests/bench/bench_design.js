#!/usr/bin/env node
// bench_design.js — the ajv 8 side of tests/bench/design.sh: compiles the
// schema with Ajv2020 (strict:false, ajv-formats, allErrors as backbench
// collects all errors... first-error mode is what backbench's validate stage
// times, so default options), parses the document once (not timed), then
// validates it repeatedly for at least SECONDS. Prints "name value" lines.
// usage: node bench_design.js SCHEMA DOC [SECONDS]
"use strict";
const fs = require("fs");
const path = require("path");
const mods = path.join(__dirname, "../oracles/node_modules");
const Ajv2020 = require(path.join(mods, "ajv/dist/2020"));
const addFormats = require(path.join(mods, "ajv-formats"));

const [schemaPath, docPath, secArg] = process.argv.slice(2);
const seconds = Number(secArg || 1);
const ajv = new Ajv2020({ strict: false });
addFormats(ajv);
const t0c = process.hrtime.bigint();
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, "utf8")));
const compileMs = Number(process.hrtime.bigint() - t0c) / 1e6;
const text = fs.readFileSync(docPath, "utf8");
const t0p = process.hrtime.bigint();
const doc = JSON.parse(text);
const parseMs = Number(process.hrtime.bigint() - t0p) / 1e6;
const ok = validate(doc) ? 1 : 0;
let n = 0, el = 0;
const t0 = process.hrtime.bigint();
do {
  validate(doc);
  n++;
  el = Number(process.hrtime.bigint() - t0) / 1e9;
} while (el < seconds);
console.log(`ajv_compile_ms ${compileMs.toFixed(3)}`);
console.log(`ajv_parse_ms ${parseMs.toFixed(3)}`);
console.log(`ajv_validate_ms ${(el * 1000 / n).toFixed(3)}`);
console.log(`ajv_ok ${ok}`);
