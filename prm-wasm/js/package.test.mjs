// The npm package as published: its entry points (the whole package, prm-wasm/portal and
// prm-wasm/ops: one module each) and what `npm pack` puts in the tarball.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import * as prm from "prm-wasm";
import * as portal from "prm-wasm/portal";
import * as ops from "prm-wasm/ops";

const PORTAL = ["ConflictIndex", "detectAll", "matchCustomers", "normalizeCompanyName", "TierProgram", "simulate", "split", "markov", "Journeys"];
const OPS = ["Router", "xirr", "irr", "npv", "partnerEconomics", "xirrBatch"];

test("prm-wasm/portal has the conflicts, tiers and attribution engines and nothing of routing or ROPI", () => {
  for (const name of PORTAL) assert.equal(typeof portal[name], "function", name);
  for (const name of OPS) assert.equal(portal[name], undefined, name);
  assert.equal(portal.normalizeCompanyName("ACME Inc.").normalized, "acme");
});

test("prm-wasm/ops has routing and ROPI and nothing of the portal engines", () => {
  for (const name of OPS) assert.equal(typeof ops[name], "function", name);
  for (const name of PORTAL) assert.equal(ops[name], undefined, name);
  assert.equal(ops.npv(0.1, [-100, 110]), 0);
});

test("prm-wasm exports every engine, the same functions as its two entry points", () => {
  for (const name of PORTAL) assert.equal(prm[name], portal[name], name);
  for (const name of OPS) assert.equal(prm[name], ops[name], name);
  // both modules have `limits`; the whole package exports one, not neither
  assert.equal(prm.limits, portal.limits);
  assert.deepEqual(portal.limits(), ops.limits());
  // an error thrown by either module is the same kind of Error, with code and path
  for (const f of [() => prm.xirr(["2025-01-01"], [1]), () => prm.split({}, "last_touch")]) {
    assert.throws(f, (e) => e instanceof Error && typeof e.code === "string" && typeof e.path === "string");
  }
});

test("npm pack ships every file the entry points import and every export target", () => {
  const pkg = dirname(fileURLToPath(import.meta.resolve("prm-wasm/package.json")));
  const [{ files }] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json"], { cwd: pkg, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
  const packed = new Set(files.map((f) => f.path));
  const manifest = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));
  const targets = Object.values(manifest.exports).flatMap((t) => (typeof t === "string" ? [t] : Object.values(t)));
  for (const target of targets) assert.ok(packed.has(normalize(target)), `export target ${target} is packed`);
  // relative imports of every packed JavaScript file, followed to their targets
  for (const file of [...packed].filter((f) => f.endsWith(".js"))) {
    const text = readFileSync(join(pkg, file), "utf8");
    for (const [, spec] of text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      assert.ok(packed.has(normalize(join(dirname(file), spec))), `${file} imports ${spec}, which is packed`);
    }
    for (const [, spec] of text.matchAll(/new URL\(\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      assert.ok(packed.has(normalize(join(dirname(file), spec))), `${file} loads ${spec}, which is packed`);
    }
  }
  assert.ok(packed.has("prm_portal_bg.wasm") && packed.has("prm_ops_bg.wasm"));
});
