#!/usr/bin/env bash
# The WebAssembly module's size, whole and per engine (cargo features), after wasm-opt -Oz:
# the table of BENCHMARKS.md "WebAssembly size". Takes a few minutes (one LTO build each).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "| build | raw | gzip -9 |"
echo "|---|---:|---:|"
row() {
  local name="$1" line
  shift
  line=$(scripts/build-wasm.sh "$@" 2>/dev/null | grep '^prm-wasm: .* bytes raw')
  # "prm-wasm: PATH N bytes raw, M bytes gzip"
  set -- $line
  printf '| %s | %s KB | %s KB |\n' "$name" $(( $3 / 1024 )) $(( $6 / 1024 ))
}
row "all engines (the npm package)" --out target/wasm-sizes/all
PRM_WASM_STABLE=1 row "all engines, stable toolchain (PRM_WASM_STABLE=1)" --out target/wasm-sizes/all-stable
row "all engines, --small" --small --out target/wasm-sizes/all-small
for engine in ropi attribution routing tiers conflicts; do
  row "$engine only, --small" --features "$engine" --small --out "target/wasm-sizes/$engine"
done
row "portal demo set (conflicts tiers attribution), --small" --features "conflicts tiers attribution" --small \
  --out target/wasm-sizes/portal
row "portal demo set (conflicts tiers attribution)" --features "conflicts tiers attribution" \
  --out target/wasm-sizes/portal-full
