#!/usr/bin/env bash
# A short run of every cargo-fuzz target (default 20 s each; `scripts/fuzz-smoke.sh 600` for the
# long runs of FUZZING.md), seeded with the committed corpora, new inputs written to a scratch
# folder (the committed corpora stay minimised). libFuzzer needs the nightly toolchain: when the
# machine has none, the step says so and is skipped (the corpora are still replayed on stable by
# prm-core/tests/fuzz_corpus.rs).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
secs="${1:-20}"
if ! rustup toolchain list | grep -q '^nightly'; then
  echo "fuzz smoke: skipped — no nightly toolchain here (rustup toolchain install nightly)"
  exit 0
fi
want=0.13.2
if [ "$(cargo fuzz --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
  cargo install cargo-fuzz --version "$want" --locked
fi
cargo +nightly fuzz build -O
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for target in $(cargo +nightly fuzz list); do
  mkdir -p "corpus/$target" "$scratch/$target"
  echo "fuzz smoke: $target, ${secs} s"
  log="$scratch/$target.log"
  if cargo +nightly fuzz run -O "$target" "$scratch/$target" "corpus/$target" -- \
    -max_total_time="$secs" -max_len=4096 -print_final_stats=1 >"$log" 2>&1; then
    grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" || true
  else
    tail -40 "$log"
    echo "fuzz smoke: $target FAILED"
    exit 1
  fi
done
