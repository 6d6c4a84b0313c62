//! The built-in rule packs, embedded in the binary so that an installed
//! `clausier` works anywhere.

use super::sources::{RuleTree, SourceFile};
use include_dir::{include_dir, Dir};

static RULES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/rules");

mod converted {
    include!(concat!(env!("OUT_DIR"), "/builtin_json.rs"));
}

/// The built-in rule tree (`rules/` of the source repository). Its YAML
/// files load from the JSON they were converted to when clausier was
/// built; in tests, from their YAML, so that an error in a built-in rule is
/// shown at its line.
pub fn tree() -> RuleTree {
    tree_of(cfg!(not(test)))
}

/// The built-in tree, its YAML files given their JSON when `json`.
pub fn tree_of(json: bool) -> RuleTree {
    let mut files = Vec::new();
    collect(&RULES, &mut files, json);
    files.sort_by(|a, b| a.relative.cmp(&b.relative));
    RuleTree { name: "builtin".to_string(), files }
}

fn collect(dir: &Dir<'static>, out: &mut Vec<SourceFile>, json: bool) {
    for file in dir.files() {
        if let Some(text) = file.contents_utf8() {
            let relative = file.path().to_string_lossy().replace('\\', "/");
            let converted = json
                .then(|| {
                    converted::CONVERTED.binary_search_by(|(path, _)| (*path).cmp(relative.as_str())).ok()
                })
                .flatten()
                .map(|i| converted::CONVERTED[i].1);
            out.push(SourceFile {
                display: format!("rules/{relative}"),
                relative,
                text: text.to_string(),
                json: converted,
            });
        }
    }
    for sub in dir.dirs() {
        collect(sub, out, json);
    }
}

#[cfg(test)]
mod tests {
    /// Every built-in YAML file was converted to JSON, loads from it, and
    /// gives the same rules as its YAML.
    #[test]
    fn the_built_in_rules_load_the_same_from_json() {
        let json = super::tree_of(true);
        let yaml = super::tree_of(false);
        let unconverted: Vec<&str> = json
            .files
            .iter()
            .filter(|f| matches!(f.extension().as_str(), "yaml" | "yml") && f.json.is_none())
            .map(|f| f.relative.as_str())
            .collect();
        assert!(unconverted.is_empty(), "not converted: {unconverted:?}");
        let before = crate::rules::load::yaml_fallbacks();
        let from_json = super::super::load_rule_set(&[json]).unwrap();
        assert_eq!(crate::rules::load::yaml_fallbacks(), before, "a JSON file did not load");
        let from_yaml = super::super::load_rule_set(&[yaml]).unwrap();
        assert_eq!(format!("{from_json:?}"), format!("{from_yaml:?}"));
        assert!(from_json.rules.len() >= 27);
    }

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
