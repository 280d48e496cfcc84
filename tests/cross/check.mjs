// Cross-surface differential tests, step 2 (JavaScript): every case that `prm-cross` wrote
// (random inputs for every engine with the Rust API's answers, see tests/cross/src/main.rs)
// through the npm package; the result must be the same JSON as Rust's after canonical key
// order — or the thrown error the same code and path.
//
//     node tests/cross/check.mjs [DIR]   # default target/cross
import { readFileSync, readdirSync } from "node:fs";
import { resolve } from "node:path";
import { call, canonical } from "../../prm-wasm/js/vectors.mjs";

const prm = await import(new URL("../../prm-wasm/pkg/node.js", import.meta.url));
const dir = resolve(process.argv[2] ?? new URL("../../target/cross", import.meta.url).pathname);
const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
if (files.length === 0) {
  console.log(`no cases in ${dir}: run \`cargo run -p prm-cross\` first`);
  process.exit(1);
}
let passed = 0;
const failed = [];
for (const file of files) {
  const doc = JSON.parse(readFileSync(resolve(dir, file), "utf8"));
  // each case is dropped once checked: a heap holding every parsed case makes each garbage
  // collection slower, and the long runs quadratic
  for (let k = 0; k < doc.cases.length; k++) {
    const c = doc.cases[k];
    doc.cases[k] = undefined;
    let got;
    try {
      got = call(prm, doc.engine, c);
    } catch (e) {
      got = e.code === undefined ? { crash: String(e) } : { code: e.code, path: e.path };
    }
    const want = c.expected_error ?? c.expected;
    if (canonical(got) === canonical(want)) passed++;
    else failed.push(`${doc.engine} ${c.description}:\n  wasm ${canonical(got).slice(0, 600)}\n  rust ${canonical(want).slice(0, 600)}`);
  }
}
for (const f of failed.slice(0, 10)) console.log(f);
console.log(`webassembly vs rust: ${passed} identical, ${failed.length} differ`);
process.exit(failed.length ? 1 : 0);
