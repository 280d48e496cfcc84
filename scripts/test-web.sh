#!/usr/bin/env bash
# The npm package in a real browser: builds the partner-portal demo (examples/web) with Vite on
# the freshly built prm-wasm package, then drives it in headless Chromium (Debian's, through
# playwright-core) and compares what it shows with the Rust API. Needs prm-wasm/pkg
# (scripts/build-wasm.sh) and /usr/bin/chromium (scripts/setup.sh installs both tools).
# Artefacts: target/e2e/portal.png (screenshot), target/e2e/browser-bench.json (timings).
set -euo pipefail
cd "$(dirname "$0")/../examples/web"
npm ci --no-audit --no-fund --loglevel=error
node_modules/.bin/vite build --logLevel warn
node --test e2e/
