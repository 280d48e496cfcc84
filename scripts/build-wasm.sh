#!/usr/bin/env bash
# Builds the npm package: cargo (profile `wasm`: size-optimised, LTO), wasm-bindgen (--target
# web, wrapped by the npm/ entry points for Node, browsers and bundlers), and wasm-opt from npm
# `binaryen` when it is installed (scripts/setup.sh installs it). The package is two modules,
# each under the 300 KB gzip budget: prm_portal (feature `portal`: conflicts, tiers, attribution,
# what a partner portal page needs) and prm_ops (`ops`: routing, ROPI, the vendor's channel
# operations); npm/README.md says why. Prints each module's raw and gzip size.
# With a nightly toolchain that has rust-src (as on this project's machines), the standard
# library is built with the module and panics trap at once (below); PRM_WASM_STABLE=1 forces the
# stable toolchain.
#
#   scripts/build-wasm.sh                                   # the npm package, into prm-wasm/pkg
#   scripts/build-wasm.sh --features "conflicts tiers" --small --out target/wasm-custom
#
# --features builds one module of the named engines (ropi attribution routing tiers conflicts),
# prm_wasm.js and prm_wasm_bg.wasm as wasm-bindgen writes them (call its default export, init,
# before anything else): a custom set for a page, or all five in one module for comparison.
# --small optimises for size (opt-level "z", profile `wasm-small`): ~7% smaller, ~40% slower on
# the ROPI solvers.
set -euo pipefail
cd "$(dirname "$0")/.."
out=prm-wasm/pkg
engines=
target_dir=target
profile=wasm
while [ $# -gt 0 ]; do
  case "$1" in
    --features) engines="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --small) profile=wasm-small; shift ;;
    *) echo "usage: $0 [--features \"ENGINES\"] [--small] [--out DIR]" >&2; exit 2 ;;
  esac
done
if [ -n "$engines" ] || [ "$profile" != wasm ]; then
  # a separate target dir keeps the default build's artefacts (and incremental state) intact
  target_dir=target/wasm-features
fi
# Panic locations name source files: dependencies' by their path in cargo's registry, which
# would put this machine's home directory into the module. Written relative to the registry
# instead: the same module from any machine.
remap=()
for dir in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
  [ -d "$dir" ] && remap+=("--remap-path-prefix=${dir%/}=registry")
done
# With a nightly toolchain that has the standard library's source (rust-src), the standard
# library is compiled with the module (-Zbuild-std) and a panic traps at once
# (-Cpanic=immediate-abort): on wasm32-unknown-unknown a panic's message goes nowhere, yet
# panic=abort still compiles the code that formats it and the source locations it names (~16 KB
# gzip). core, alloc and std keep opt-level 3, as in the precompiled standard library: at the
# profile's "s" the index build, `check` and `xirrBatch` were 10-18% slower from JS. Without such a toolchain,
# or with PRM_WASM_STABLE=1, the stable toolchain builds the same code, each module 9-18 KB gzip larger.
# (BENCHMARKS.md, WebAssembly: size.)
toolchain=(cargo)
std_flags=()
nightly_rustflags=()
sysroot=
# (asked only when rustup lists a nightly: `+nightly` must not make rustup install one)
if rustup toolchain list 2>/dev/null | grep '^nightly' >/dev/null; then
  sysroot=$(rustc +nightly --print sysroot 2>/dev/null || true)
fi
# (the probe: an older nightly has no immediate-abort panic strategy)
if [ -z "${PRM_WASM_STABLE:-}" ] && [ -n "$sysroot" ] && [ -d "$sysroot/lib/rustlib/src/rust/library/std" ] &&
  rustc +nightly -Zunstable-options -Cpanic=immediate-abort --print cfg --target wasm32-unknown-unknown - \
    </dev/null >/dev/null 2>&1; then
  toolchain=(cargo +nightly)
  std_flags=(-Zbuild-std=std,panic_abort)
  for crate in core alloc std dlmalloc compiler_builtins; do
    std_flags+=(--config "profile.$profile.package.$crate.opt-level=3")
  done
  nightly_rustflags=("--remap-path-prefix=$sysroot/lib/rustlib/src/rust=rust" -Zunstable-options -Cpanic=immediate-abort)
  target_dir="$target_dir/build-std"
  echo "prm-wasm: $(rustc +nightly --version): the standard library built with the module, panics trap at once"
else
  echo "prm-wasm: stable toolchain (no nightly with rust-src and immediate-abort panics, or PRM_WASM_STABLE set): each module is 9-18 KB gzip larger"
fi
# One module: cargo with the given engines, wasm-bindgen (--out-name NAME), wasm-opt; prints
# its raw and gzip size against the size budget (issue 9: 300 KB gzip per module), reported
# with every build, never a failure: a module over it says by how much.
module() {
  local name="$1" engines="$2" raw gz budget=$((300 * 1024))
  RUSTFLAGS="${RUSTFLAGS:-} ${remap[*]} ${nightly_rustflags[*]}" \
    "${toolchain[@]}" build -p prm-wasm --target wasm32-unknown-unknown --profile "$profile" --target-dir "$target_dir" \
    "${std_flags[@]}" --no-default-features --features "$engines"
  wasm-bindgen --target web --out-dir "$out" --out-name "$name" "$target_dir/wasm32-unknown-unknown/$profile/prm_wasm.wasm"
  if [ -x "$opt" ]; then
    "$opt" -Oz --one-caller-inline-max-function-size=0 --strip-producers --strip-target-features --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
      "$out/${name}_bg.wasm" -o "$out/${name}_bg.opt.wasm"
    mv "$out/${name}_bg.opt.wasm" "$out/${name}_bg.wasm"
  fi
  raw=$(stat -c %s "$out/${name}_bg.wasm")
  gz=$(gzip -9 -c "$out/${name}_bg.wasm" | wc -c)
  echo "prm-wasm: $out/${name}_bg.wasm ${raw} bytes raw, ${gz} bytes gzip ($engines)"
  if [ "$gz" -le "$budget" ]; then
    echo "prm-wasm: $name: $((gz / 1024)) KB gzip, within the 300 KB budget"
  else
    echo "prm-wasm: $name: $((gz / 1024)) KB gzip, over the 300 KB budget by $(((gz - budget + 1023) / 1024)) KB (BENCHMARKS.md, WebAssembly: size)"
  fi
}
opt=.tools/node_modules/.bin/wasm-opt
rm -rf "$out" && mkdir -p "$out"
if [ -n "$engines" ]; then
  module prm_wasm "$engines"
else
  # The npm package: the partner-portal engines and the channel-operations engines as two
  # modules (npm/README.md, "Size"), each module's .d.ts without the init functions,
  # which the entry points call (so the entry point for both has one of each name).
  module prm_portal portal
  module prm_ops ops
  for name in prm_portal prm_ops; do
    sed -i '/^export type InitInput/,$d' "$out/$name.d.ts"
  done
  cp prm-wasm/npm/* "$out/"
fi
