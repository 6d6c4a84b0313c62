//! The rule loader: any text as a rule file of a pack, beside the built-in packs.
#![no_main]
use clausier::rules::sources::{RuleTree, SourceFile};
use clausier::rules::{builtin, load_rule_set};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let file = SourceFile { relative: "maison/regle.yaml".into(), display: "regle.yaml".into(), text };
    let tree = RuleTree { name: "maison".into(), files: vec![file] };
    let _ = load_rule_set(&[builtin::tree(), tree]);
});
