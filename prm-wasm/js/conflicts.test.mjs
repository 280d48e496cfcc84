// prm conflicts from JavaScript: the registration form's check against an index, detectAll,
// the matcher's building blocks, errors with code and path.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as prm from "prm-wasm";

const reg = (id, partner_id, name, submitted_at, extra = {}) =>
  ({ id, partner_id, customer: { name, ...(extra.customer ?? {}) }, products: ["security"], submitted_at, ...extra.rest });

test("a form warns before the partner submits", () => {
  const index = new prm.ConflictIndex(null, [{ id: "P1", domain: "reseller.de", tier: "gold" }]);
  index.insert(reg("R1", "P1", "Müller Logistik GmbH", "2026-01-05T10:00:00Z", { customer: { website: "www.mueller-logistik.de" } }));
  index.insert({ id: "O1", owner_id: "U1", account: { name: "Other Co" }, products: ["security"], created_at: "2026-01-01T00:00:00Z" });
  assert.equal(index.size, 2);
  const typing = { id: "draft", partner_id: "P2", customer: { name: "MUELLER LOGISTIK", email: "a@mueller-logistik.de" }, products: ["security", "cloud"] };
  const found = index.check(typing, "2026-02-01T00:00:00Z");
  assert.deepEqual(found.map((c) => [c.earlier_id, c.later_id, c.kind]), [["R1", "draft", "channel_conflict"]]);
  assert.equal(found[0].evidence.domain, "equal");
  assert.deepEqual(found[0].resolution, { winner_id: "R1", rule: "first_submitted" });
  // a snapshot (plain data, e.g. for IndexedDB) rebuilds an index that answers the same
  const snap = JSON.parse(JSON.stringify(index.snapshot()));
  assert.deepEqual(snap.records.map((r) => r.id), ["O1", "R1"]);
  const back = prm.ConflictIndex.fromSnapshot(snap);
  assert.deepEqual(back.check(typing, "2026-02-01T00:00:00Z"), found);
  assert.equal(index.remove("R1"), true);
  assert.deepEqual(index.check(typing, "2026-02-01T00:00:00Z"), []);
  snap.records[1].customer.name = " ";
  assert.throws(() => prm.ConflictIndex.fromSnapshot(snap), (e) => e.code === "InvalidRecord" && e.path === "records[1].customer.name");
});

test("detectAll finds every conflict, sorted, with the direct opportunity winning", () => {
  const regs = [reg("R1", "P1", "Acme Industries Inc.", "2026-01-01T00:00:00Z"), reg("R2", "P2", "ACME INDUSTRIES LLC", "2026-01-02T00:00:00Z")];
  const opps = [{ id: "O1", owner_id: "U1", account: { name: "Acme Industries" }, products: ["security"], created_at: "2026-01-03T00:00:00Z" }];
  const found = prm.detectAll(regs, opps, [], null);
  assert.deepEqual(found.map((c) => `${c.earlier_id}>${c.later_id}:${c.kind}:${c.resolution.winner_id}`),
    ["R1>R2:channel_conflict:R1", "R1>O1:direct_conflict:O1", "R2>O1:direct_conflict:O1"]);
});

test("matcher pieces and typed errors", () => {
  assert.equal(prm.matchCustomers({ name: "Bank of Austin" }, { name: "Bank of Boston" }).same_customer, false);
  assert.equal(prm.normalizeCompanyName("ACME, Inc.").key, "acme");
  assert.equal(prm.extractDomain("jane@gmail.com").kind, "free_mail");
  assert.equal(prm.extractDomain("nonsense"), null);
  assert.throws(() => prm.detectAll([reg("R1", "P1", " ", "2026-01-01T00:00:00Z")]), (e) => {
    assert.ok(e instanceof Error);
    assert.deepEqual([e.code, e.path], ["InvalidRecord", "registrations[0].customer.name"]);
    return true;
  });
  assert.throws(() => new prm.ConflictIndex({ matching: { threshold: 2 } }), (e) => e.code === "InvalidPolicy" && e.path === "matching.threshold");
});
