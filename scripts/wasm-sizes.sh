#!/usr/bin/env bash
# The WebAssembly modules' sizes after wasm-opt -Oz: the npm package's two modules, all five
# engines in one module, and each engine alone — the table of BENCHMARKS.md "WebAssembly: size".
# Takes a few minutes (one LTO build per module).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "| build | raw | gzip -9 |"
echo "|---|---:|---:|"
# One row per module a build prints ("prm-wasm: PATH N bytes raw, M bytes gzip (ENGINES)").
rows() {
  local label="$1" line
  shift
  scripts/build-wasm.sh "$@" 2>/dev/null | grep '^prm-wasm: .* bytes raw' | while read -r line; do
    set -- $line
    # the package's modules by name and feature set, a custom build by its engines
    local name
    name=$(basename "$2" _bg.wasm)
    [ "$name" = prm_wasm ] && name= || name="$name, feature "
    printf '| %s%s%s | %s KB | %s KB |\n' "$label" "$name" "$(echo "$line" | sed 's/.*(\(.*\))$/\1/')" \
      $(( $3 / 1024 )) $(( $6 / 1024 ))
  done
}
rows "the npm package: " --out target/wasm-sizes/package
PRM_WASM_STABLE=1 rows "stable toolchain (PRM_WASM_STABLE=1): " --out target/wasm-sizes/package-stable
rows "all engines in one module: " --features "conflicts tiers attribution routing ropi" --out target/wasm-sizes/all
rows "all engines in one module, --small: " --features "conflicts tiers attribution routing ropi" --small --out target/wasm-sizes/all-small
for engine in ropi attribution routing tiers conflicts; do
  rows "one engine, --small: " --features "$engine" --small --out "target/wasm-sizes/$engine"
done
rows "the portal module's engines, --small: " --features "conflicts tiers attribution" --small --out target/wasm-sizes/portal
