//! The published JSON Schemas in `schema/` must match the types. Regenerate with
//! `PRM_BLESS=1 cargo test -p prm-core --test schema`.

use std::path::PathBuf;

#[test]
fn published_schemas_are_current() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../schema");
    let bless = std::env::var_os("PRM_BLESS").is_some();
    let mut stale = Vec::new();
    for (name, schema) in prm_core::schema::all() {
        let path = root.join(format!("{name}.json"));
        let text = serde_json::to_string_pretty(&schema).unwrap() + "\n";
        if bless {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &text).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "stale schemas {stale:?}: run PRM_BLESS=1 cargo test -p prm-core --test schema"
    );
}
