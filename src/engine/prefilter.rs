//! One pass over a document for every rule: the literals each primary
//! pattern, each pattern a rule looks for around its matches (`unless`,
//! `when`, `with`, companions) and each topic pattern must start (or end)
//! with are searched for at once, with one
//! Aho-Corasick automaton, so that only the patterns whose literals occur
//! are compiled and run for positions. Building the automaton takes about a
//! millisecond; compiling a set of every pattern, as a `RegexSet`, took a
//! quarter of the start-up and compiled patterns no document ever needs.
//!
//! A pattern may have several sets of literals (its ends, and the fixed
//! strings inside it): it may occur only where one literal of each occurs.
//! The same pass records where the literals a pattern's matches start with
//! occur, and the pattern is then run only there, anchored: one search of
//! the document for every pattern instead of one each (the same matches:
//! a test compares them on every fixture).
//!
//! Reading the literals off every pattern's syntax tree took a fifth of a
//! one-file run: those of the built-in packs' patterns are computed before
//! the build and kept in `literals.json` beside this file, which a test
//! keeps current (`CLAUSIER_BLESS=1 cargo test --lib literals` rewrites
//! it). A pattern it does not hold (a user's, or a built-in one changed
//! since) has its literals computed at start-up: the file makes start-up
//! faster, never different.

use crate::document::Language;
use crate::rules::topics::Topics;
use crate::rules::{Pattern, Rule, Starts};
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The primary patterns of a rule: those whose matches make findings or satisfy it.
pub fn primary_patterns(rule: &Rule) -> Vec<&Pattern> {
    rule.check.primary_patterns()
}

/// The compiled prefilter of a rule set.
#[derive(Debug)]
pub struct Prefilter {
    /// The literals of the patterns that matter to a document in each
    /// language ([`LANGUAGES`]), searched for with an automaton built on
    /// the first document in that language: a check of a French file never
    /// builds the English rules' literals into its automaton.
    parts: Vec<Part>,
    /// For each slot, whether its matches start only where a literal of
    /// its first set does (the slot is in the parts' `anchors`).
    anchored: Vec<bool>,
    /// For each slot, the bit of each of its sets of literals: a slot may
    /// occur when a literal of every one of its sets occurs.
    full: Vec<u64>,
    /// The slots that have no literals: they may always occur.
    always: Vec<usize>,
    /// How many distinct patterns there are.
    distinct: usize,
    /// Index in `slots` of each rule's first primary pattern.
    offsets: Vec<usize>,
    /// For each primary pattern of each rule, its slot (the same pattern
    /// used by several rules has one slot).
    slots: Vec<usize>,
    /// Index in `slots` of each topic's first pattern (topic signals, set
    /// phrases and contrary signals are in the prefilter too, after the
    /// rules' patterns: [`Topic::searched`](crate::rules::topics::Topic::searched)).
    topic_offsets: Vec<usize>,
    /// The slot of each pattern the rules look for around their matches
    /// (`unless`, `when`, `with`, companions), by its compiled regex.
    contexts: HashMap<String, usize>,
}

/// What a group of patterns given to the prefilter is.
#[derive(Debug, Clone, Copy)]
enum Group {
    /// A rule's primary patterns.
    Rule,
    /// A topic's patterns ([`Topic::searched`](crate::rules::topics::Topic::searched)).
    Topic,
    /// The patterns a rule looks for around its matches.
    Context,
}

/// The languages the prefilter has a part for, in the order of its parts.
const LANGUAGES: [Language; 2] = [Language::Fr, Language::En];

/// The slots a literal is a literal of, with which of their sets of
/// literals it is in.
type Owners = Vec<(usize, u8)>;

/// The literals of the slots that matter to documents in one language:
/// those of the rules in that language (or in any) and of every topic.
#[derive(Debug)]
struct Part {
    /// Its literals.
    words: Vec<String>,
    /// For each literal, the slots it is a literal of, with which of their
    /// sets of literals it is in.
    owners: Vec<Owners>,
    /// For each literal, the slots whose every match starts with it or
    /// another literal of its first set: where it occurs, such a match may
    /// start.
    anchors: Vec<Vec<usize>>,
    /// For each slot, whether its literals are in this part: the prefilter
    /// can tell nothing of the others (a French rule's pattern searched in
    /// an English document of a French dossier).
    holds: Vec<bool>,
    /// The literals' automaton, searching the text [`fold`]ed (the literals
    /// are lowercased and folded alike, and their letters that `fold` does
    /// not fold given in both cases), built on first use; `None` when it
    /// could not be built.
    automaton: OnceLock<Option<AhoCorasick>>,
}

