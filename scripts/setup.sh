#!/usr/bin/env bash
# Installs what the tests need on a fresh machine; each step is skipped when already done.
#   - the wasm32-unknown-unknown Rust target
#   - wasm-bindgen-cli at exactly the version prm-wasm pins (Cargo.toml: wasm-bindgen = "=X")
#   - a git-ignored Python venv (.venv) with maturin and the test packages (incl. pyspark, dask)
#   - npm tools in a git-ignored .tools/: binaryen (wasm-opt) and typescript (tsc)
#   - Debian's chromium, for the browser end-to-end tests of examples/web
#   - cargo-deny, for the offline supply-chain check (deny.toml)
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "rust target wasm32-unknown-unknown"
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

want=$(sed -n 's/^wasm-bindgen = "=\(.*\)"$/\1/p' Cargo.toml)
step "wasm-bindgen-cli $want"
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
  # --locked fails on this registry (its lock pins a crate version the registry lacks)
  cargo install wasm-bindgen-cli --version "$want"
fi

deny_version=0.20.2
step "cargo-deny $deny_version"
if [ "$(cargo deny --version 2>/dev/null | awk '{print $2}')" != "$deny_version" ]; then
  cargo install cargo-deny --version "$deny_version" --locked
fi

step "python venv (.venv)"
[ -x .venv/bin/python ] || python3 -m venv .venv
# pyspark (a ~450 MB source package, about a minute) and dask run prm.spark / prm.dask tests on
# real engines; pyspark 4 warns on pandas >= 3, hence the pin (as in the `spark` extra)
.venv/bin/python -m pip install -q --disable-pip-version-check \
  "maturin>=1.9,<2" "pytest>=8" "hypothesis>=6.100" "numpy>=1.24" "pandas>=2.2,<3" "polars>=1.0" "mpmath>=1.3" \
  "pyarrow>=15" "pyspark>=4.0,<5" "dask[dataframe,distributed]>=2024.12"

step "npm tools (.tools): binaryen, typescript"
mkdir -p .tools
[ -f .tools/package.json ] || echo '{"private": true}' > .tools/package.json
if [ ! -x .tools/node_modules/.bin/wasm-opt ] || [ ! -x .tools/node_modules/.bin/tsc ]; then
  (cd .tools && npm install --no-audit --no-fund --loglevel=error binaryen@132.0.0 typescript@5.9.3)
fi

step "chromium (Debian's package) for the browser tests"
if [ ! -x /usr/bin/chromium ]; then
  as_root=()
  [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get install -y -q chromium >/dev/null ||
    { "${as_root[@]}" apt-get update -q >/dev/null && "${as_root[@]}" apt-get install -y -q chromium >/dev/null; }
fi
