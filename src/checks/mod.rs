//! The check kinds, one module each: its YAML shape (`Raw`), its
//! validation (`load`), the placeholders its messages may use, the patterns
//! the prefilter looks for, and its run over a dossier. Adding a kind is a
//! module and one line of the `kinds!` registry below.

mod forbid;
mod require;
mod require_with;
mod substitute;

pub use forbid::{Forbid, Subject};
pub use require::{Anchor, Require};
pub use require_with::{Companion, RequireWith};
pub use substitute::{Substitute, Substitution};

use crate::diagnostic::Diagnostic;
use crate::document::{BlockKind, Document};
use crate::engine::{scope, DossierView, Engine};
use crate::rules::load::{patterns, RuleError, Src, S};
use crate::rules::{AllOf, Context, MatchOptions, Pattern, Rule, Scope};
use serde::Deserialize;
use serde_saphyr::Location;
use std::ops::Range;

/// The registry: for each kind, its key in rule files (as a field name and
/// as written), its variant and its module.
macro_rules! kinds {
    ($($field:ident $name:literal => $variant:ident($module:ident)),* $(,)?) => {
        /// What a rule checks.
        #[derive(Debug, Clone)]
        pub enum Check {
            $(
                #[doc = concat!("A `", $name, "` check.")]
                $variant($module::$variant),
            )*
        }

        /// The `check:` mapping of a rule file: one kind of check.
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields, rename_all = "kebab-case")]
        pub(crate) struct RawCheck {
            $($field: Option<$module::Raw>,)*
        }

        /// The kinds, as written in rule files.
        pub const KINDS: &[&str] = &[$($name),*];

        impl Check {
            /// The check kind's name, as written in rule files.
            pub fn kind_name(&self) -> &'static str {
                match self { $(Check::$variant(_) => $name,)* }
            }

            /// The `{name}` placeholders its message and fix may use.
            pub fn placeholders(&self) -> &'static [&'static str] {
                match self { $(Check::$variant(_) => $module::PLACEHOLDERS,)* }
            }

            /// The patterns whose matches start the check: the prefilter
            /// looks for their literals.
            pub fn primary_patterns(&self) -> Vec<&Pattern> {
                match self { $(Check::$variant(c) => c.primary_patterns(),)* }
            }

            /// The patterns looked for around a match (`unless`, `when`,
            /// `with`, companions): the prefilter tells where they may
            /// start too.
            pub fn context_patterns(&self) -> Vec<&Pattern> {
                match self { $(Check::$variant(c) => c.context_patterns(),)* }
            }

            /// The patterns `explain` shows (none where they would say
            /// less than the explanation).
            pub fn explained_patterns(&self) -> &[Pattern] {
                match self { $(Check::$variant(c) => c.explained_patterns(),)* }
            }

            /// Runs the check of `rule` (index `index` in the engine's rule
            /// set) over the dossier.
            pub(crate) fn run(&self, engine: &Engine, view: &DossierView, index: usize, rule: &Rule) -> Vec<Diagnostic> {
                let run = Run { engine, view, index, rule };
                match self { $(Check::$variant(c) => c.run(&run),)* }
            }
        }

        /// Validates the `check:` mapping of a rule file.
        pub(crate) fn load(file: &Src, raw: S<RawCheck>) -> Result<Check, RuleError> {
            let at = raw.referenced;
            let c = raw.value;
            let given = [$(c.$field.is_some()),*].into_iter().filter(|g| *g).count();
            if given != 1 {
                let names: Vec<String> = KINDS.iter().map(|k| format!("`{k}`")).collect();
                let message = format!("`check` must hold exactly one of {}", names.join(", "));
                return Err(RuleError::at(file, Some(&at), message));
            }
            let loader = Loader { file, at };
            $(
                if let Some(raw) = c.$field {
                    return $module::load(&loader, raw).map(Check::$variant);
                }
            )*
            Err(RuleError::at(file, Some(&at), "`check` holds no check"))
        }
    };
}