impl Part {
    fn automaton(&self) -> Option<&AhoCorasick> {
        self.automaton
            .get_or_init(|| {
                AhoCorasick::builder()
                    // Overlapping search, so that no literal hides another.
                    .match_kind(MatchKind::Standard)
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .build(&self.words)
                    .ok()
            })
            .as_ref()
    }
}

/// Which primary patterns may occur in one document, and where the
/// matches of the anchored ones may start.
#[derive(Debug, Clone)]
pub struct Hits {
    /// The part of the prefilter that searched the document; `None` when
    /// its automaton could not be built: then every pattern may occur,
    /// anywhere.
    part: Option<usize>,
    /// For each slot, whether it may occur.
    may: Vec<bool>,
    /// For each anchored slot that may occur, the offsets where one of the
    /// literals its matches start with occurs, sorted (empty otherwise).
    starts: Vec<Vec<usize>>,
}

/// `text` with its ASCII capitals, its Latin-1 capitals (« É », « À »…),
/// « Œ » and « Ÿ » in lower case: each letter folded keeps its length in
/// bytes, so offsets in the folded text are offsets in `text`. The
/// automaton searches it case-sensitively: half the states of an automaton
/// that folds ASCII case itself, and a third of its build time.
fn fold(text: &str) -> Vec<u8> {
    let mut out = text.as_bytes().to_vec();
    fold_bytes(&mut out);
    out
}

/// [`fold`] in place, on the bytes of a text.
fn fold_bytes(out: &mut [u8]) {
    out.make_ascii_lowercase();
    let mut at = 0;
    while let Some(i) = memchr::memchr2(0xC3, 0xC5, &out[at..]) {
        let i = at + i;
        at = i + 2;
        let Some(&next) = out.get(i + 1) else { break };
        match (out[i], next) {
            // À..Þ but ×: their lower case is 0x20 further.
            (0xC3, 0x80..=0x9E) if next != 0x97 => out[i + 1] = next + 0x20,
            // Œ -> œ
            (0xC5, 0x92) => out[i + 1] = 0x93,
            // Ÿ -> ÿ (U+00FF)
            (0xC5, 0xB8) => {
                out[i] = 0xC3;
                out[i + 1] = 0xBF;
            }
            _ => {}
        }
    }
}

/// A literal as [`fold`] folds a text.
fn folded_literal(literal: String) -> String {
    let mut bytes = literal.into_bytes();
    fold_bytes(&mut bytes);
    // Folding maps a character to one of the same length: still UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Literals shorter than this filter too little: a pattern whose every
/// literal is shorter is always run.
const SHORTEST: usize = 3;

/// Most spellings a literal is expanded to for the cases of its non-ASCII
/// letters (« état », « État »…); past that it is cut before the letter.
const SPELLINGS: usize = 16;

/// The sets of literals of the built-in patterns, by pattern body (see the
/// module's documentation): `null` for a pattern that may always occur.
#[cfg(test)]
static KNOWN: &str = include_str!("literals.json");

/// A pattern body, its sets of literals (`None`: it may always occur), and
/// whether its matches start with a literal of the first set.
type Known = (&'static str, Option<&'static [&'static [&'static str]]>, bool);

// `KNOWN_TABLE`: `literals.json` as a table sorted by body, written by the build script.
include!(concat!(env!("OUT_DIR"), "/literals.rs"));

/// The sets of literals of a pattern, as [`required`] gives them, and
/// whether every match starts with a literal of the first set (else it
/// ends with one).
type Sets = (Option<Vec<Vec<String>>>, bool);

