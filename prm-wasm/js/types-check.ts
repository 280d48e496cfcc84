// Compiled with `tsc --noEmit --strict` by the test command: the published .d.ts must type a
// user's ordinary calls (and reject wrong ones, see the @ts-expect-error lines).
import { xirr, irr, partnerEconomics, irrBatch, type PartnerEconomics, type PrmError } from "prm-wasm";

const rate: number = xirr(["2025-01-01", "2026-01-01"], [-100, 110], null);
const r2: number = irr([-100, 110], null);
const out: PartnerEconomics = partnerEconomics({ sourced_revenue: "1", margin_rate: 0.4, costs: { mdf: "1" } });
const roi: string = out.ropi_margin;
const many: (number | null)[] = irrBatch([[-1, 2]], { errors: "coerce" });
// @ts-expect-error margin_rate is required
partnerEconomics({ sourced_revenue: "1" });
function code(e: PrmError): string { return e.code + e.path; }
export { rate, r2, roi, many, code };
import { TierProgram, simulate, type TierStatus, type Simulation } from "prm-wasm";
const program = new TierProgram({ tiers: [{ name: "base" }, { name: "gold", requirements: { metric: "revenue", op: "gte", value: "1" } }] });
const status: TierStatus = program.evaluate({ partner_id: "P", values: { revenue: 2 } }, null, null);
const sim: Simulation = simulate({ tiers: [{ name: "a" }] }, { tiers: [{ name: "a" }] }, [], null, null);
// @ts-expect-error op must be one of the six comparisons
new TierProgram({ tiers: [{ name: "x", requirements: { metric: "m", op: "between", value: 1 } }] });
export { status, sim };
import { split, markov, Journeys, type Attribution, type MarkovResult } from "prm-wasm";
const split1: Attribution = split({ id: "D", amount: { amount: "1", currency: "EUR" }, closed_at: "2026-01-01T00:00:00Z" }, { type: "time_decay", half_life_days: 14 });
const mk: MarkovResult = new Journeys([{ path: "A>B", conversions: 1 }]).markov("proportional");
const mk2: MarkovResult = markov([{ path: ["A"], conversions: 1 }], null);
// @ts-expect-error unknown model name
split({ id: "D", amount: { amount: "1", currency: "EUR" }, closed_at: "2026-01-01T00:00:00Z" }, "lenear");
export { split1, mk, mk2 };

import { ConflictIndex, detectAll, type Conflict, type ConflictIndexSnapshot, type MatchEvidence, matchCustomers } from "prm-wasm";
const cidx = new ConflictIndex({ protection_days: 60, resolution: ["direct_wins", "higher_tier"] }, [{ id: "P1", tier: "gold" }]);
cidx.insert({ id: "R1", partner_id: "P1", customer: { name: "Acme" }, submitted_at: "2026-01-01T00:00:00Z" });
const conflicts: Conflict[] = cidx.check({ id: "R2", partner_id: "P2", customer: { name: "Acme" } }, "2026-01-02T00:00:00Z");
const all: Conflict[] = detectAll([], null, null, null);
const ev: MatchEvidence = matchCustomers({ name: "A" }, { name: "B" }, null);
// @ts-expect-error unknown resolution rule
new ConflictIndex({ resolution: ["coin_flip"] }, null);
const snapshot: ConflictIndexSnapshot = cidx.snapshot();
ConflictIndex.fromSnapshot(snapshot).size satisfies number;
export { conflicts, all, ev };

import { Router, type Explanation } from "prm-wasm";
const router = new Router({ rules: [{ name: "r", strategy: { type: "first" } }] }, [{ id: "P1" }]);
const why: Explanation = router.explain({ id: "L1" }, null);
const reason: "inactive" | "eligible" | "capacity" | "weight_zero" | "no_location" | undefined = why.rules[0]?.excluded[0]?.reason;
export { why, reason };

// The entry points of one module each: the same declarations, and only their own engines'.
import { ConflictIndex as PortalIndex, split as portalSplit, limits as portalLimits, type PrmError as PortalError } from "prm-wasm/portal";
import { Router as OpsRouter, xirr as opsXirr, limits as opsLimits } from "prm-wasm/ops";
const sameIndex: typeof ConflictIndex = PortalIndex;
const sameRouter: typeof Router = OpsRouter;
const sameLimits: typeof portalLimits = opsLimits;
const sameError: PrmError = {} as PortalError;
// @ts-expect-error routing is not in the portal module
import { Router as NoRouter } from "prm-wasm/portal";
// @ts-expect-error conflicts are not in the ops module
import { ConflictIndex as NoIndex } from "prm-wasm/ops";
export { sameIndex, sameRouter, sameLimits, sameError, portalSplit, opsXirr, NoRouter, NoIndex };
