// End-to-end tests of the partner-portal demo in headless Chromium (Debian's, driven by
// playwright-core): the built page (dist/, `vite build`) is served by a static file server and
// used as a partner would — typing into the registration form, picking a partner and a model —
// and what it shows is compared with what the Rust API returns for the same input
// (`web_portal expected`, examples/src/web_portal.rs). Artefacts go to target/e2e/: a
// screenshot, and the browser's timings beside the native ones (`web_portal bench`).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { serve } from "./serve.mjs";

const web = fileURLToPath(new URL("..", import.meta.url));
const repo = fileURLToPath(new URL("../../..", import.meta.url));
const artefacts = `${repo}target/e2e`;
mkdirSync(artefacts, { recursive: true });

/** Runs the Rust side of the demo (built once by cargo, release like the quickstart). */
const rust = (...args) =>
  execFileSync("cargo", ["run", "-q", "--release", "-p", "prm-examples", "--bin", "web_portal", "--", ...args], {
    cwd: repo,
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });

const data = JSON.parse(readFileSync(`${web}src/portal-data.json`, "utf8"));
const expected = JSON.parse(rust("expected", `${web}src/portal-data.json`));
writeFileSync(`${artefacts}/bench-data.json`, rust("bench-data"));

let server, browser, page;
const errors = [];
/** The WebAssembly modules the portal page fetched: [{ url, bytes }]. */
const modules = [];