/// What `literals.json` holds for the pattern `body`, if anything.
fn known(body: &str) -> Option<(Option<&'static [&'static [&'static str]]>, bool)> {
    let i = KNOWN_TABLE.binary_search_by(|(b, _, _)| (*b).cmp(body)).ok()?;
    KNOWN_TABLE.get(i).map(|&(_, sets, starts)| (sets, starts))
}

/// Literals one of which every match of `pattern` contains: the first set
/// [`KNOWN`] holds for it (the kind signals of `document::kind` are there
/// too), else those [`literals`] reads off it.
pub(crate) fn contained_literals(pattern: &str) -> Option<Vec<String>> {
    match known(pattern) {
        Some((sets, _)) => {
            sets.and_then(|sets| sets.first()).map(|set| set.iter().map(|l| l.to_string()).collect())
        }
        None => literals(pattern),
    }
}

impl Prefilter {
    /// The prefilter of `rules` and `topics`. A pattern whose literals
    /// cannot be told (it starts and ends with a class, `\w+…\w+`) may
    /// always occur.
    pub fn new(rules: &[Rule], topics: &Topics) -> Prefilter {
        let mut offsets = Vec::with_capacity(rules.len());
        let mut topic_offsets = Vec::with_capacity(topics.topics.len());
        let mut slots = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        // For each slot, its sets of literals, and the languages it matters in.
        let mut found: Vec<(Vec<Vec<String>>, [bool; 2])> = Vec::new();
        let mut always = Vec::new();
        let mut full = Vec::new();
        let mut anchored = Vec::new();
        let mut contexts = HashMap::new();
        let groups = rules
            .iter()
            .map(|r| (Group::Rule, LANGUAGES.map(|l| r.speaks(l)), primary_patterns(r)))
            .chain(topics.topics.iter().map(|t| (Group::Topic, [true; 2], t.searched().collect())))
            .chain(
                rules
                    .iter()
                    .map(|r| (Group::Context, LANGUAGES.map(|l| r.speaks(l)), r.check.context_patterns())),
            );
        for (group, languages, patterns) in groups {
            match group {
                Group::Rule => offsets.push(slots.len()),
                Group::Topic => topic_offsets.push(slots.len()),
                Group::Context => {}
            }
            for p in patterns {
                let fresh = index.len();
                let slot = *index.entry(p.compiled.as_str()).or_insert(fresh);
                if slot == fresh {
                    let (sets, starts) = match known(p.body()) {
                        Some((sets, starts)) => {
                            let owned = |set: &&[&str]| set.iter().map(|l| l.to_string()).collect();
                            (sets.map(|sets| sets.iter().map(owned).collect()), starts)
                        }
                        None => required(p.body()),
                    };
                    // Searched for in a folded text: folded once here. Spellings
                    // that fold alike (« données », « donnÉes ») are one literal.
                    let fold_set = |set: Vec<String>| {
                        let mut set: Vec<String> = set.into_iter().map(folded_literal).collect();
                        if set.windows(2).any(|w| w[0] >= w[1]) {
                            set.sort();
                            set.dedup();
                        }
                        set
                    };
                    let sets: Vec<Vec<String>> = sets.unwrap_or_default().into_iter().map(fold_set).collect();
                    if sets.is_empty() {
                        always.push(slot);
                    }
                    anchored.push(starts && !sets.is_empty());
                    full.push(if sets.is_empty() { 0 } else { u64::MAX >> (64 - sets.len()) });
                    found.push((sets, [false; 2]));
                }
                for (matters, speaks) in found[slot].1.iter_mut().zip(languages) {
                    *matters |= speaks;
                }
                match group {
                    Group::Context => {
                        contexts.entry(p.compiled.clone()).or_insert(slot);
                    }
                    _ => slots.push(slot),
                }
            }
        }
        let parts = (0..LANGUAGES.len())
            .map(|l| {
                let mut needles: HashMap<&str, Owners> = HashMap::new();
                let mut holds = vec![false; found.len()];
                for (slot, (sets, languages)) in found.iter().enumerate() {
                    if !languages[l] {
                        continue;
                    }
                    holds[slot] = true;
                    for (set, literals) in sets.iter().enumerate() {
                        for literal in literals {
                            needles.entry(literal).or_default().push((slot, set as u8));
                        }
                    }
                }
                let (words, owners): (Vec<&str>, Vec<Owners>) = needles.into_iter().unzip();
                let words = words.into_iter().map(str::to_string).collect();
                let anchors = owners
                    .iter()
                    .map(|o| {
                        let first = o.iter().filter(|&&(slot, set)| set == 0 && anchored[slot]);
                        first.map(|&(slot, _)| slot).collect()
                    })
                    .collect();
                Part { words, owners, anchors, holds, automaton: OnceLock::new() }
            })
            .collect();
        Prefilter {
            parts,
            anchored,
            full,
            always,
            distinct: index.len(),
            offsets,
            slots,
            topic_offsets,
            contexts,
        }
    }

    /// Which patterns may occur in `text`, a document in `language`, and where.
    pub fn hits(&self, text: &str, language: Language) -> Hits {
        let mut may = vec![false; self.distinct];
        let mut starts = vec![Vec::new(); self.distinct];
        for &s in &self.always {
            may[s] = true;
        }
        let part = LANGUAGES.iter().position(|&l| l == language);
        let Some((p, ac)) = part.and_then(|p| Some((p, self.parts[p].automaton()?))) else {
            // No automaton: the hits hold no slot, every pattern is run everywhere.
            return Hits { part: None, may, starts };
        };
        let part = &self.parts[p];
        let mut seen = vec![false; part.owners.len()];
        let mut sets = vec![0u64; self.distinct];
        for m in ac.find_overlapping_iter(&fold(text)) {
            let id = m.pattern().as_usize();
            if !std::mem::replace(&mut seen[id], true) {
                for &(s, set) in &part.owners[id] {
                    sets[s] |= 1 << set;
                }
            }
            for &s in &part.anchors[id] {
                starts[s].push(m.start());
            }
        }
        for (s, got) in sets.into_iter().enumerate() {
            if got != 0 && got == self.full[s] {
                may[s] = true;
                // The automaton reports literals by where they end.
                starts[s].sort_unstable();
                starts[s].dedup();
            } else {
                starts[s] = Vec::new();
            }
        }
        Hits { part: Some(p), may, starts }
    }

    /// Where matches of pattern `pattern` of rule `rule` may start, given `hits`.
    pub fn starts<'h>(&self, hits: &'h Hits, rule: usize, pattern: usize) -> Starts<'h> {
        self.slot_starts(hits, self.offsets.get(rule).map_or(usize::MAX, |o| o + pattern))
    }

    /// Where matches of pattern `pattern` of topic `topic` (an index in
    /// [`Topic::searched`](crate::rules::topics::Topic::searched)) may start, given `hits`.
    pub fn topic_starts<'h>(&self, hits: &'h Hits, topic: usize, pattern: usize) -> Starts<'h> {
        self.slot_starts(hits, self.topic_offsets.get(topic).map_or(usize::MAX, |o| o + pattern))
    }

    /// Where matches of `pattern`, looked for around a rule's matches, may
    /// start, given `hits` (anywhere for a pattern the rules do not look for).
    pub fn context_starts<'h>(&self, hits: &'h Hits, pattern: &Pattern) -> Starts<'h> {
        match self.contexts.get(&pattern.compiled) {
            Some(&slot) => self.starts_of(hits, slot),
            None => Starts::Anywhere,
        }
    }

    fn slot_starts<'h>(&self, hits: &'h Hits, at: usize) -> Starts<'h> {
        match self.slots.get(at) {
            Some(&slot) => self.starts_of(hits, slot),
            None => Starts::Anywhere,
        }
    }

    fn starts_of<'h>(&self, hits: &'h Hits, slot: usize) -> Starts<'h> {
        let held = hits.part.is_some_and(|p| self.parts[p].holds.get(slot).copied().unwrap_or(false));
        match (held, hits.may.get(slot), hits.starts.get(slot)) {
            (false, _, _) => Starts::Anywhere,
            (true, Some(false), _) => Starts::Nowhere,
            (true, Some(true), Some(starts)) if self.anchored[slot] => Starts::At(starts),
            _ => Starts::Anywhere,
        }
    }
}

