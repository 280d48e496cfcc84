//! Replays the `structured` fuzz target's corpus (`fuzz/corpus/structured`, which keeps its
//! findings) on stable, in every test run.

#[test]
fn structured_corpus_replays() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/structured");
    let mut n = 0;
    for file in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        prm_cross::structured(&std::fs::read(file.unwrap().path()).unwrap());
        n += 1;
    }
    assert!(n > 50, "the corpus has {n} inputs");
}

#[test]
fn a_17_digit_float_survives_the_json_round_trip() {
    // the first finding: npv_excel's result -100000099.99999993 came back from serde_json's
    // default parser as ...91; it is the fuzzer's crash input, kept in the corpus
    let bytes = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fuzz/corpus/structured/crash-975460ee4d8228d9b3b7e32f4da53929bb9a575b"),
    )
    .unwrap();
    prm_cross::structured(&bytes);
}
