//! A rule pattern: a regex matched on normalised text, case-insensitive and
//! on whole words unless the rule says otherwise.
//!
//! Unicode `\b` is 100 to 1000 times slower on French text and ASCII `\b`
//! misses words that start or end with an accented letter, so patterns are
//! compiled without word boundaries and boundaries are checked here, so that a
//! match never starts or ends inside a word (Unicode letters and digits).

use crate::document::normalize::normalise_pattern;
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::meta::Regex;
use regex_automata::nfa::thompson::{self, pikevm::PikeVM};
use regex_automata::util::pool::{Pool, PoolGuard};
use regex_automata::{Anchored, Input};
use std::ops::Range;
use std::sync::{Arc, OnceLock};

/// A validated pattern, compiled on first use: most context patterns of a
/// rule set are never needed on a given run, and compiling hundreds of
/// Unicode, case-insensitive regexes up front would dominate start-up.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// The pattern as the rule author wrote it.
    pub source: String,
    /// The regex as given to the engine (normalised, with flags).
    pub compiled: String,
    /// Whether a match must start and end at word boundaries.
    pub whole_words: bool,
    regex: Arc<OnceLock<Regex>>,
    /// The pattern followed by the end of a word, anchored, with an empty
    /// group where the pattern ends: compiled only when a match ends inside
    /// a word, to find a longer alternative that does not (« publi(e|ées) »
    /// on « publiées »).
    bounded: Arc<OnceLock<Regex>>,
    /// The regex for the searches anchored where the prefilter says a
    /// match may start; `None` when it cannot be built (the full regex
    /// answers then).
    forward: Arc<OnceLock<Option<Forward>>>,
}

/// Largest compiled size of one pattern.
const SIZE_LIMIT: usize = 10 * (1 << 20);

/// Compiles `source` within the size limit of one pattern.
fn build(source: &str) -> Result<Regex, regex::Error> {
    Regex::builder().configure(Regex::config().nfa_size_limit(Some(SIZE_LIMIT))).build(source).map_err(|e| {
        match e.size_limit() {
            Some(limit) => regex::Error::CompiledTooBig(limit),
            None => regex::Error::Syntax(e.to_string()),
        }
    })
}

/// Where the matches of a pattern may start in a text, as the prefilter
/// tells: nowhere (none of its literals occurs), anywhere (it cannot
/// tell), or only at the given offsets, sorted (where one of the literals
/// every match starts with occurs). A pattern is run only there, anchored,
/// instead of over the whole text: the same matches, without a scan of
/// the document for each pattern.
#[derive(Debug, Clone, Copy)]
pub enum Starts<'a> {
    /// No match is possible.
    Nowhere,
    /// A match may start anywhere.
    Anywhere,
    /// Matches may start only at these offsets, sorted.
    At(&'a [usize]),
}

/// How patterns of a rule are matched.
#[derive(Debug, Clone, Copy)]
pub struct MatchOptions {
    /// Matches must start and end at word boundaries (default true).
    pub whole_words: bool,
    /// Case matters (default false).
    pub case_sensitive: bool,
}

impl Default for MatchOptions {
    fn default() -> Self {
        MatchOptions { whole_words: true, case_sensitive: false }
    }
}

/// A pattern compiled for searches anchored where a match starts: only
/// its end is searched for, by a lazy DFA, with a cache for each thread
/// that uses it; where the DFA gives up on a text (a Unicode word boundary
/// beside a non-ASCII letter, a cache cleared too often), by the PikeVM
/// on the same automaton. The same leftmost-first matches as the full
/// regex, for a quarter of its compile time (no reverse automaton, no
/// prefilter) and no reverse pass per match.
pub(crate) struct Forward {
    nfa: thompson::NFA,
    dfa: DFA,
    caches: Pool<Cache, MakeCache>,
    pikevm: OnceLock<Option<PikeVM>>,
}

/// What makes a lazy DFA's cache for a thread.
type MakeCache = Box<dyn Fn() -> Cache + Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe>;

/// A thread's cache of a [`Forward`], held for the searches of one text.
type HeldCache<'a> = PoolGuard<'a, Cache, MakeCache>;

impl std::fmt::Debug for Forward {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Forward").finish_non_exhaustive()
    }
}