/// Literals one of which every match of the normalised pattern `body`
/// (its regex, case-insensitive unless the rule says otherwise) contains, lowercased and
/// spelt in both cases where a letter is not ASCII; `None` when they cannot
/// be told or are too short to be worth searching for.
///
/// They are read off the pattern's syntax tree as written, without its
/// case flag and without building any class: a match of the
/// case-insensitive pattern, lowercased, contains one of them lowercased
/// (for every letter whose lowercase is its simple case folding: every
/// letter of a tender, not the Kelvin sign or the long s). Parsing the
/// pattern into classes, as the regex engine does, took most of the
/// prefilter's time (Unicode tables for `\w` and `\s`).
pub(crate) fn literals(body: &str) -> Option<Vec<String>> {
    let ast = regex_syntax::ast::parse::Parser::new().parse(body).ok()?;
    let set = [false, true]
        .into_iter()
        .filter_map(|backwards| end_literals(&ast, backwards))
        .max_by_key(|set| set.iter().map(String::len).min())?;
    spelt(set)
}

/// The literals every match of `ast` starts with (ends with, `backwards`),
/// if they are all long enough to be worth searching for.
fn end_literals(ast: &regex_syntax::ast::Ast, backwards: bool) -> Option<Vec<String>> {
    let set = ends(ast, backwards)?;
    set.iter().all(|(l, _)| l.len() >= SHORTEST).then(|| set.into_iter().map(|(l, _)| l).collect())
}

