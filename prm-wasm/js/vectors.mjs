// Running golden-vector cases (vectors/README.md) through the npm package: shared by
// golden.test.mjs and the cross-surface check (tests/cross/check.mjs).

const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

function fn(prm, op) {
  const f = prm[camel(op)];
  if (typeof f !== "function") throw new Error(`no export ${camel(op)}`);
  return f;
}

/** Runs case `c` (`op` and `input`) of `engine` on the package `prm`, as a user would: the
 * camelCase function with the input's values in key order, or the compiled object's method. */
export function call(prm, engine, c) {
  const i = c.input;
  switch (engine) {
    case "routing": {
      if (c.op === "parse_condition") return prm.parseCondition(i.text);
      if (c.op === "format_condition") return prm.formatCondition(i.condition);
      const router = new prm.Router(i.policy, i.partners);
      if (c.op === "route") return router.route(i.lead, i.state);
      if (c.op === "route_batch") return router.routeBatch(i.leads, i.state);
      if (c.op === "reroute") return router.reroute(i.lead, i.declined, i.state);
      if (c.op === "assign_optimal") return router.assignOptimal(i.leads);
      if (c.op === "explain") return router.explain(i.lead, i.state);
      throw new Error(`unknown routing op ${c.op}`);
    }
    case "tiers": {
      if (c.op === "simulate") return fn(prm, c.op)(...Object.values(i));
      const program = new prm.TierProgram(i.program);
      if (c.op === "compile") return null;
      if (c.op === "evaluate_many") return program.evaluateMany(i.metrics_list, i.previous_list, i.as_of);
      return program.evaluate(i.metrics, i.previous, i.as_of);
    }
    case "conflicts":
      if (c.op === "check") {
        const index = new prm.ConflictIndex(i.policy, i.partners);
        for (const record of i.records) index.insert(record);
        return index.check(i.registration, i.as_of);
      }
      return fn(prm, c.op)(...Object.values(i));
    default: // ropi, attribution: functions
      return fn(prm, c.op)(...Object.values(i));
  }
}

/** JSON text with sorted keys (typed arrays as arrays): two results are the same exactly when
 * their canonical texts are the same (numbers print their shortest round-trip digits). */
export function canonical(v) {
  const sort = (x) => {
    if (ArrayBuffer.isView(x)) return Array.from(x);
    if (Array.isArray(x)) return x.map(sort);
    if (x !== null && typeof x === "object") {
      return Object.fromEntries(Object.keys(x).sort().map((k) => [k, sort(x[k])]));
    }
    return x;
  };
  return JSON.stringify(sort(v));
}

// The generators of vectors/README.md ($repeat, $concat, $list, $nest), expanded.
export function expand(v) {
  if (Array.isArray(v)) return v.map(expand);
  if (v === null || typeof v !== "object") return v;
  if ("$repeat" in v) return v.$repeat.repeat(v.times);
  if ("$concat" in v) return v.$concat.map(expand).join("");
  if ("$list" in v) {
    const item = expand(v.$list);
    return Array.from({ length: v.times }, (_, i) => fill(item, String(i)));
  }
  if ("$nest" in v) {
    const template = expand(v.$nest);
    let out = expand(v.leaf);
    for (let k = 0; k < v.times; k++) out = put(template, out);
    return out;
  }
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, expand(x)]));
}
const mapJson = (t, f) =>
  Array.isArray(t) ? t.map(f) : t !== null && typeof t === "object" ? Object.fromEntries(Object.entries(t).map(([k, x]) => [k, f(x)])) : t;
const fill = (t, i) => (typeof t === "string" ? t.replaceAll("{i}", i) : mapJson(t, (x) => fill(x, i)));
const put = (t, inner) => (t === "$inner" ? inner : mapJson(t, (x) => put(x, inner)));