impl Forward {
    /// `source` compiled within `limit` bytes of automaton, the lazy DFA
    /// configured as the full regex's own (leftmost-first, heuristic
    /// Unicode word boundaries, giving up when its cache is cleared too
    /// often); the error when it cannot be built.
    pub(crate) fn build(source: &str, limit: usize) -> Result<Forward, String> {
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .which_captures(thompson::WhichCaptures::Implicit)
                    .nfa_size_limit(Some(limit)),
            )
            .build(source)
            .map_err(|e| e.to_string())?;
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .unicode_word_boundary(true)
                    .skip_cache_capacity_check(false)
                    .minimum_cache_clear_count(Some(3))
                    .minimum_bytes_per_state(Some(10)),
            )
            .build_from_nfa(nfa.clone())
            .map_err(|e| e.to_string())?;
        let made = dfa.clone();
        Ok(Forward {
            nfa,
            dfa,
            caches: Pool::new(Box::new(move || made.create_cache())),
            pikevm: OnceLock::new(),
        })
    }

    /// The end of the leftmost-first match that starts where `input`
    /// starts (it must be anchored).
    pub(crate) fn end(&self, input: &Input) -> Option<usize> {
        self.end_with(&mut self.caches.get(), input)
    }

    /// [`Forward::end`] with a cache the caller holds.
    fn end_with(&self, cache: &mut Cache, input: &Input) -> Option<usize> {
        let found = self.dfa.try_search_fwd(cache, input);
        match found {
            Ok(found) => found.map(|m| m.offset()),
            Err(_) => {
                let vm = self.pikevm.get_or_init(|| PikeVM::new_from_nfa(self.nfa.clone()).ok()).as_ref()?;
                vm.find(&mut vm.create_cache(), input.clone()).map(|m| m.end())
            }
        }
    }
}

impl Pattern {
    /// Checks the syntax of `source` now; compiles it on first use.
    pub fn new(source: &str, options: MatchOptions) -> Result<Pattern, regex::Error> {
        let p = Pattern::unchecked(source, options);
        if let Err(e) = regex_syntax::Parser::new().parse(&p.compiled) {
            return Err(regex::Error::Syntax(e.to_string()));
        }
        Ok(p)
    }

    /// A pattern whose syntax was checked before: a built-in rule's, which
    /// a unit test parses and compiles (`rules::builtin::tests`), so that
    /// start-up does not parse it again. One that did not compile would
    /// match nothing.
    pub fn unchecked(source: &str, options: MatchOptions) -> Pattern {
        let normalised = normalise_pattern(source);
        let compiled =
            if options.case_sensitive { format!("(?:{normalised})") } else { format!("(?i:{normalised})") };
        let regex = Arc::new(OnceLock::new());
        let bounded = Arc::new(OnceLock::new());
        let forward = Arc::new(OnceLock::new());
        Pattern {
            source: source.to_string(),
            compiled,
            whole_words: options.whole_words,
            regex,
            bounded,
            forward,
        }
    }

    /// The normalised pattern, without the flags `compiled` wraps it in.
    pub fn body(&self) -> &str {
        let open = if self.compiled.starts_with("(?i:") { "(?i:".len() } else { "(?:".len() };
        self.compiled.get(open..self.compiled.len().saturating_sub(1)).unwrap_or("")
    }

    /// Compiles the pattern now: a valid pattern can still be too large to
    /// compile (`Word\w{0,3000}`), which a rule file must hear of when it
    /// is loaded rather than by matching nothing.
    pub fn compile_now(&self) -> Result<(), regex::Error> {
        let _ = self.regex.set(build(&self.compiled)?);
        if self.whole_words {
            let _ = self.bounded.set(build(&self.bounded_source())?);
        }
        Ok(())
    }

    /// The compiled regex. A valid pattern can only fail to compile by
    /// exceeding the size limit, which the rules of a user's tree are
    /// checked for when they are loaded; a built-in one that did would
    /// match nothing (the tests compile them all).
    pub fn regex(&self) -> &Regex {
        self.regex.get_or_init(|| build(&self.compiled).unwrap_or_else(|_| never()))
    }