/// `strings` lowercased and spelt in both cases where a letter is not
/// ASCII, sorted; `None` when one is cut before its first letter (it
/// would promise nothing).
fn spelt(strings: impl IntoIterator<Item = String>) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for l in strings {
        spell(&l.to_lowercase(), &mut out);
    }
    if out.iter().any(String::is_empty) {
        return None;
    }
    out.sort();
    out.dedup();
    Some(out)
}

/// Most sets of literals a pattern is given.
const MOST_SETS: usize = 8;

/// Most strings a run of fixed parts inside a pattern may be, and a set of
/// them: a longer run is cut into runs of their own, each cut to its first
/// [`LONGEST`] bytes, so that its later words still make a set (« codes
/// sources » after « réserve de la confidentialité des »).
const MOST_IN_RUN: usize = 32;

/// Sets of literals every match of the normalised pattern `body` contains
/// one of each: the literals it starts or ends with ([`literals`]), then,
/// when it is a sequence, those of each run of its parts that match fixed
/// strings (« donn[ée]es (à caractère )?personnel » inside a longer
/// pattern). A pattern needs all of its sets to be worth running: a
/// pattern that starts with « titulaire », which every French tender
/// holds, is not compiled for a text without its other words. `None` when
/// it may always occur.
///
/// The first set is the literals every match starts with where they can be
/// told (the pattern is then searched for only where they occur), else
/// those it ends with.
fn required(body: &str) -> Sets {
    let Ok(parsed) = regex_syntax::ast::parse::Parser::new().parse(body) else { return (None, false) };
    let spelt_end = |backwards| end_literals(&parsed, backwards).and_then(spelt);
    let Some((first, starts)) =
        spelt_end(false).map(|first| (first, true)).or_else(|| Some((spelt_end(true)?, false)))
    else {
        return (None, false);
    };
    (Some(required_sets(&parsed, first)), starts)
}

/// The sets of [`required`]: `first`, then those of the fixed parts of the
/// sequence `parsed`.
fn required_sets(parsed: &regex_syntax::ast::Ast, first: Vec<String>) -> Vec<Vec<String>> {
    let mut sets = vec![first];
    let mut ast = parsed;
    while let regex_syntax::ast::Ast::Group(g) = ast {
        ast = &g.ast;
    }
    let regex_syntax::ast::Ast::Concat(concat) = ast else { return sets };
    // The strings the current run of fixed parts may be.
    let mut run: Option<Vec<String>> = None;
    let mut runs = Vec::new();
    for part in &concat.asts {
        let fixed = ends(part, false).filter(|set| set.iter().all(|(_, whole)| *whole));
        run = match (run.take(), fixed) {
            (None, Some(set)) => Some(set.into_iter().map(|(l, _)| l).collect()),
            (Some(before), Some(set)) if before.len() * set.len() <= MOST_IN_RUN => {
                Some(before.iter().flat_map(|b| set.iter().map(move |(l, _)| format!("{b}{l}"))).collect())
            }
            (Some(before), Some(set)) => {
                runs.push(before);
                Some(set.into_iter().map(|(l, _)| l).collect())
            }
            (before, None) => {
                runs.extend(before);
                None
            }
        };
    }
    runs.extend(run);
    for strings in runs {
        if sets.len() == MOST_SETS {
            break;
        }
        // Any part of a fixed string is in the match too: its first bytes.
        let cut = strings.into_iter().map(|mut l| {
            let mut cut = l.len().min(LONGEST);
            while !l.is_char_boundary(cut) {
                cut -= 1;
            }
            l.truncate(cut);
            l
        });
        let Some(out) = spelt(cut) else { continue };
        if out.len() <= MOST_IN_RUN && out.iter().all(|l| selective(l)) && !sets.contains(&out) {
            sets.push(out);
        }
    }
    sets
}

/// Whether a fixed part inside a pattern is worth a set of its own: it
/// holds a word of five letters, or of four in a literal of eight bytes
/// (« des donn »). Short words (« de la », « est », « with ») are in every
/// document: as a set they would exclude no pattern, and their hundreds of
/// thousands of occurrences were half of what the automaton reported.
fn selective(literal: &str) -> bool {
    let longest = literal.split(|c: char| !c.is_alphabetic()).map(|w| w.chars().count()).max().unwrap_or(0);
    literal.len() >= SHORTEST && (longest >= 5 || (longest >= 4 && literal.len() >= 8))
}

