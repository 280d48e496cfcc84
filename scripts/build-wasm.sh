#!/usr/bin/env bash
# Builds the npm package into prm-wasm/pkg: cargo (profile `wasm`: size-optimised, LTO),
# wasm-bindgen (--target web, wrapped by npm/index.js for Node and browsers), and wasm-opt from
# npm `binaryen` when it is installed (scripts/setup.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
out=prm-wasm/pkg
cargo build -p prm-wasm --target wasm32-unknown-unknown --profile wasm
rm -rf "$out" && mkdir -p "$out"
wasm-bindgen --target web --out-dir "$out" target/wasm32-unknown-unknown/wasm/prm_wasm.wasm
opt=.tools/node_modules/.bin/wasm-opt
if [ -x "$opt" ]; then
  "$opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
    "$out/prm_wasm_bg.wasm" -o "$out/prm_wasm_bg.opt.wasm"
  mv "$out/prm_wasm_bg.opt.wasm" "$out/prm_wasm_bg.wasm"
fi
cp prm-wasm/npm/* "$out/"
raw=$(stat -c %s "$out/prm_wasm_bg.wasm")
gz=$(gzip -9 -c "$out/prm_wasm_bg.wasm" | wc -c)
echo "prm-wasm: $out/prm_wasm_bg.wasm ${raw} bytes raw, ${gz} bytes gzip"