    /// The leftmost-first match that starts at `start` and ends by `end`;
    /// `cache` is taken from the pool on the first search of a text and
    /// held for the next ones.
    fn anchored_at<'a>(
        &'a self,
        hay: &str,
        start: usize,
        end: usize,
        cache: &mut Option<HeldCache<'a>>,
    ) -> Option<Range<usize>> {
        let input = Input::new(hay).range(start..end).anchored(Anchored::Yes);
        match self.forward.get_or_init(|| Forward::build(&self.compiled, SIZE_LIMIT).ok()) {
            Some(forward) => {
                let cache = cache.get_or_insert_with(|| forward.caches.get());
                forward.end_with(cache, &input).map(|e| start..e)
            }
            None => self.regex().find(input).map(|m| m.range()),
        }
    }

    fn bounded(&self) -> &Regex {
        self.bounded.get_or_init(|| build(&self.bounded_source()).unwrap_or_else(|_| never()))
    }

    /// The pattern, anchored, followed by the end of a word, with an empty
    /// group where the pattern ends.
    fn bounded_source(&self) -> String {
        format!(r"^(?:{})()(?:[^\p{{L}}\p{{N}}_]|\z)", self.compiled)
    }

    /// The longest match of the pattern starting at `start` that ends at the
    /// end of a word, if the first one found did not.
    fn ending_a_word(&self, hay: &str, start: usize) -> Option<usize> {
        let bounded = self.bounded();
        let mut caps = bounded.create_captures();
        bounded.search_captures(&Input::new(&hay[start..]), &mut caps);
        // The empty group is the last one: the pattern may have groups of its own.
        caps.get_group(caps.group_len().checked_sub(1)?).map(|m| start + m.start)
    }

    /// The first match in `text[range]` (word boundaries are judged against
    /// the characters around it in `text`).
    pub fn find_in(&self, text: &str, range: Range<usize>) -> Option<Range<usize>> {
        self.find_iter_in(text, range).next()
    }

    /// Whether the pattern matches in `text[range]`.
    pub fn is_match_in(&self, text: &str, range: Range<usize>) -> bool {
        self.is_match_at(text, range, Starts::Anywhere)
    }

    /// Whether the pattern matches in `text[range]`, given where its matches
    /// may start (see [`Pattern::find_iter_at`]).
    pub fn is_match_at(&self, text: &str, range: Range<usize>, starts: Starts) -> bool {
        self.find_iter_at(text, range, starts).next().is_some()
    }

    /// Every non-overlapping match in `text[range]`, in order.
    pub fn find_iter_in<'a>(
        &'a self,
        text: &'a str,
        range: Range<usize>,
    ) -> impl Iterator<Item = Range<usize>> + 'a {
        self.find_iter_at(text, range, Starts::Anywhere)
    }

    /// Every non-overlapping match in `text[range]`, in order, given where
    /// matches may start: the same as [`Pattern::find_iter_in`] when
    /// `starts` holds every offset a match may start at.
    pub fn find_iter_at<'a>(
        &'a self,
        text: &'a str,
        range: Range<usize>,
        starts: Starts<'a>,
    ) -> impl Iterator<Item = Range<usize>> + 'a {
        let end = range.end.min(text.len());
        let hay = &text[..end];
        let mut at = range.start.min(end);
        // The leftmost match from `at`: where a match may start only at
        // known offsets, the first of them with a match there (leftmost-first
        // semantics: the same match as a search from `at`).
        // (The regex is compiled only for a text where it may match.)
        let mut cache = None;
        let mut first = move |at: usize| -> Option<Range<usize>> {
            match starts {
                Starts::Nowhere => None,
                Starts::Anywhere => self.regex().find(Input::new(hay).range(at..end)).map(|m| m.range()),
                Starts::At(offsets) => offsets[offsets.partition_point(|&s| s < at)..]
                    .iter()
                    .take_while(|&&s| s <= end)
                    .find_map(|&s| self.anchored_at(hay, s, end, &mut cache)),
            }
        };
        std::iter::from_fn(move || {
            while at <= end {
                let mut r = first(at)?;
                if self.whole_words && r.start < r.end && !at_boundaries(text, r.clone()) {
                    // A longer alternative may end the word: « publi(e|ées) ».
                    if let Some(end) = self.ending_a_word(hay, r.start).filter(|&e| e > r.start) {
                        if at_boundaries(text, r.start..end) {
                            r = r.start..end;
                        }
                    }
                }
                if !self.whole_words || (r.start < r.end && at_boundaries(text, r.clone())) {
                    at = if r.end > r.start { r.end } else { next_char(text, r.end) };
                    if r.start < r.end {
                        return Some(r);
                    }
                    continue;
                }
                // Not on word boundaries here: try again one character later.
                at = next_char(text, r.start);
            }
            None
        })
    }
}