before(async () => {
  server = await serve(
    `${web}dist`,
    { "/bench-data.json": `${artefacts}/bench-data.json`, "/plain.html": `${web}e2e/plain.html` },
    { "/node_modules/prm-wasm/": `${repo}prm-wasm/pkg` },
  );
  browser = await chromium.launch({
    executablePath: process.env.PRM_CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("response", (r) => {
    if (new URL(r.url()).pathname.endsWith(".wasm")) modules.push(r.body().then((bytes) => ({ url: r.url(), bytes })));
  });
  await page.goto(`${server.url}/`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const OPS = { gte: "≥", gt: ">", lte: "≤", lt: "<", eq: "=", ne: "≠" };
const cells = (selector) =>
  page.$$eval(`${selector} tbody tr`, (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));

async function fillForm(form) {
  await page.fill("#company", "");
  await page.fill("#website", form.website);
  await page.fill("#email", form.email);
  await page.selectOption("#country", form.country);
  for (const box of await page.$$("input[name=product]")) await box.setChecked(false);
  for (const p of form.products) await page.check(`input[name=product][value=${p}]`);
  // typed key by key, as a partner would: the page checks on every keystroke
  await page.locator("#company").pressSequentially(form.name);
}

test("the registration form warns as the partner types, with the winner the Rust API picks", async () => {
  const scenarios = data.conflicts.scenarios;
  assert.ok(expected.conflicts.some((c) => c.length > 0), "the sample has conflicts to show");
  assert.ok(expected.conflicts.some((c) => c.length === 0), "and a registration without one");
  for (const [i, form] of scenarios.entries()) {
    await fillForm(form);
    const want = expected.conflicts[i].map((c) => ({
      kind: c.kind,
      other: c.earlier_id === "DRAFT" ? c.later_id : c.earlier_id,
      winner: c.resolution.winner_id,
      rule: c.resolution.rule,
    }));
    const shown = await page.$$eval("#conflict-warning:not([hidden]) li.conflict", (items) =>
      items.map((li) => ({ kind: li.dataset.kind, other: li.dataset.other, winner: li.dataset.winner, rule: li.dataset.rule })),
    );
    assert.deepEqual(shown, want, `scenario ${i}: ${form.name}`);
    if (want.length === 0) {
      assert.equal(await page.isVisible("#conflict-ok"), true, `scenario ${i}: says there is no conflict`);
    } else {
      const text = await page.textContent("#conflict-warning");
      for (const c of expected.conflicts[i]) {
        assert.ok(text.includes(`match score ${c.evidence.score.toFixed(2)}`), `scenario ${i}: evidence score shown`);
        assert.ok(text.includes(c.evidence.normalized_names[1]), `scenario ${i}: normalized name shown`);
      }
    }
    if (i === 1) await page.screenshot({ path: `${artefacts}/portal.png`, fullPage: true });
  }
});

test("the tier widget shows the tier, gaps and paths the Rust API computes", async () => {
  for (const [i, metrics] of data.tiers.partners.entries()) {
    await page.selectOption("#tier-partner", metrics.partner_id);
    const { status, paths } = expected.tiers[i];
    assert.equal(await page.textContent("#tier-name"), status.tier);
    assert.equal(await page.textContent("#tier-change"), status.change);
    assert.deepEqual(
      await cells("#tier-gaps"),
      status.gaps_to_next.map((g) => [g.metric, `${OPS[g.op]} ${g.required}`, g.actual ?? "—", g.short_by ?? "—"]),
    );
    const shownPaths = await page.$$eval("#tier-paths li", (lis) => lis.map((li) => li.textContent));
    assert.equal(shownPaths.length, paths.length, `${metrics.partner_id}: number of paths`);
    paths.forEach((p, k) => {
      for (const g of p) assert.ok(shownPaths[k].includes(`${g.metric} ${OPS[g.op]} ${g.required}`));
    });
  }
});

test("the attribution table shows the Rust API's split under every model", async () => {
  for (const [i, split] of expected.attribution.entries()) {
    await page.selectOption("#attr-model", String(i));
    assert.deepEqual(
      await cells("#attr-shares"),
      split.shares.map((s) => [s.partner_id, `${s.amount.amount} ${s.amount.currency}`, s.credit, String(s.touches), s.sourced ? "yes" : ""]),
      `model ${JSON.stringify(data.attribution.models[i])}`,
    );
    const dropped = await page.$$eval("#attr-touches li.dropped", (lis) => lis.length);
    assert.equal(dropped, split.dropped.length);
  }
  assert.deepEqual(errors, [], "no page errors");
});

test("the portal page downloads the portal module alone, within the 300 KB gzip budget", async () => {
  const fetched = await Promise.all(modules);
  assert.deepEqual(
    fetched.map((m) => new URL(m.url).pathname.replace(/-[\w-]{8}\.wasm$/, ".wasm")),
    ["/assets/prm_portal_bg.wasm"],
    "one module, the portal engines' (routing and ROPI are not downloaded)",
  );
  const gzip = gzipSync(fetched[0].bytes, { level: 9 }).length;
  console.log(`# portal page: ${fetched[0].url.split("/").pop()} ${fetched[0].bytes.length} bytes raw, ${gzip} bytes gzip`);
  assert.ok(gzip <= 300 * 1024, `the module is ${gzip} bytes gzip, over the 300 KB budget`);
});

test("the package works without a bundler: a plain page importing index.js as an ES module", async () => {
  const plain = await browser.newPage();
  plain.on("pageerror", (e) => errors.push(e.message));
  await plain.goto(`${server.url}/plain.html`);
  await plain.waitForFunction(() => window.__plain != null, null, { timeout: 30_000 });
  const got = await plain.evaluate(() => window.__plain);
  assert.equal(got.normalized, "muller logistik");
  assert.equal(got.domain, "mueller-logistik.de");
  assert.equal(got.error, "NoSignChange");
  assert.deepEqual(errors, [], "no page errors");
});

test("in-browser timings beside native ones (recorded, not judged), with identical results", async () => {
  // the time until the portal page's one module is ready, in a fresh context (nothing cached)
  const context = await browser.newContext();
  const portalOnly = await context.newPage();
  portalOnly.on("pageerror", (e) => errors.push(e.message));
  await portalOnly.goto(`${server.url}/bench.html?entry=portal`);
  await portalOnly.waitForFunction(() => window.__bench != null, null, { timeout: 60_000 });
  const portal_ready_ms = (await portalOnly.evaluate(() => window.__bench)).ready_ms;
  await context.close();
  const bench = await browser.newPage();
  bench.on("pageerror", (e) => errors.push(e.message));
  await bench.goto(`${server.url}/bench.html`);
  await bench.waitForFunction(() => window.__bench != null, null, { timeout: 180_000 });
  const browserFigures = await bench.evaluate(() => window.__bench);
  const native = JSON.parse(rust("bench", `${artefacts}/bench-data.json`));
  // the same calls on the same data decide the same: a cross-surface check in a real browser
  assert.equal(browserFigures.conflicts_found, native.conflicts_found);
  assert.equal(browserFigures.leads_decided, native.leads_decided);
  const report = { browser: { ...browserFigures, portal_ready_ms }, native };
  writeFileSync(`${artefacts}/browser-bench.json`, JSON.stringify(report, null, 2));
  const ratio = (k) => (browserFigures[k] / native[k]).toFixed(1);
  console.log(
    `# browser (${browserFigures.userAgent.match(/Chrome\/[\d.]+/)?.[0]}): modules ready ${browserFigures.ready_ms.toFixed(1)} ms ` +
      `(prm-wasm/portal alone ${portal_ready_ms.toFixed(1)} ms); ` +
      `check ${browserFigures.check_us.toFixed(1)} µs (native ${native.check_us.toFixed(1)}, ${ratio("check_us")}x); ` +
      `route ${browserFigures.route_us.toFixed(1)} µs (native ${native.route_us.toFixed(1)}, ${ratio("route_us")}x); ` +
      `index of 10k ${browserFigures.index_build_ms.toFixed(0)} ms (native ${native.index_build_ms.toFixed(0)})`,
  );
  assert.deepEqual(errors, [], "no page errors");
});