/// Most literals a pattern's set may hold before they are cut shorter.
const MOST: usize = 128;
/// Longest literal worth searching for, in bytes.
const LONGEST: usize = 10;

/// The strings every match of `ast` starts with (ends with, `backwards`),
/// each with whether it is the whole match (it can still grow); `None`
/// when a match can start with anything (a class, `.`).
fn ends(ast: &regex_syntax::ast::Ast, backwards: bool) -> Option<Vec<(String, bool)>> {
    use regex_syntax::ast::{Ast, ClassSet, ClassSetItem, RepetitionKind, RepetitionRange};
    Some(match ast {
        Ast::Empty(_) | Ast::Flags(_) | Ast::Assertion(_) => vec![(String::new(), true)],
        Ast::Literal(l) => vec![(l.c.to_string(), true)],
        Ast::Dot(_) | Ast::ClassUnicode(_) | Ast::ClassPerl(_) => return None,
        Ast::ClassBracketed(c) => {
            let items = match &c.kind {
                ClassSet::Item(ClassSetItem::Union(u)) => u.items.iter().collect(),
                ClassSet::Item(item) => vec![item],
                ClassSet::BinaryOp(_) => return None,
            };
            let mut out = Vec::new();
            for item in items {
                match item {
                    ClassSetItem::Literal(l) if !c.negated => out.push((l.c.to_string(), true)),
                    _ => return None,
                }
            }
            if out.is_empty() || out.len() > 4 {
                return None;
            }
            out
        }
        Ast::Group(g) => ends(&g.ast, backwards)?,
        Ast::Repetition(r) => {
            let (min, max) = match r.op.kind {
                RepetitionKind::ZeroOrOne => (0, Some(1)),
                RepetitionKind::ZeroOrMore => (0, None),
                RepetitionKind::OneOrMore => (1, None),
                RepetitionKind::Range(RepetitionRange::Exactly(n)) => (n, Some(n)),
                RepetitionKind::Range(RepetitionRange::AtLeast(n)) => (n, None),
                RepetitionKind::Range(RepetitionRange::Bounded(m, n)) => (m, Some(n)),
            };
            let once = match ends(&r.ast, backwards) {
                Some(once) => once,
                // Empty, or something that cannot be told: the match goes on unknown.
                None if min == 0 => return Some(vec![(String::new(), false)]),
                None => return None,
            };
            // Past the first copy the match goes on with what cannot be told here.
            let mut out: Vec<(String, bool)> =
                once.into_iter().map(|(l, whole)| (l, whole && max == Some(1))).collect();
            if min == 0 {
                out.push((String::new(), true));
            }
            out
        }
        Ast::Alternation(a) => {
            let mut out = Vec::new();
            for branch in &a.asts {
                out.extend(ends(branch, backwards)?);
            }
            shorten(out, backwards)?
        }
        Ast::Concat(c) => {
            let mut out = vec![(String::new(), true)];
            let parts: Vec<&Ast> =
                if backwards { c.asts.iter().rev().collect() } else { c.asts.iter().collect() };
            for part in parts {
                if out.iter().all(|(_, whole)| !whole) {
                    break;
                }
                let Some(next) = ends(part, backwards) else {
                    out.iter_mut().for_each(|e| e.1 = false);
                    break;
                };
                let mut grown = Vec::new();
                for (l, whole) in out {
                    if !whole {
                        grown.push((l, false));
                        continue;
                    }
                    for (n, more) in &next {
                        let joined = if backwards { format!("{n}{l}") } else { format!("{l}{n}") };
                        grown.push((joined, *more));
                    }
                }
                out = shorten(grown, backwards)?;
            }
            out
        }
    })
}

/// `set` with its literals cut to [`LONGEST`] bytes at the end they grow
/// at (the start, `backwards`), and then unable to grow; when they are
/// more than [`MOST`], cut shorter until they are not; `None` when even
/// their first letters are too many.
fn shorten(mut set: Vec<(String, bool)>, backwards: bool) -> Option<Vec<(String, bool)>> {
    let mut keep = LONGEST;
    loop {
        for (l, whole) in set.iter_mut() {
            if l.len() > keep {
                // The bytes next to the end the literal is read from stay.
                if backwards {
                    let mut from = l.len() - keep;
                    while !l.is_char_boundary(from) {
                        from += 1;
                    }
                    *l = l[from..].to_string();
                } else {
                    let mut cut = keep;
                    while !l.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    l.truncate(cut);
                }
                *whole = false;
            }
        }
        set.sort();
        set.dedup_by(|a, b| {
            a.0 == b.0 && {
                b.1 &= a.1;
                true
            }
        });
        if set.len() <= MOST {
            return Some(set);
        }
        if keep <= 1 {
            return None;
        }
        keep /= 2;
    }
}

