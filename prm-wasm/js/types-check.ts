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