kinds! {
    forbid "forbid" => Forbid(forbid),
    require "require" => Require(require),
    require_with "require-with" => RequireWith(require_with),
    substitute "substitute" => Substitute(substitute),
}

/// What a check kind's `load` validates with: the rule file and the place
/// of its `check:` mapping.
pub(crate) struct Loader<'a> {
    file: &'a Src<'a>,
    at: Location,
}

impl Loader<'_> {
    /// An error at the `check:` mapping.
    fn error(&self, message: impl Into<String>) -> RuleError {
        RuleError::at(self.file, Some(&self.at), message)
    }

    /// An error at `place`.
    fn error_at(&self, place: &Location, message: impl Into<String>) -> RuleError {
        RuleError::at(self.file, Some(place), message)
    }

    /// Whether the rule's regexes are compiled now (a user's rules, and the
    /// built-in ones in tests) or on first use (the built-in ones).
    fn eager(&self) -> bool {
        self.file.eager()
    }

    /// Refuses an empty list of patterns (`what` names the field).
    fn non_empty(&self, v: &[S<String>], what: &str) -> Result<(), RuleError> {
        if v.is_empty() {
            Err(self.error(format!("`{what}` needs at least one pattern")))
        } else {
            Ok(())
        }
    }

    /// One compiled pattern.
    fn pattern(&self, raw: &S<String>, options: MatchOptions) -> Result<Pattern, RuleError> {
        crate::rules::load::pattern(self.file, raw, options)
    }

    /// The compiled patterns.
    fn patterns(&self, raw: &[S<String>], options: MatchOptions) -> Result<Vec<Pattern>, RuleError> {
        patterns(self.file, raw, options)
    }

    /// Refuses a placeholder other than `allowed` in `text`.
    fn placeholders(&self, text: &S<String>, allowed: &[&str], kind: &str) -> Result<(), RuleError> {
        crate::rules::load::check_placeholders(self.file, text, allowed, kind)
    }

    /// A context (`unless:`, `when:`).
    fn context(&self, raw: Option<RawContext>) -> Result<Option<Context>, RuleError> {
        raw.map(|c| {
            let options = MatchOptions { whole_words: c.whole_words, case_sensitive: c.case_sensitive };
            Ok(Context { patterns: self.patterns(&c.patterns, options)?, within: c.within })
        })
        .transpose()
    }

    /// Groups of patterns that must all be found around a match (`with:`).
    fn all_of(&self, raw: Option<RawAllOf>, what: &str) -> Result<Option<AllOf>, RuleError> {
        raw.map(|w| {
            let groups = w
                .all
                .iter()
                .map(|g| {
                    self.non_empty(g, what)?;
                    self.patterns(g, MatchOptions::default())
                })
                .collect::<Result<Vec<_>, RuleError>>()?;
            Ok(AllOf { groups, within: w.within })
        })
        .transpose()
    }
}

/// The patterns of the contexts and groups a check looks for around a match.
fn around<'a>(contexts: impl IntoIterator<Item = &'a Context>, with: Option<&'a AllOf>) -> Vec<&'a Pattern> {
    let groups = with.into_iter().flat_map(|w| w.groups.iter().flatten());
    contexts.into_iter().flat_map(|c| c.patterns.iter()).chain(groups).collect()
}

fn yes() -> bool {
    true
}

fn sentence() -> Scope {
    Scope::Sentence
}

/// Patterns that must (or must not) be found around a match.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawContext {
    patterns: Vec<S<String>>,
    #[serde(default = "sentence")]
    within: Scope,
    #[serde(default = "yes")]
    whole_words: bool,
    #[serde(default)]
    case_sensitive: bool,
}

/// Groups of patterns that must all be found around a match.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawAllOf {
    all: Vec<Vec<S<String>>>,
    #[serde(default = "sentence")]
    within: Scope,
}