/// Adds to `out` the spellings of the lowercase `word` with each of its
/// non-ASCII letters in either case (at most [`SPELLINGS`]; past that, the
/// word is cut before the letter, which keeps it a literal of the match).
fn spell(word: &str, out: &mut Vec<String>) {
    let mut spellings = vec![String::new()];
    for c in word.chars() {
        let mut uppers = c.to_uppercase();
        let upper = match (uppers.next(), uppers.next()) {
            (Some(u), None) => u,
            // « ß » has no one-letter capital that case folding knows: cut here.
            _ => break,
        };
        let cased = !c.is_ascii() && upper != c;
        if cased && spellings.len() * 2 > SPELLINGS {
            break;
        }
        let mut next = Vec::with_capacity(spellings.len() * 2);
        for s in &spellings {
            next.push(format!("{s}{c}"));
            if cased {
                next.push(format!("{s}{upper}"));
            }
        }
        spellings = next;
    }
    out.extend(spellings);
}

#[cfg(test)]
mod tests {
    use super::{literals, primary_patterns, Prefilter, KNOWN};
    use crate::rules::{builtin, load_rule_set};
    use crate::rules::{Pattern, Starts};

    /// The prefilter never hides a match: on every fixture of the built-in
    /// packs, each primary pattern, context pattern and topic signal finds the same matches
    /// where the prefilter says they may start as over the whole text.
    #[test]
    fn no_match_of_a_built_in_pattern_is_filtered_out() {
        let tree = builtin::tree();
        let set = load_rule_set(std::slice::from_ref(&tree)).unwrap();
        let prefilter = Prefilter::new(&set.rules, &set.topics);
        let mut checked = 0;
        let mut anchored = 0;
        // Each fixture as written and in capitals (« DONNÉES », « ŒUVRE »):
        // the automaton searches a folded text.
        let fixtures = tree.files.iter().filter(|f| f.relative.ends_with(".md"));
        for (file, text) in fixtures.flat_map(|f| [(f, f.text.clone()), (f, f.text.to_uppercase())]) {
            let doc =
                crate::document::parse(file.relative.clone().into(), crate::document::Format::Markdown, text)
                    .unwrap();
            let text = doc.norm.as_str();
            let hits = prefilter.hits(text, doc.language);
            let mut same = |p: &Pattern, starts: Starts, what: &str| {
                let everywhere: Vec<_> = p.find_iter_in(text, 0..text.len()).collect();
                let filtered: Vec<_> = p.find_iter_at(text, 0..text.len(), starts).collect();
                assert_eq!(filtered, everywhere, "{what}: `{}` in {}", p.source, file.relative);
                checked += everywhere.len();
                anchored += usize::from(matches!(starts, Starts::At(_)) && !everywhere.is_empty());
            };
            for (r, rule) in set.rules.iter().enumerate() {
                for (i, p) in primary_patterns(rule).into_iter().enumerate() {
                    same(p, prefilter.starts(&hits, r, i), &rule.id);
                }
                for p in rule.check.context_patterns() {
                    same(p, prefilter.context_starts(&hits, p), &rule.id);
                }
            }
            for (t, topic) in set.topics.topics.iter().enumerate() {
                for (i, p) in topic.searched().enumerate() {
                    same(p, prefilter.topic_starts(&hits, t, i), &topic.name);
                }
            }
        }
        assert!(checked > 500, "only {checked} matches checked");
        assert!(anchored > 300, "only {anchored} patterns searched where their literals are");
    }

    /// Folding keeps every byte offset and lowers the capitals it knows.
    #[test]
    fn folding_keeps_lengths_and_lowers_capitals() {
        let text = "ÉTÉ À L'ŒUVRE, Ÿ, × ÷, DONNÉES Ärger ẞ İ 3.";
        let folded = super::fold(text);
        assert_eq!(folded.len(), text.len());
        let folded = String::from_utf8(folded).unwrap();
        assert_eq!(folded, "été à l'œuvre, ÿ, × ÷, données ärger ẞ İ 3.");
        for c in (0..0x250u32).filter_map(char::from_u32) {
            let s = c.to_string();
            assert_eq!(super::fold(&s).len(), s.len(), "{c}");
        }
    }

