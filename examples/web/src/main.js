// The partner portal: three widgets, each a thin view over one prm-wasm call.
//   - the deal-registration form checks the draft against the book on every keystroke
//     (ConflictIndex.check) and shows the evidence and who would win;
//   - the tier widget shows tier, gaps and the cheapest paths up (TierProgram);
//   - the attribution table splits a deal under the chosen model (split).
// All three engines are in the package's portal module: the page downloads that one alone.
import { ConflictIndex, TierProgram, split } from "prm-wasm/portal";
import data from "./portal-data.json";

const $ = (id) => document.getElementById(id);
const el = (tag, { dataset, ...props } = {}, ...children) => {
  const e = Object.assign(document.createElement(tag), props);
  Object.assign(e.dataset, dataset);
  e.append(...children);
  return e;
};
const row = (...cells) => el("tr", {}, ...cells.map((c) => el("td", {}, c)));
const OPS = { gte: "≥", gt: ">", lte: "≤", lt: "<", eq: "=", ne: "≠" };

$("me").textContent = data.me;

// ---- deal registration -------------------------------------------------------------------
const index = new ConflictIndex(data.conflicts.policy, data.conflicts.partners);
for (const record of data.conflicts.book) index.insert(record);
const owners = new Map(data.conflicts.book.map((r) => [r.id, r.partner_id ?? `${r.owner_id} (direct)`]));
const customers = new Map(data.conflicts.book.map((r) => [r.id, (r.customer ?? r.account).name]));

const PRODUCTS = ["security", "sase", "cloud", "analytics"];
for (const p of PRODUCTS) {
  $("products").append(el("label", {}, el("input", { type: "checkbox", name: "product", value: p }), ` ${p}`));
}

/** The registration the form describes (the same as `draft` in examples/src/web_portal.rs). */
export function draft(form) {
  const customer = { name: form.name, country: form.country };
  for (const key of ["website", "email"]) if (form[key].trim() !== "") customer[key] = form[key];
  return { id: "DRAFT", partner_id: data.me, customer, products: form.products, submitted_at: data.as_of };
}

function formValues() {
  return {
    name: $("company").value,
    website: $("website").value,
    email: $("email").value,
    country: $("country").value,
    products: [...document.querySelectorAll("input[name=product]:checked")].map((i) => i.value),
  };
}

const KIND = {
  duplicate: "Duplicate of your own registration",
  channel_conflict: "Channel conflict",
  direct_conflict: "Conflict with a direct opportunity",
};

function explain(c) {
  const other = c.earlier_id === "DRAFT" ? c.later_id : c.earlier_id;
  const winner = c.resolution.winner_id;
  const who = winner === "DRAFT" ? "your registration" : `${winner} (${owners.get(winner)})`;
  const e = c.evidence;
  return el(
    "li",
    { className: "conflict", dataset: { kind: c.kind, other, winner, rule: c.resolution.rule } },
    el("strong", {}, `${KIND[c.kind]}: `),
    `${other} — ${customers.get(other)} — registered by ${owners.get(other)}`,
    el("br"),
    `Would be won by `,
    el("strong", { className: "winner" }, who),
    ` (rule: ${c.resolution.rule.replaceAll("_", " ")})`,
    el(
      "div",
      { className: "evidence" },
      `match score ${e.score.toFixed(2)} · names “${e.normalized_names[0]}” / “${e.normalized_names[1]}” · ` +
        `domain ${e.domain} · ${e.reasons.join(", ")}` +
        (c.overlapping_products.length ? ` · products ${c.overlapping_products.join(", ")}` : ""),
    ),
  );
}

function checkDraft() {
  const form = formValues();
  const warning = $("conflict-warning");
  if (form.name.trim() === "") {
    warning.hidden = true;
    $("conflict-ok").hidden = true;
    return;
  }
  let conflicts;
  try {
    conflicts = index.check(draft(form), data.as_of);
  } catch (e) {
    warning.replaceChildren(`Cannot check: ${e.message} (${e.code} at ${e.path})`);
    warning.hidden = false;
    return;
  }
  warning.replaceChildren(
    el("p", {}, `${conflicts.length} possible conflict${conflicts.length === 1 ? "" : "s"} — check before you submit:`),
    el("ul", {}, ...conflicts.map(explain)),
  );
  warning.hidden = conflicts.length === 0;
  $("conflict-ok").hidden = conflicts.length !== 0;
}
$("deal-form").addEventListener("input", checkDraft);
$("deal-form").addEventListener("change", checkDraft);
$("deal-form").addEventListener("submit", (e) => e.preventDefault());

// ---- tiers -------------------------------------------------------------------------------
const program = new TierProgram(data.tiers.program);
const tierNames = data.tiers.program.tiers.map((t) => t.name);
for (const m of data.tiers.partners) $("tier-partner").append(el("option", { value: m.partner_id }, m.partner_id));

const gapText = (g) => `${g.metric} ${OPS[g.op]} ${g.required}`;
function showTier() {
  const metrics = data.tiers.partners.find((m) => m.partner_id === $("tier-partner").value);
  const status = program.evaluate(metrics, null, null);
  const paths = program.pathsToNext(metrics, status);
  const next = tierNames[tierNames.indexOf(status.tier) + 1];
  $("tier-name").textContent = status.tier ?? "none";
  $("tier-change").textContent = status.change;
  $("tier-next").textContent = next ? `· next: ${next}` : "· top tier";
  $("tier-gaps").tBodies[0].replaceChildren(
    ...status.gaps_to_next.map((g) => row(g.metric, `${OPS[g.op]} ${g.required}`, g.actual ?? "—", g.short_by ?? "—")),
  );
  $("tier-paths").replaceChildren(
    ...paths.map((p) => el("li", {}, p.map((g) => `${gapText(g)} (short by ${g.short_by ?? "all"})`).join(" and "))),
  );
}
$("tier-partner").addEventListener("change", showTier);
showTier();

// ---- attribution ---------------------------------------------------------------------------
const deal = data.attribution.deal;
const modelLabel = (m) => (typeof m === "string" ? m : m.type);
data.attribution.models.forEach((m, i) => $("attr-model").append(el("option", { value: String(i) }, modelLabel(m))));
$("attr-deal").textContent = `${deal.id}: ${deal.amount.amount} ${deal.amount.currency}, closed ${deal.closed_at.slice(0, 10)}, ${deal.touches.length} partner touches`;

function showSplit() {
  const result = split(deal, data.attribution.models[Number($("attr-model").value)]);
  $("attr-shares").tBodies[0].replaceChildren(
    ...result.shares.map((s) => row(s.partner_id, `${s.amount.amount} ${s.amount.currency}`, s.credit, String(s.touches), s.sourced ? "yes" : "")),
  );
  $("attr-touches").replaceChildren(
    ...result.counted.map((t) => el("li", {}, `${t.at.slice(0, 10)} ${t.partner_id} (${t.touch_type}): weight ${t.weight}`)),
    ...result.dropped.map((t) => el("li", { className: "dropped" }, `${t.at.slice(0, 10)} ${t.partner_id}: not counted (${t.reason.replaceAll("_", " ")})`)),
  );
}
$("attr-model").addEventListener("change", showSplit);
showSplit();

document.body.dataset.ready = "true";