// What the kinds share when they run.

/// A rule's check running over a dossier: the engine, the dossier, the
/// rule and its index in the engine's rule set.
pub(crate) struct Run<'a> {
    engine: &'a Engine,
    view: &'a DossierView<'a>,
    index: usize,
    rule: &'a Rule,
}

impl<'a> Run<'a> {
    /// The documents of the dossier that the rule applies to.
    fn applicable(&self) -> impl Iterator<Item = (usize, &'a Document)> + 'a {
        let rule = self.rule;
        self.view.docs.iter().enumerate().filter(move |(_, d)| rule.accepts_document(d.kind, d.language))
    }

    /// Matches of the rule's primary `patterns` in document `doc`, sorted,
    /// overlaps resolved in favour of the earliest and then longest. Each
    /// match comes with the index of its pattern.
    fn matches(&self, doc: usize, patterns: &[Pattern]) -> Vec<(Range<usize>, usize)> {
        let text = self.view.docs[doc].norm.as_str();
        let mut found: Vec<(Range<usize>, usize)> = Vec::new();
        for (i, p) in patterns.iter().enumerate() {
            let starts = self.engine.starts(&self.view.hits[doc], self.index, i);
            found.extend(p.find_iter_at(text, 0..text.len(), starts).map(|r| (r, i)));
        }
        found.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
        let mut kept: Vec<(Range<usize>, usize)> = Vec::with_capacity(found.len());
        for m in found {
            if kept.last().is_none_or(|(last, _)| m.0.start >= last.end) {
                kept.push(m);
            }
        }
        kept
    }

    /// Whether every group of `with` (when given) is found around offset `at` of document `doc`.
    fn all_of(&self, with: Option<&AllOf>, doc: usize, at: usize) -> bool {
        with.is_none_or(|w| w.groups.iter().all(|g| self.within(g, w.within, doc, at)))
    }

    /// Whether any of `patterns` matches within `scope` around offset `at`
    /// of document `doc`, searched where the prefilter says they may start.
    fn within(&self, patterns: &[Pattern], scope: Scope, doc: usize, at: usize) -> bool {
        let hits = &self.view.hits;
        let starts = |d: usize, p: &Pattern| self.engine.context_starts(&hits[d], p);
        scope::any_within(patterns, scope, self.view.docs, doc, at, starts)
    }

    /// Whether `context` (when given) is found around offset `at` of document `doc`.
    fn holds(&self, context: Option<&Context>, doc: usize, at: usize) -> bool {
        context.is_some_and(|c| self.within(&c.patterns, c.within, doc, at))
    }

    /// The rule's finding at normalised `range` of `doc`.
    fn diagnostic(&self, doc: &Document, range: Range<usize>, vars: &[(&str, &str)]) -> Diagnostic {
        self.engine.diagnostic(self.rule, doc, range, vars)
    }
}

/// Normalised ranges of the first paragraph of each section whose heading
/// matches one of `patterns`.
fn first_paragraphs(doc: &Document, patterns: &[Pattern]) -> Vec<Range<usize>> {
    doc.sections
        .iter()
        .filter(|s| {
            patterns.iter().any(|p| p.is_match_in(doc.norm.as_str(), doc.blocks[s.block].norm.clone()))
        })
        .filter_map(|s| {
            let body = doc.blocks.get(s.block + 1)?;
            (!matches!(body.kind, BlockKind::Heading { .. })).then(|| body.norm.clone())
        })
        .collect()
}

/// Normalised ranges of the sections whose heading matches one of `patterns`.
fn matching_sections(doc: &Document, patterns: &[Pattern]) -> Vec<Range<usize>> {
    doc.sections
        .iter()
        .filter(|s| {
            let heading = &doc.blocks[s.block].norm;
            patterns.iter().any(|p| p.is_match_in(doc.norm.as_str(), heading.clone()))
        })
        .map(|s| s.norm.clone())
        .collect()
}
