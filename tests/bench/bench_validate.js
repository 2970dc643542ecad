#!/usr/bin/env node
// bench_validate.js — the ajv 8 side of tests/bench/validate.sh: compiles the
// schema with Ajv2020 (strict:false, ajv-formats), once with default options
// (stops at the first error) and once with allErrors, parses every line of the
// document set once (not timed), then validates the whole set repeatedly for
// at least SECONDS and prints MB/s of document text as "name value" lines.
// usage: node bench_validate.js SCHEMA DOCS.jsonl [SECONDS]
"use strict";
const fs = require("fs");
const path = require("path");
const mods = path.join(__dirname, "../oracles/node_modules");
const Ajv2020 = require(path.join(mods, "ajv/dist/2020"));
const addFormats = require(path.join(mods, "ajv-formats"));

const [schemaPath, docsPath, secArg] = process.argv.slice(2);
const seconds = Number(secArg || 2);
const schema = JSON.parse(fs.readFileSync(schemaPath, "utf8"));
const lines = fs.readFileSync(docsPath, "utf8").split("\n").filter((l) => l.length);
const docs = lines.map((l) => JSON.parse(l));
const bytes = lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);

for (const [name, opts] of [["ajv_first_error_mbps", {}], ["ajv_all_errors_mbps", { allErrors: true }]]) {
  const ajv = new Ajv2020({ strict: false, ...opts });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  let valid = 0;
  for (const d of docs) if (validate(d)) valid++;
  if (name === "ajv_first_error_mbps") console.log(`ajv_valid ${valid}`);
  let rounds = 0, sink = 0;
  const t0 = process.hrtime.bigint();
  let el = 0;
  do {
    for (const d of docs) if (validate(d)) sink++;
    rounds++;
    el = Number(process.hrtime.bigint() - t0) / 1e9;
  } while (el < seconds);
  if (sink !== rounds * valid) throw new Error("verdicts changed between rounds");
  console.log(`${name} ${(bytes * rounds / el / 1e6).toFixed(2)}`);
}
