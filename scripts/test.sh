#!/usr/bin/env bash
# Every test of prm, from a fresh clone: Rust (fmt, clippy, unit, property, golden, doc tests),
# Python (the built wheel, pytest + hypothesis), WebAssembly (the built npm package, node
# --test, tsc) and the package in a browser (examples/web: Vite + headless Chromium).
# Installs what it needs first (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n== %s\n' "$*"; }

scripts/setup.sh

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p prm-wasm --target wasm32-unknown-unknown -- -D warnings
# the npm package's two modules (scripts/build-wasm.sh), each a feature set of prm-wasm
for module in portal ops; do
  cargo clippy -p prm-wasm --target wasm32-unknown-unknown --no-default-features --features "$module" -- -D warnings
done

step "supply chain: cargo deny (offline) — licences, bans (one version of each crate), sources"
cargo deny --offline check licenses bans sources

step "Rust tests and doctests"
cargo test --workspace

step "fuzz smoke: every cargo-fuzz target for 20 s on its committed corpus (nightly)"
scripts/fuzz-smoke.sh 20

step "Python: build the wheel, install it, run pytest"
rm -rf target/wheels
.venv/bin/maturin build --release -m prm-py/Cargo.toml --out target/wheels
.venv/bin/python -m pip install -q --force-reinstall --no-deps target/wheels/prm-*.whl
# run from the repository root, where no prm/ folder shadows the installed wheel
.venv/bin/python -m pytest -q prm-py/tests

step "WebAssembly: build the npm package, run node --test and tsc"
scripts/build-wasm.sh
scripts/link-wasm-pkg.sh
(cd prm-wasm/js && ../../.tools/node_modules/.bin/tsc -p tsconfig.json && node --test)

step "browser: the partner-portal demo built with Vite, end to end in headless Chromium"
scripts/test-web.sh

step "cross-surface differential: random inputs for every engine, Rust vs the Python wheel vs WebAssembly"
# 1,000 seeded cases per engine, answered by the Rust API; both bindings must return the same
# JSON (canonical key order) or the same error code and path. A long run: FUZZING.md.
cargo run -q --release -p prm-cross -- --cases 1000 --seed 2026 --out target/cross
.venv/bin/python tests/cross/check.py target/cross
node tests/cross/check.mjs target/cross

step "rustdoc builds without warnings"
RUSTDOCFLAGS="-D warnings" cargo doc -q -p prm-core --no-deps

step "the quickstart runs"
cargo run -q --release -p prm-examples --bin quickstart > /dev/null

printf '\nall tests passed\n'
