#!/usr/bin/env node
// gen_expr.js — generates expression documents for tests/data/schema/expr.schema.json
// from a fixed seed, mutates some of them (wrong tag, missing property, wrong type,
// bad pattern, out of range, extra property, bad format, bad enum), and writes JSON
// lines {"id", "valid", "mutation", "doc"} where "valid" is ajv 8's verdict
// (Ajv2020, strict:false, ajv-formats). Used by tests/e2e/ajv_crosscheck.sh and,
// with --bench, writes a ~N-byte set of documents (one per line) for the benchmark.
//
// usage: node gen_expr.js --out FILE [--seed 42] [--count 2000] [--bench BYTES]
"use strict";
const fs = require("fs");
const path = require("path");
const Ajv2020 = require("ajv/dist/2020");
const addFormats = require("ajv-formats");

const args = { seed: 42, count: 2000, out: null, bench: 0, schema: path.join(__dirname, "../data/schema/expr.schema.json") };
for (let i = 2; i < process.argv.length; i += 2) {
  const k = process.argv[i].replace(/^--/, "");
  const v = process.argv[i + 1];
  if (!(k in args)) { console.error("unknown option " + k); process.exit(2); }
  args[k] = k === "out" || k === "schema" ? v : Number(v);
}
if (!args.out) { console.error("usage: gen_expr.js --out FILE [--seed N] [--count N] [--bench BYTES]"); process.exit(2); }

// mulberry32: a small deterministic PRNG
let state = args.seed >>> 0;
function rnd() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (n) => Math.floor(rnd() * n);
const pick = (a) => a[int(a.length)];
const chance = (p) => rnd() < p;

const NAMES = ["x", "y", "total", "userId", "_tmp", "itemCount", "a1", "price", "now", "map", "filter", "len"];
const URIS = ["https://example.com/api/v1/items?limit=10", "http://localhost:8080/health", "https://api.test/users/42#profile",
  "ftp://files.example.org/pub/readme.txt", "urn:isbn:0451450523", "mailto:dev@example.com", "https://[2001:db8::1]:443/x"];
