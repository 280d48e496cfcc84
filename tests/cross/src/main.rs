//! Cross-surface differential tests, step 1 of 2: random valid-shaped inputs for every engine
//! (seeded), each run through the Rust API; written as golden-vector files
//! (`<out>/<engine>.json`, see vectors/README.md) whose `expected` / `expected_error` is what Rust
//! returned. Step 2: `tests/cross/check.py` (the Python wheel) and `tests/cross/check.mjs` (the
//! WebAssembly package) run every case and require the very same JSON, byte for byte after
//! canonical key order, or the same error code and path.
//!
//!     cargo run -p prm-cross -- [--cases N] [--seed S] [--out DIR]

#![forbid(unsafe_code)]

use prm_cross::{dispatch, inputs, rng};
use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let mut cases = 200usize;
    let mut seed = 2026u64;
    let mut out = PathBuf::from("target/cross");
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || {
            args.next()
                .unwrap_or_else(|| usage(&format!("{a} needs a value")))
        };
        match a.as_str() {
            "--cases" => cases = value().parse().unwrap_or_else(|_| usage("--cases N")),
            "--seed" => seed = value().parse().unwrap_or_else(|_| usage("--seed S")),
            "--out" => out = value().into(),
            _ => usage(&format!("unknown argument {a}")),
        }
    }
    std::fs::create_dir_all(&out).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    for (k, engine) in inputs::ENGINES.iter().enumerate() {
        let mut rng = rng::Rng::new(seed.wrapping_mul(31).wrapping_add(k as u64));
        let (mut errors, mut text) = (0, String::new());
        for i in 0..cases {
            let case = inputs::case(engine, &mut rng);
            let result = match dispatch::eval(engine, &case.request()) {
                Ok(v) => format!("\"expected\":{v}"),
                Err(e) => {
                    errors += 1;
                    format!(
                        "\"expected_error\":{}",
                        serde_json::json!({"code": e.code(), "path": e.path()})
                    )
                }
            };
            // the input's keys in call order (serde_json's map would sort them)
            let input: Vec<String> = case
                .input
                .iter()
                .map(|(k, v)| format!("{}:{v}", serde_json::Value::from(*k)))
                .collect();
            let sep = if i == 0 { "" } else { ",\n" };
            let _ = write!(
                text,
                "{sep}{{\"description\":\"seed {seed} #{i}: {}\",\"op\":\"{}\",\"input\":{{{}}},{result}}}",
                case.op,
                case.op,
                input.join(",")
            );
        }
        let file = out.join(format!("{engine}.json"));
        let doc = format!("{{\"engine\":\"{engine}\",\"seed\":{seed},\"cases\":[\n{text}\n]}}\n");
        std::fs::write(&file, doc).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        println!(
            "{engine}: {cases} cases ({errors} expected errors) -> {}",
            file.display()
        );
    }
}

fn usage(why: &str) -> ! {
    eprintln!("prm-cross: {why}\nusage: prm-cross [--cases N per engine] [--seed S] [--out DIR]");
    std::process::exit(2)
}