    /// `literals.json` holds the literals of every built-in pattern, as
    /// `literals` computes them now, and nothing else.
    #[test]
    fn the_literals_of_the_built_in_patterns_are_current() {
        let tree = builtin::tree();
        let set = load_rule_set(std::slice::from_ref(&tree)).unwrap();
        let mut bodies: std::collections::BTreeSet<&str> = set
            .rules
            .iter()
            .flat_map(|r| primary_patterns(r).into_iter().chain(r.check.context_patterns()))
            .chain(set.topics.topics.iter().flat_map(|t| t.searched()))
            .map(|p| p.body())
            .collect();
        for pattern in crate::document::kind::title_signal_patterns() {
            bodies.insert(pattern);
        }
        let pairs: Vec<(&str, super::Sets)> = bodies.into_iter().map(|b| (b, super::required(b))).collect();
        // One pattern a line, for readable diffs.
        let lines: Vec<String> = pairs
            .iter()
            .map(|(body, (sets, starts))| serde_json::to_string(&(body, sets, starts)).unwrap())
            .collect();
        let text = format!("[\n{}\n]\n", lines.join(",\n"));
        if std::env::var_os("CLAUSIER_BLESS").is_some() {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/engine/literals.json");
            std::fs::write(path, &text).unwrap();
        } else {
            assert!(
                KNOWN == text,
                "src/engine/literals.json is out of date: run `CLAUSIER_BLESS=1 cargo test --lib literals`"
            );
        }
        assert!(pairs.len() > 200);
    }

    /// A document is searched only for the literals of the rules in its
    /// language (and of the topics): an English rule's pattern in a French
    /// document is left to a search of the whole text.
    #[test]
    fn a_document_is_searched_for_the_literals_of_its_language() {
        let tree = builtin::tree();
        let set = load_rule_set(std::slice::from_ref(&tree)).unwrap();
        let prefilter = Prefilter::new(&set.rules, &set.topics);
        let text = "Le titulaire livre la codebase au format Microsoft Word.";
        let hits = prefilter.hits(text, crate::document::Language::Fr);
        let rule =
            |id: &str, pack: &str| set.rules.iter().position(|r| r.id == id && r.pack == pack).unwrap();
        let fr = rule("brand-without-equivalent", "fr");
        let en = rule("source-code-not-open", "en");
        // « codebase »: a pattern of no French rule and no topic.
        let codebase = 2;
        assert!(matches!(prefilter.starts(&hits, fr, 0), Starts::At(s) if !s.is_empty()));
        assert!(matches!(prefilter.starts(&hits, en, codebase), Starts::Anywhere));
        let english = "The contractor delivers the codebase in Microsoft Word.";
        let hits = prefilter.hits(english, crate::document::Language::En);
        assert!(matches!(prefilter.starts(&hits, en, codebase), Starts::At(s) if !s.is_empty()));
    }

    fn of(source: &str) -> Option<Vec<String>> {
        literals(source)
    }

    #[test]
    fn a_pattern_s_literals_are_its_prefixes_or_suffixes() {
        assert_eq!(of(r"titulaire(\s+[^\s.;]+){0,15}\s+donn[ée]es"), Some(vec!["titulaire".to_string()]));
        assert_eq!(of(r"\w+ ou [ée]quivalent"), Some(vec!["equivalent".into(), "quivalent".into()]));
        // Something unknown before the rest: the literal stops there.
        assert_eq!(of(r"\s*option B"), Some(vec!["option b".into()]));
        // A class at both ends: nothing to search for, always run.
        assert_eq!(of(r"\w+ et \w+"), None);
        // Too short to be worth it.
        assert_eq!(of(r"[ab]\d"), None);
        assert_eq!(
            of(r"(CCAG[- ]TIC|cahier)"),
            Some(vec!["cahier".into(), "ccag tic".into(), "ccag-tic".into()])
        );
    }

    #[test]
    fn letters_that_are_not_ascii_are_spelt_in_both_cases() {
        assert_eq!(of("État"), Some(vec!["État".into(), "état".into()]));
        // Past sixteen spellings the literal is cut before the letter.
        let many = of("ééééé").unwrap_or_default();
        assert_eq!(many.len(), 16);
        assert!(many.iter().all(|s| s.chars().count() == 4));
    }
}
