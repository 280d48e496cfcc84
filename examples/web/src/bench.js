// Browser timings of prm-wasm, on the data of `web_portal bench-data` (served as
// /bench-data.json by the e2e test): time until the modules are ready, then the per-call cost of
// ConflictIndex.check and Router.route — the calls a registration form and a lead inbox make.
// The e2e test reads window.__bench and sets it beside the native figures (`web_portal bench`).
// With ?entry=portal, only the time until prm-wasm/portal is ready: what the portal page waits
// for (one module, where "prm-wasm" is both).
const portalOnly = new URLSearchParams(location.search).get("entry") === "portal";
const t0 = performance.now();
const prm = portalOnly ? await import("prm-wasm/portal") : await import("prm-wasm");
const ready_ms = performance.now() - t0;
window.__bench = portalOnly ? { ready_ms } : { ready_ms, ...(await calls()) };
document.getElementById("out").textContent = JSON.stringify(window.__bench, null, 2);

/** The per-call timings of the whole package. */
async function calls() {
  const data = await (await fetch("/bench-data.json")).json();

  /** Median over `rounds` passes of the per-call time (µs) of f over n inputs. */
  function perCall(n, rounds, f) {
    const times = [];
    for (let r = 0; r < rounds; r++) {
      const t = performance.now();
      for (let i = 0; i < n; i++) f(i);
      times.push(((performance.now() - t) * 1000) / n);
    }
    times.sort((a, b) => a - b);
    return times[rounds >> 1];
  }

  const c = data.conflicts;
  let t = performance.now();
  const index = new prm.ConflictIndex(c.policy, c.partners);
  for (const r of c.book) index.insert(r);
  const index_build_ms = performance.now() - t;
  let conflicts_found = 0;
  const check_us = perCall(c.probes.length, 9, (i) => {
    conflicts_found += index.check(c.probes[i], c.as_of).length;
  });

  const r = data.routing;
  const router = new prm.Router(r.policy, r.partners);
  let state = null;
  let leads_decided = 0;
  const route_us = perCall(r.leads.length, 9, (i) => {
    const out = router.route(r.leads[i], state);
    state = out.state;
    if (out.decision.partner_id != null) leads_decided++;
  });

  return { index_build_ms, check_us, route_us, conflicts_found, leads_decided, userAgent: navigator.userAgent };
}
