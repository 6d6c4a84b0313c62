//! Loading and validating rule trees: YAML rule files, clauses and topics.
//!
//! Every mistake in a rule file is reported with the file, line and column
//! (unknown keys, bad values, invalid regexes, unknown clause or topic), so
//! that a rule author can fix it without reading Rust.

use super::sources::{RuleTree, SourceFile};
use super::*;
use crate::document::{DocKind, Language};
use rayon::prelude::*;
use regex::Regex;
use serde::Deserialize;
use serde_saphyr::{Location, Spanned};
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// A rule tree that could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    /// A file is invalid; the place is known.
    #[error("{file}:{line}:{column}: {message}")]
    Invalid {
        /// File, for messages.
        file: String,
        /// The file's text, to show the place.
        text: String,
        /// Byte range of the place in `text`.
        span: std::ops::Range<usize>,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A rule folder or file could not be read.
    #[error("cannot read rules from {path}: {error}")]
    Io {
        /// What could not be read.
        path: String,
        /// Why.
        error: std::io::Error,
    },
}

impl RuleError {
    pub(crate) fn at(file: &SourceFile, loc: Option<&Location>, message: impl Into<String>) -> RuleError {
        let (line, column) = loc.map_or((1, 1), |l| (l.line() as usize, l.column() as usize));
        let span = loc
            .and_then(|l| {
                let start = l.span().byte_offset()? as usize;
                let len = l.span().byte_len().unwrap_or(0) as usize;
                Some(start..(start + len.max(1)).min(file.text.len()))
            })
            .unwrap_or_else(|| line_start(&file.text, line)..line_start(&file.text, line));
        RuleError::Invalid {
            file: file.display.clone(),
            text: file.text.clone(),
            span,
            line,
            column,
            message: message.into(),
        }
    }
}

fn line_start(text: &str, line: usize) -> usize {
    text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum()
}

pub(crate) type S<T> = Spanned<T>;

/// Named pattern lists (`rules/vocabulary.yaml`): a pattern `@name` in any
/// rule stands for every pattern of the list `name`, and `{@name}` inside a
/// pattern for any one of them (`(?:p1|p2|…)`), so that a rule can say « a
/// verb of `@handover-fr`, then the data within twelve words ».
type Vocabulary = BTreeMap<String, Vec<String>>;

/// The vocabulary with every entry `@name` of a list replaced by the
/// entries of the list `name`, a few levels deep.
fn flatten(vocabulary: Vocabulary) -> Result<Vocabulary, String> {
    fn entries(v: &Vocabulary, name: &str, depth: usize, out: &mut Vec<String>) -> Result<(), String> {
        let list = v.get(name).ok_or_else(|| format!("unknown vocabulary `@{name}`"))?;
        for entry in list {
            match entry.strip_prefix('@') {
                Some(_) if depth > 4 => return Err(format!("vocabulary `@{name}` refers to itself")),
                Some(inner) => entries(v, inner, depth + 1, out)?,
                None if !out.contains(entry) => out.push(entry.clone()),
                None => {}
            }
        }
        Ok(())
    }
    let mut out = Vocabulary::new();
    for name in vocabulary.keys() {
        let mut list = Vec::new();
        entries(&vocabulary, name, 0, &mut list)?;
        out.insert(name.clone(), list);
    }
    Ok(out)
}

/// A rule file with the vocabulary its patterns may use.
pub(crate) struct Src<'a> {
    file: &'a SourceFile,
    vocabulary: &'a Vocabulary,
    /// Patterns already validated in this load, shared so that a pattern
    /// used by many rules is parsed once and compiled once.
    cache: &'a PatternCache,
    /// Compile each pattern now, to report one too large to compile: the
    /// user's rules (and, in tests, the built-in ones); the built-in rules
    /// compile their patterns on first use, for start-up time.
    eager: bool,
}

impl Src<'_> {
    /// Whether what this file's rules compile is compiled now (see `eager`).
    pub(crate) fn eager(&self) -> bool {
        self.eager
    }
}

type PatternCache = std::sync::Mutex<std::collections::HashMap<(String, bool, bool), Pattern>>;