/// A regex that matches nothing.
fn never() -> Regex {
    // An empty class: a valid constant.
    Regex::new(r"[^\s\S]").unwrap_or_else(|_| unreachable!("a constant regex"))
}

fn next_char(text: &str, at: usize) -> usize {
    at + text[at..].chars().next().map_or(1, char::len_utf8)
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether `range` neither starts nor ends inside a word: a match that
/// starts with a letter or digit must not follow one, and one that ends with
/// a letter or digit must not be followed by one. A pattern that starts or
/// ends with punctuation (`\.docx`) is free on that side.
fn at_boundaries(text: &str, range: Range<usize>) -> bool {
    let m = &text[range.clone()];
    let (Some(first), Some(last)) = (m.chars().next(), m.chars().next_back()) else {
        return false;
    };
    let before = text[..range.start].chars().next_back();
    let after = text[range.end..].chars().next();
    let starts_inside = is_word(first) && before.is_some_and(is_word);
    let ends_inside = is_word(last) && after.is_some_and(is_word);
    !starts_inside && !ends_inside
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(p: &str, text: &str) -> Vec<String> {
        let p = Pattern::new(p, MatchOptions::default()).unwrap();
        p.find_iter_in(text, 0..text.len()).map(|r| text[r].to_string()).collect()
    }

    /// The anchored engine ends where the full regex does, at every
    /// offset, including where its lazy DFA gives up (a Unicode word
    /// boundary beside a non-ASCII letter) and the PikeVM answers.
    #[test]
    fn anchored_ends_are_the_full_regex_ends() {
        let cases = [
            (
                r"(?i:titulaire|prestataire)( (doit|devra))?",
                "Le titulaire devra livrer ; le prestataire doit ; TITULAIRE",
            ),
            (
                r"(?:\s(?:\p{Lu}{2,6}\b|\p{Lu}?\d(?:[\p{L}\d.\-/]*[\p{L}\d])?)){1,2}",
                " GGK équipé, VELUX ÉCO 11 ÉTÉ, Windows 11 Pro",
            ),
            (r"(?i:donn[ée]es?)\w*", "données, DONNÉES, donnéesé, donne"),
            (r"a*", "aaa é b"),
        ];
        let mut gave_up = 0;
        for (source, text) in cases {
            let forward = Forward::build(source, SIZE_LIMIT).unwrap();
            let full = Regex::new(source).unwrap();
            for start in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                let input = Input::new(text).range(start..).anchored(Anchored::Yes);
                let expected = full.find(input.clone()).map(|m| m.end());
                assert_eq!(forward.end(&input), expected, "{source} at {start} of {text:?}");
                gave_up +=
                    usize::from(forward.dfa.try_search_fwd(&mut forward.caches.get(), &input).is_err());
            }
        }
        assert!(gave_up > 0, "no case made the lazy DFA give up: the PikeVM went untested");
    }

    #[test]
    fn whole_words_with_accents() {
        assert_eq!(all("été", "l'été, étéphant, préété été"), vec!["été", "été"]);
        assert_eq!(all("Word", "WordPad, word, Word."), vec!["word", "Word"]);
        assert_eq!(all(r"\.docx?", "rapport.docx et .doc mais pas .docs"), vec![".docx", ".doc"]);
    }

    #[test]
    fn a_failed_boundary_retries_later() {
        assert_eq!(all("ab", "aab ab"), vec!["ab"]);
    }

    #[test]
    fn a_longer_alternative_that_ends_the_word_is_taken() {
        assert_eq!(all("publi(e|ées)", "elles sont publiées."), vec!["publiées"]);
        assert_eq!(all("fourni(t|r|ra|ront)", "il fournira, ils fourniront"), vec!["fournira", "fourniront"]);
        assert_eq!(all(r"art\.", "art. 3"), vec!["art."]);
    }

    #[test]
    fn case_sensitive_and_partial_words() {
        let p = Pattern::new("Word", MatchOptions { whole_words: false, case_sensitive: true }).unwrap();
        let text = "word WordPad";
        let found: Vec<_> = p.find_iter_in(text, 0..text.len()).collect();
        assert_eq!(found, vec![5..9]);
    }

    #[test]
    fn typographic_apostrophes_in_patterns() {
        assert_eq!(all("acte d\u{2019}engagement", "l'acte d'engagement"), vec!["acte d'engagement"]);
    }
}
