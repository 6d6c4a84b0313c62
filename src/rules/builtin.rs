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

#[cfg(test)]
mod tests {
    /// Start-up trusts the built-in patterns' syntax and compiles them on
    /// first use; this test is what checks them: loaded in a test build,
    /// every pattern is parsed and compiled within its size limit.
    #[test]
    fn every_built_in_pattern_parses_and_compiles() {
        let set = super::super::load_rule_set(&[super::tree()]);
        assert!(set.is_ok(), "{:?}", set.err());
        assert!(set.map(|s| s.rules.len()).unwrap_or(0) >= 27);
    }
}