impl std::ops::Deref for Src<'_> {
    type Target = SourceFile;
    fn deref(&self) -> &SourceFile {
        self.file
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawRule {
    id: S<String>,
    title: String,
    severity: Severity,
    #[serde(default)]
    applies_to: RawAppliesTo,
    check: S<crate::checks::RawCheck>,
    message: S<String>,
    explanation: String,
    #[serde(default)]
    legal_basis: Vec<LegalRef>,
    fix: Option<S<RawFix>>,
    clause: Option<S<String>>,
    dated: Option<RawDated>,
    theme: Option<Theme>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawDated {
    before: S<String>,
    severity: Severity,
    message: S<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawAppliesTo {
    #[serde(default)]
    kinds: Vec<DocKind>,
    #[serde(default)]
    topics: Vec<S<String>>,
    #[serde(default)]
    except_topics: Vec<S<String>>,
    #[serde(default)]
    all_topics: Vec<S<String>>,
    #[serde(default)]
    languages: Vec<Language>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawFix {
    replace: Option<String>,
    #[serde(default = "safe")]
    applicability: Applicability,
}

fn safe() -> Applicability {
    Applicability::Safe
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawTopic {
    name: String,
    #[serde(default)]
    description: String,
    patterns: Vec<S<String>>,
    #[serde(default = "one")]
    min_matches: usize,
    #[serde(default)]
    min_per_thousand_words: Option<f64>,
    #[serde(default)]
    implies: Vec<String>,
    #[serde(default)]
    unless: Vec<S<String>>,
    #[serde(default)]
    not_counting: Vec<S<String>>,
}

fn one() -> usize {
    1
}

static RULE_ID: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used)]
    Regex::new("^[a-z0-9]+(-[a-z0-9]+)*$").expect("rule id regex is valid")
});

/// Loads the rule trees, in order (built-in first), into one validated rule set.
pub fn load_rule_set(trees: &[RuleTree]) -> Result<RuleSet, RuleError> {
    let mut set = RuleSet::default();
    let mut vocabulary = Vocabulary::new();
    let cache = PatternCache::default();
    // Clauses and topics first: rules refer to them.
    for tree in trees {
        for file in &tree.files {
            let parts = file.components();
            if parts.len() == 3 && parts[0] == "clauses" && file.extension() == "md" {
                let language = parts[1].parse::<Language>().map_err(|m| RuleError::at(file, None, m))?;
                let id = parts[2].trim_end_matches(".md").to_string();
                set.clauses.insert(Clause { id, language, text: file.text.trim().to_string() });
            } else if parts == ["vocabulary.yaml"] {
                let lists: Vocabulary = parse_yaml(file)?;
                vocabulary.extend(lists);
                vocabulary = flatten(vocabulary).map_err(|m| RuleError::at(file, None, m))?;
            }
        }
    }
    for file in trees.iter().flat_map(|t| &t.files).filter(|f| f.relative == "topics.yaml") {
        load_topics(
            &Src { file, vocabulary: &vocabulary, cache: &cache, eager: cfg!(test) },
            &mut set.topics,
        )?;
    }
    let mut rule_files = Vec::new();
    for tree in trees {
        for file in &tree.files {
            let parts = file.components();
            let is_rule = matches!(file.extension().as_str(), "yaml" | "yml")
                && parts.first() != Some(&"clauses")
                && parts != ["topics.yaml"]
                && parts != ["vocabulary.yaml"];
            if is_rule {
                let pack =
                    if parts.len() >= 2 { parts[parts.len() - 2].to_string() } else { tree.name.clone() };
                rule_files.push((file, pack, tree.name != "builtin" || cfg!(test)));
            }
        }
    }
    // Parsing and validating the rule files is most of start-up: in parallel.
    let loaded: Vec<Result<Rule, RuleError>> = rule_files
        .par_iter()
        .map(|(file, pack, eager)| {
            load_rule(
                &Src { file, vocabulary: &vocabulary, cache: &cache, eager: *eager },
                pack.clone(),
                &set,
            )
        })
        .collect();
    let mut seen: BTreeMap<String, Vec<(String, Vec<Language>)>> = BTreeMap::new();
    for (rule, (file, _, _)) in loaded.into_iter().zip(&rule_files) {
        let rule = rule?;
        // One id may have a rule per language, when their languages do not overlap.
        let languages = rule.applies_to.languages.clone();
        let others = seen.entry(rule.id.clone()).or_default();
        let overlaps = |l: &Vec<Language>| {
            languages.is_empty() || l.is_empty() || l.iter().any(|x| languages.contains(x))
        };
        if let Some((first, _)) = others.iter().find(|(_, l)| overlaps(l)) {
            let message = format!(
                "rule id `{}` is already defined in {first}; an id may be reused only by rules whose `applies-to.languages` do not overlap",
                rule.id
            );
            return Err(RuleError::at(file, None, message));
        }
        others.push((file.display.clone(), languages));
        set.rules.push(rule);
    }
    set.rules.sort_by(|a, b| (&a.pack, &a.id).cmp(&(&b.pack, &b.id)));
    Ok(set)
}

/// How many built-in files have loaded from their YAML because their JSON
/// did not (a test keeps it at zero).
static YAML_FALLBACKS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// See [`YAML_FALLBACKS`].
#[cfg(test)]
pub(crate) fn yaml_fallbacks() -> usize {
    YAML_FALLBACKS.load(std::sync::atomic::Ordering::Relaxed)
}

fn parse_yaml<'a, T: Deserialize<'a>>(file: &'a SourceFile) -> Result<T, RuleError> {
    if let Some(json) = file.json {
        match serde_json::from_str(json) {
            Ok(value) => return Ok(value),
            Err(_) => {
                YAML_FALLBACKS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
    }
    serde_saphyr::from_str(&file.text).map_err(|e| {
        let loc = e.location();
        RuleError::at(file, loc.as_ref(), yaml_message(&e))
    })
}

/// A YAML error's message without the parser's own copy of the place,
/// which clausier shows separately.
pub(crate) fn yaml_message(e: &serde_saphyr::Error) -> String {
    let message = e.without_snippet().to_string();
    match message.rfind(" at line ") {
        Some(i) if message[i..].contains(", column ") => message[..i].to_string(),
        _ => message,
    }
}

fn load_topics(file: &Src, topics: &mut Topics) -> Result<(), RuleError> {
    let raw: Vec<RawTopic> = parse_yaml(file)?;
    for t in raw {
        let patterns = patterns(file, &t.patterns, MatchOptions::default())?;
        let unless = self::patterns(file, &t.unless, MatchOptions::default())?;
        let not_counting = self::patterns(file, &t.not_counting, MatchOptions::default())?;
        topics.topics.push(Topic {
            name: t.name,
            description: t.description,
            patterns,
            min_matches: t.min_matches.max(1),
            min_per_thousand_words: t.min_per_thousand_words,
            implies: t.implies,
            unless,
            not_counting,
        });
    }
    Ok(())
}

pub(crate) fn patterns(
    file: &Src,
    raw: &[S<String>],
    options: MatchOptions,
) -> Result<Vec<Pattern>, RuleError> {
    let mut out = Vec::with_capacity(raw.len());
    for p in raw {
        match p.value.strip_prefix('@') {
            Some(name) => {
                let Some(list) = file.vocabulary.get(name) else {
                    let known: Vec<&str> = file.vocabulary.keys().map(String::as_str).collect();
                    let message = format!("unknown vocabulary `@{name}` (known: {})", known.join(", "));
                    return Err(RuleError::at(file, Some(&p.referenced), message));
                };
                for source in list {
                    out.push(pattern(file, &Spanned::new(source.clone(), p.referenced, p.defined), options)?);
                }
            }
            None => out.push(pattern(file, p, options)?),
        }
    }
    Ok(out)
}

/// `source` with every `{@name}` replaced by the alternation of the list
/// `name` (lists may refer to lists, a few levels deep).
fn expand_inline(file: &Src, raw: &S<String>, source: &str, depth: usize) -> Result<String, RuleError> {
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(at) = rest.find("{@") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let Some(end) = after.find('}') else {
            return Err(RuleError::at(
                file,
                Some(&raw.referenced),
                format!("unclosed `{{@` in `{}`", raw.value),
            ));
        };
        let name = &after[..end];
        let Some(list) = file.vocabulary.get(name) else {
            let known: Vec<&str> = file.vocabulary.keys().map(String::as_str).collect();
            let message = format!("unknown vocabulary `{{@{name}}}` (known: {})", known.join(", "));
            return Err(RuleError::at(file, Some(&raw.referenced), message));
        };
        if depth > 4 {
            return Err(RuleError::at(
                file,
                Some(&raw.referenced),
                format!("vocabulary `{{@{name}}}` refers to itself"),
            ));
        }
        let mut parts = Vec::with_capacity(list.len());
        for p in list {
            parts.push(expand_inline(file, raw, p, depth + 1)?);
        }
        out.push_str(&format!("(?:{})", parts.join("|")));
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

pub(crate) fn pattern(file: &Src, raw: &S<String>, options: MatchOptions) -> Result<Pattern, RuleError> {
    if raw.value.is_empty() {
        return Err(RuleError::at(file, Some(&raw.referenced), "empty pattern"));
    }
    if raw.value.contains("{@") {
        let expanded = expand_inline(file, raw, &raw.value, 0)?;
        let inner = S::new(expanded, raw.referenced, raw.defined);
        return pattern(file, &inner, options);
    }
    let key = (raw.value.clone(), options.whole_words, options.case_sensitive);
    if let Some(p) = file.cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Ok(p.clone());
    }
    // The built-in rules' syntax is checked by a unit test (which loads
    // them eagerly): start-up does not parse them again.
    let checked = if file.eager {
        Pattern::new(&raw.value, options)
    } else {
        Ok(Pattern::unchecked(&raw.value, options))
    };
    let p = checked.map_err(|e| {
        let detail = match e {
            regex::Error::Syntax(s) => s.lines().last().unwrap_or("").trim().to_string(),
            other => other.to_string(),
        };
        RuleError::at(file, Some(&raw.referenced), format!("invalid regex `{}`: {detail}", raw.value))
    })?;
    if file.eager {
        p.compile_now().map_err(|e| {
            let detail = match e {
                regex::Error::CompiledTooBig(limit) => {
                    format!(
                        "it compiles to more than the {} MiB a pattern may take: narrow its repetitions",
                        limit >> 20
                    )
                }
                other => other.to_string(),
            };
            RuleError::at(
                file,
                Some(&raw.referenced),
                format!("pattern `{}` cannot be used: {detail}", raw.value),
            )
        })?;
    }
    file.cache.lock().unwrap_or_else(|e| e.into_inner()).insert(key, p.clone());
    Ok(p)
}

fn load_rule(file: &Src, pack: String, set: &RuleSet) -> Result<Rule, RuleError> {
    let raw: RawRule = parse_yaml(file)?;
    let id = raw.id.value.clone();
    if !RULE_ID.is_match(&id) {
        return Err(RuleError::at(
            file,
            Some(&raw.id.referenced),
            format!("rule id `{id}` must be kebab-case (lower-case words joined by `-`)"),
        ));
    }
    let stem = file.relative.rsplit('/').next().unwrap_or("").rsplit_once('.').map_or("", |(s, _)| s);
    if stem != id {
        return Err(RuleError::at(
            file,
            Some(&raw.id.referenced),
            format!("rule id `{id}` must match its file name `{stem}`"),
        ));
    }
    for topic in
        raw.applies_to.topics.iter().chain(&raw.applies_to.except_topics).chain(&raw.applies_to.all_topics)
    {
        if !set.topics.contains(&topic.value) {
            let known: Vec<&str> = set.topics.topics.iter().map(|t| t.name.as_str()).collect();
            return Err(RuleError::at(
                file,
                Some(&topic.referenced),
                format!("unknown topic `{}` (known: {})", topic.value, known.join(", ")),
            ));
        }
    }
    if let Some(clause) = &raw.clause {
        if !set.clauses.contains(&clause.value) {
            return Err(RuleError::at(
                file,
                Some(&clause.referenced),
                format!(
                    "no model clause `{}` in the clause library (clauses/<lang>/{}.md)",
                    clause.value, clause.value
                ),
            ));
        }
    }
    let check = crate::checks::load(file, raw.check)?;
    let allowed = check.placeholders();
    check_placeholders(file, &raw.message, allowed, check.kind_name())?;
    let dated = match raw.dated {
        Some(d) => {
            let Some(before) = crate::document::dates::Date::parse_iso(&d.before.value) else {
                let message =
                    format!("`dated.before` must be a date written YYYY-MM-DD, not `{}`", d.before.value);
                return Err(RuleError::at(file, Some(&d.before.referenced), message));
            };
            let mut with_date: Vec<&str> = allowed.to_vec();
            with_date.push("date");
            check_placeholders(file, &d.message, &with_date, check.kind_name())?;
            Some(crate::rules::Dated {
                before,
                severity: d.severity,
                message: d.message.value.trim().to_string(),
            })
        }
        None => None,
    };
    if let Some(fix) = &raw.fix {
        if let Some(replace) = &fix.value.replace {
            let spanned = Spanned::new(replace.clone(), fix.referenced, fix.defined);
            check_placeholders(file, &spanned, allowed, check.kind_name())?;
        }
    }
    Ok(Rule {
        id,
        pack,
        file: file.display.clone(),
        title: raw.title,
        severity: raw.severity,
        applies_to: AppliesTo {
            kinds: raw.applies_to.kinds,
            topics: raw.applies_to.topics.into_iter().map(|t| t.value).collect(),
            except_topics: raw.applies_to.except_topics.into_iter().map(|t| t.value).collect(),
            all_topics: raw.applies_to.all_topics.into_iter().map(|t| t.value).collect(),
            languages: raw.applies_to.languages,
        },
        check,
        message: raw.message.value.trim().to_string(),
        explanation: std::sync::Arc::from(raw.explanation.trim()),
        legal_basis: raw.legal_basis.into(),
        fix: raw.fix.map(|f| FixSpec { replace: f.value.replace, applicability: f.value.applicability }),
        clause: raw.clause.map(|c| c.value),
        dated,
        theme: raw.theme,
    })
}

pub(crate) fn check_placeholders(
    file: &Src,
    text: &S<String>,
    allowed: &[&str],
    kind: &str,
) -> Result<(), RuleError> {
    static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
        #[allow(clippy::expect_used)]
        Regex::new(r"\{([a-z_-]+)\}").expect("placeholder regex is valid")
    });
    for cap in PLACEHOLDER.captures_iter(&text.value) {
        let name = &cap[1];
        if !allowed.contains(&name) {
            let known = if allowed.is_empty() { "none".to_string() } else { allowed.join(", ") };
            return Err(RuleError::at(
                file,
                Some(&text.referenced),
                format!("unknown placeholder `{{{name}}}` for a `{kind}` check (known: {known})"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[(&str, &str)]) -> RuleTree {
        RuleTree {
            name: "t".into(),
            files: files
                .iter()
                .map(|(p, t)| SourceFile {
                    relative: p.to_string(),
                    display: format!("t/{p}"),
                    text: t.to_string(),
                    json: None,
                })
                .collect(),
        }
    }

    const GOOD: &str = "id: demo-rule\ntitle: T\nseverity: warning\ncheck:\n  forbid:\n    patterns: ['Word']\nmessage: m\nexplanation: e\n";

    #[test]
    fn loads_a_rule() {
        let set = load_rule_set(&[tree(&[("p/demo-rule.yaml", GOOD)])]).unwrap();
        assert_eq!(set.rules.len(), 1);
        assert_eq!(set.rules[0].pack, "p");
        assert_eq!(set.rules[0].check.kind_name(), "forbid");
    }

    fn error(text: &str) -> (usize, usize, String) {
        match load_rule_set(&[tree(&[("p/demo-rule.yaml", text)])]).unwrap_err() {
            RuleError::Invalid { line, column, message, .. } => (line, column, message),
            other => panic!("{other}"),
        }
    }

    #[test]
    fn unknown_key_is_located() {
        let (line, column, message) = error(&GOOD.replace("message: m", "mesage: m"));
        assert_eq!((line, column), (7, 1), "{message}");
        assert!(message.contains("mesage"), "{message}");
    }

    #[test]
    fn bad_regex_is_located() {
        let (line, column, message) = error(&GOOD.replace("['Word']", "['Word', '(unclosed']"));
        assert_eq!((line, column), (6, 24), "{message}");
        assert!(message.contains("invalid regex"), "{message}");
    }

    #[test]
    fn two_check_kinds_are_refused() {
        let text = GOOD.replace("check:\n", "check:\n  require:\n    patterns: [x]\n");
        let (line, _, message) = error(&text);
        assert_eq!(line, 5, "{message}");
        assert!(message.contains("exactly one"), "{message}");
    }

    #[test]
    fn unknown_placeholder_is_refused() {
        let (line, _, message) = error(&GOOD.replace("message: m", "message: 'm {missing}'"));
        assert_eq!(line, 7, "{message}");
        assert!(message.contains("unknown placeholder `{missing}` for a `forbid` check"), "{message}");
    }

    #[test]
    fn inline_vocabulary_is_an_alternation() {
        let vocabulary = ("vocabulary.yaml", "verbs: ['fourni\\w*', 'remet\\w*']\n");
        let rule = GOOD.replace("['Word']", "['{@verbs} les donn[ée]es']");
        let set = load_rule_set(&[tree(&[vocabulary, ("p/demo-rule.yaml", &rule)])]).unwrap();
        let Check::Forbid(crate::checks::Forbid { patterns, .. }) = &set.rules[0].check else {
            panic!("not a forbid")
        };
        let (yes, no) = ("il remettra les données", "il garde les données");
        assert!(patterns[0].is_match_in(yes, 0..yes.len()));
        assert!(!patterns[0].is_match_in(no, 0..no.len()));
        let unknown = GOOD.replace("['Word']", "['{@nothing} x']");
        let err = load_rule_set(&[tree(&[vocabulary, ("p/demo-rule.yaml", &unknown)])]).unwrap_err();
        assert!(err.to_string().contains("unknown vocabulary `{@nothing}`"), "{err}");
    }

    #[test]
    fn id_must_match_file() {
        let (_, _, message) = error(&GOOD.replace("demo-rule", "other-rule"));
        assert!(message.contains("file name"), "{message}");
    }
}
