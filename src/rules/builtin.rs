//! The built-in rule packs, embedded in the binary so that an installed
//! `clausier` works anywhere.

use super::sources::{RuleTree, SourceFile};
use include_dir::{include_dir, Dir};

static RULES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/rules");

/// The built-in rule tree (`rules/` of the source repository).
pub fn tree() -> RuleTree {
    let mut files = Vec::new();
    collect(&RULES, &mut files);
    files.sort_by(|a, b| a.relative.cmp(&b.relative));
    RuleTree { name: "builtin".to_string(), files }
}

fn collect(dir: &Dir<'static>, out: &mut Vec<SourceFile>) {
    for file in dir.files() {
        if let Some(text) = file.contents_utf8() {
            let relative = file.path().to_string_lossy().replace('\\', "/");
            out.push(SourceFile { display: format!("rules/{relative}"), relative, text: text.to_string() });
        }
    }
    for sub in dir.dirs() {
        collect(sub, out);
    }
}
