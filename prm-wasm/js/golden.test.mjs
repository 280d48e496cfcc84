// Every golden vector of vectors/ (see vectors/README.md) through the npm package, imported by
// its name as a user would.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import * as prm from "prm-wasm";
import { call, expand } from "./vectors.mjs";

const root = new URL("../../vectors/", import.meta.url);

function isDecimal(s) {
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s);
}

// Decimal strings compare exactly as numbers to 1e-20 relative: compare their normalised digits
// after rounding both to 26 significant digits (they carry up to 28).
function decimalClose(a, b) {
  const norm = (s) => {
    let [mant, exp] = s.toLowerCase().split("e");
    exp = Number(exp || 0);
    let neg = mant.startsWith("-");
    mant = mant.replace(/^[+-]/, "");
    let [int, frac = ""] = mant.split(".");
    let digits = (int + frac).replace(/^0+/, "");
    let point = int.length + exp - ((int + frac).length - (int + frac).replace(/^0+/, "").length);
    digits = digits.replace(/0+$/, "");
    if (digits === "") return "0";
    return `${neg ? "-" : ""}${digits.slice(0, 26)}e${point}`;
  };
  const x = norm(a), y = norm(b);
  if (x === y) return true;
  // allow one unit in the 26th digit
  const [dx, px] = x.split("e"), [dy, py] = y.split("e");
  if (px !== py || dx.length < 20 || dy.length < 20) return false;
  const nx = BigInt(dx.padEnd(27, "0").slice(0, 27)), ny = BigInt(dy.padEnd(27, "0").slice(0, 27));
  const diff = nx > ny ? nx - ny : ny - nx;
  return diff <= 100n;
}

function compare(actual, expected, tol, at = "result", dtol = 0) {
  if (expected === null || typeof expected === "boolean") {
    assert.equal(actual, expected, at);
  } else if (typeof expected === "number") {
    assert.equal(typeof actual, "number", `${at}: ${actual}`);
    assert.ok(Math.abs(actual - expected) <= tol * Math.max(Math.abs(expected), 1e-6), `${at}: ${actual} != ${expected}`);
  } else if (typeof expected === "string") {
    if (isDecimal(expected)) {
      assert.equal(typeof actual, "string", `${at}: decimals are strings`);
      if (dtol > 0) {
        // a case with an explicit decimal tolerance (f64-derived decimals): compare as numbers
        const a = Number(actual), e = Number(expected);
        assert.ok(Math.abs(a - e) <= dtol * Math.max(Math.abs(e), 1), `${at}: ${actual} != ${expected}`);
      } else {
        assert.ok(decimalClose(actual, expected), `${at}: ${actual} != ${expected}`);
      }
    } else {
      assert.equal(actual, expected, at);
    }
  } else if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual) || ArrayBuffer.isView(actual), `${at}: not an array`);
    const a = Array.from(actual);
    assert.equal(a.length, expected.length, `${at}: length`);
    expected.forEach((e, i) => compare(a[i], e, tol, `${at}[${i}]`, dtol));
  } else {
    assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${at}: keys`);
    for (const k of Object.keys(expected)) compare(actual[k], expected[k], tol, `${at}.${k}`, dtol);
  }
}

const engines = ["ropi", "attribution", "routing", "conflicts", "tiers"];

for (const engine of engines.map((name) => ({ name }))) {
  const dir = new URL(`${engine.name}/`, root);
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
    const cases = JSON.parse(readFileSync(new URL(file, dir), "utf8")).cases.map(expand);
    for (const c of cases) {
      test(`${engine.name}/${file}: ${c.description}`, () => {
        const run = () => call(prm, engine.name, c);
        if (c.expected_error) {
          assert.throws(run, (e) => {
            assert.ok(e instanceof Error);
            assert.deepEqual({ code: e.code, path: e.path }, c.expected_error);
            return true;
          });
        } else {
          compare(run(), c.expected, c.tolerance ?? 1e-12, "result", c.decimal_tolerance ?? 0);
        }
      });
    }
  }
}
