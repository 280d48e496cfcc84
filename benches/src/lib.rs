//! criterion benchmarks of prm: see `benches/`.