const HOSTS = ["example.com", "api.example.org", "localhost", "a-b.c-d.example", "x1.y2.z3"];
const IPS = ["192.168.1.10", "10.0.0.1", "255.255.255.255", "0.0.0.0", "172.16.254.3"];
const EMAILS = ["dev@example.com", "first.last+tag@sub.example.org", "a_b@c-d.io", "x@y.zz"];
const BINOPS = ["+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "&&", "||"];

function hex(n) { let s = ""; for (let i = 0; i < n; i++) s += "0123456789abcdef"[int(16)]; return s; }
function name() { return chance(0.7) ? pick(NAMES) : pick(["v", "k", "_"]) + int(1000); }
function pad(n) { return String(n).padStart(2, "0"); }
function dateTime() {
  const y = 2000 + int(30), m = 1 + int(12), d = 1 + int(28);
  let s = `${y}-${pad(m)}-${pad(d)}T${pad(int(24))}:${pad(int(60))}:${pad(int(60))}`;
  if (chance(0.3)) s += "." + int(1000);
  return s + (chance(0.6) ? "Z" : pick(["+05:30", "-08:00", "+00:00"]));
}

function literal() {
  const r = int(5);
  const value = r === 0 ? int(1000) - 500 : r === 1 ? pick(["hello", "", "a b c", "ünïcödé"]) : r === 2 ? chance(0.5) : r === 3 ? null : rnd() * 100;
  return { type: "literal", value };
}

function gen(depth, maxDepth) {
  const leaf = depth >= maxDepth;
  const kinds = leaf ? ["literal", "identifier", "date", "uuid", "fetch", "range"]
    : ["literal", "identifier", "binary", "unary", "call", "member", "array", "object", "conditional", "lambda",
      "date", "uuid", "template", "fetch", "range", "binary", "call", "member"];
  const k = pick(kinds);
  const sub = () => gen(depth + 1, maxDepth);
  switch (k) {
    case "literal": return literal();
    case "identifier": return { type: "identifier", name: name() };
    case "binary": return { type: "binary", operator: pick(BINOPS), left: sub(), right: sub() };
    case "unary": return { type: "unary", operator: pick(["!", "-", "typeof"]), operand: sub() };
    case "call": { const a = []; for (let i = int(4); i > 0; i--) a.push(sub()); return { type: "call", callee: name(), arguments: a }; }
    case "member": { const m = { type: "member", object: sub(), property: name() }; if (chance(0.3)) m.optional = chance(0.5); return m; }
    case "array": { const e = []; for (let i = int(5); i > 0; i--) e.push(sub()); return { type: "array", elements: e }; }
    case "object": { const p = []; for (let i = int(4); i > 0; i--) p.push({ key: name() + i, value: sub() }); return { type: "object", properties: p }; }
    case "conditional": return { type: "conditional", test: sub(), consequent: sub(), alternate: sub() };
    case "lambda": {
      const ps = []; const n = int(4);
      for (let i = 0; i < n; i++) { const p = { name: "p" + i }; if (chance(0.5)) p.paramType = pick(["string", "number", "boolean", "any"]); ps.push(p); }
      return { type: "lambda", parameters: ps, body: sub() };
    }
    case "date": return { type: "date", value: dateTime() };
    case "uuid": return { type: "uuid", value: `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}` };
    case "template": { const parts = []; for (let i = 1 + int(4); i > 0; i--) parts.push(chance(0.5) ? "text " + i : sub()); return { type: "template", parts }; }
    case "fetch": {
      const f = { type: "fetch", method: pick(["get", "post", "put", "patch", "delete"]), url: pick(URIS) };
      if (chance(0.4)) f.host = pick(HOSTS);
      if (chance(0.3)) f.ip = pick(IPS);
      if (chance(0.3)) f.contact = pick(EMAILS);
      if (chance(0.4)) f.timeoutMs = 1 + int(60000);
      return f;
    }
    case "range": { const r = { type: "range", start: int(100), end: 100 + int(900) }; if (chance(0.5)) r.step = 0.5 * (1 + int(8)); return r; }
  }
  throw new Error("unreachable");
}

// every object node of a tree, with its parent for replacement
function objects(v, out) {
  if (Array.isArray(v)) v.forEach((x) => objects(x, out));
  else if (v && typeof v === "object") { out.push(v); Object.values(v).forEach((x) => objects(x, out)); }
  return out;
}

const MUTATIONS = {
  wrong_tag(o) { if (!("type" in o)) return false; o.type = pick(["lambada", "Binary", "", 42, null]); return true; },
  missing_property(o) { const ks = Object.keys(o); if (!ks.length) return false; delete o[pick(ks)]; return true; },
  wrong_type(o) {
    const ks = Object.keys(o).filter((k) => k !== "type"); if (!ks.length) return false;
    const k = pick(ks); const v = o[k];
    o[k] = typeof v === "string" ? int(100) : typeof v === "number" ? String(v) : typeof v === "boolean" ? "yes" : Array.isArray(v) ? "[]" : v === null ? {} : "object";
    return true;
  },
  bad_pattern(o) {
    for (const k of ["name", "callee", "property"]) if (typeof o[k] === "string") { o[k] = pick(["9lives", "has space", "", "dash-ed", "x".repeat(40)]); return true; }
    return false;
  },
  out_of_range(o) {
    switch (o.type) {
      case "fetch": o.timeoutMs = pick([0, 60001, 1.5, -3]); return true;
      case "range": if (chance(0.5)) o.start = -1 - int(5); else if (chance(0.5)) o.end = 1001 + int(50); else o.step = pick([0, -1, 0.3, 1.25]); return true;
      case "array": if (!Array.isArray(o.elements)) return false; while (o.elements.length <= 8) o.elements.push(literal()); return true;
      case "call": if (!Array.isArray(o.arguments)) return false; while (o.arguments.length <= 6) o.arguments.push(literal()); return true;
      case "template": o.parts = []; return true;
      case "lambda": o.parameters = [{ name: "a" }, { name: "a" }]; return true;
      case "literal": o.value = "x".repeat(65); return true;
      case "object":
        if (!Array.isArray(o.properties) || !o.properties.length || !o.properties[0] || typeof o.properties[0] !== "object") return false;
        o.properties[0].key = ""; return true;
    }
    return false;
  },
  extra_property(o) { o[pick(["extra", "Type", "comment", "value2"])] = pick([1, "x", null, true]); return true; },
  bad_format(o) {
    switch (o.type) {
      case "date": o.value = pick(["2024-02-30T10:00:00Z", "2024-13-01T00:00:00Z", "yesterday", "2024-01-01", "2024-01-01T25:00:00Z", "2024-01-01T10:00:00"]); return true;
      case "uuid": o.value = pick(["1234", "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz", hex(32), hex(8) + "-" + hex(4)]); return true;
      case "fetch": {
        const r = int(4);
        if (r === 0) o.url = pick(["not a uri", "/relative/path", "http://exa mple.com", "://x"]);
        else if (r === 1) o.host = pick(["-bad-.com", "a..b", "under_score.com", "x".repeat(64) + ".com"]);
        else if (r === 2) o.ip = pick(["256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "a.b.c.d"]);
        else o.contact = pick(["no-at-sign", "a@@b.com", ".lead@x.com", "trail.@x.com", "sp ace@x.com"]);
        return true;
      }
    }
    return false;
  },
  bad_enum(o) {
    if (o.type === "binary" || o.type === "unary") { o.operator = pick(["**", "plus", "", "=>"]); return true; }
    if (o.type === "fetch") { o.method = pick(["GET", "head", "fetch"]); return true; }
    return false;
  },
};
const MUT_NAMES = Object.keys(MUTATIONS);

function mutate(doc) {
  const objs = objects(doc, []);
  for (let tries = 0; tries < 20; tries++) {
    const m = pick(MUT_NAMES);
    if (MUTATIONS[m](pick(objs))) return m;
  }
  return "none";
}

const ajv = new Ajv2020({ strict: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(args.schema, "utf8")));

const out = fs.openSync(args.out, "w");
if (args.bench > 0) {
  let bytes = 0, n = 0;
  while (bytes < args.bench) {
    const doc = gen(0, 3 + int(4));
    if (chance(0.1)) mutate(doc);
    const line = JSON.stringify(doc) + "\n";
    fs.writeSync(out, line);
    bytes += Buffer.byteLength(line);
    n++;
  }
  console.error(`gen_expr: ${n} documents, ${bytes} bytes`);
} else {
  let nvalid = 0;
  for (let i = 0; i < args.count; i++) {
    const doc = gen(0, 1 + int(5));
    let mutation = "none";
    if (chance(0.6)) {
      mutation = mutate(doc);
      if (chance(0.2)) mutation += "+" + mutate(doc);
    }
    const valid = validate(doc);
    if (valid) nvalid++;
    fs.writeSync(out, JSON.stringify({ id: i, valid, mutation, doc }) + "\n");
  }
  console.error(`gen_expr: ${args.count} documents, ${nvalid} valid per ajv`);
}
fs.closeSync(out);
