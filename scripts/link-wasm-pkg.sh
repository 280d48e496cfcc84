#!/usr/bin/env bash
# Makes the built package importable by name ("prm-wasm") from prm-wasm/js and examples.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p prm-wasm/js/node_modules
ln -sfn ../../pkg prm-wasm/js/node_modules/prm-wasm
