//! The built-in rule packs are embedded with include_dir; their YAML files
//! are also converted here to JSON, which loads several times faster than
//! YAML at start-up (`rules::builtin`). A file that does not convert is
//! left to the YAML loader, which reports its error with its place.
//!
//! The literals of the built-in patterns (`src/engine/literals.json`, which
//! a test keeps current) are written out as a Rust table, sorted by
//! pattern, so that start-up looks them up without parsing JSON.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=rules");
    let mut files = Vec::new();
    collect(Path::new("rules"), &mut files);
    // Sorted as strings, the order `rules::builtin` searches them in.
    let mut files: Vec<(String, PathBuf)> = files
        .into_iter()
        .map(|path| (path.strip_prefix("rules").unwrap_or(&path).to_string_lossy().replace('\\', "/"), path))
        .collect();
    files.sort();
    let mut out = String::from("/// Built-in YAML files and their JSON, by path under `rules/`.\n");
    out.push_str("pub static CONVERTED: &[(&str, &str)] = &[\n");
    for (relative, path) in files {
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let Ok(value) = serde_saphyr::from_str::<serde_json::Value>(&text) else { continue };
        let Ok(json) = serde_json::to_string(&value) else { continue };
        let _ = writeln!(out, "    ({relative:?}, {json:?}),");
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("builtin_json.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        panic!("cannot write {}: {e}", dest.display());
    }
    literals();
}

/// `src/engine/literals.json` as a sorted Rust table (`engine::prefilter`).
fn literals() {
    println!("cargo:rerun-if-changed=src/engine/literals.json");
    type Entry = (String, Option<Vec<Vec<String>>>, bool);
    let text = std::fs::read_to_string("src/engine/literals.json").unwrap_or_default();
    // An unreadable table is an empty one: every pattern's literals are then computed at start-up.
    let mut entries: Vec<Entry> = serde_json::from_str(&text).unwrap_or_default();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries.dedup_by(|a, b| a.0 == b.0);
    let mut out = String::from("/// The literals of the built-in patterns, sorted by pattern body.\n");
    out.push_str("pub static KNOWN_TABLE: &[Known] = &[\n");
    for (body, sets, starts) in entries {
        let sets = match sets {
            None => "None".to_string(),
            Some(sets) => {
                let sets: Vec<String> = sets.iter().map(|set| format!("&{set:?}")).collect();
                format!("Some(&[{}])", sets.join(", "))
            }
        };
        let _ = writeln!(out, "    ({body:?}, {sets}, {starts}),");
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("literals.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        panic!("cannot write {}: {e}", dest.display());
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")) {
            out.push(path);
        }
    }
}
