//! Topics: what a procurement is about (`software`, `data`, `public-service`…),
//! detected from signals listed in `rules/topics.yaml`, so that a
//! free-software rule applies to an IT purchase and not to road works.

use super::{Pattern, Starts};

/// A topic and its signals.
#[derive(Debug, Clone)]
pub struct Topic {
    /// Its name, as used in `applies-to.topics`.
    pub name: String,
    /// What it means, for the documentation.
    pub description: String,
    /// Signals: each match counts once.
    pub patterns: Vec<Pattern>,
    /// How many matches make the topic present.
    pub min_matches: usize,
    /// Or, with at least two matches, how many per 1,000 words: a short
    /// document that talks of little else has the topic.
    pub min_per_thousand_words: Option<f64>,
    /// Topics that this one implies (`software-development` implies `software`).
    pub implies: Vec<String>,
    /// Signals that make the topic absent wherever they occur (a dossier
    /// that refers to a 2021 CCAG but derogates from its clause on results).
    pub unless: Vec<Pattern>,
    /// Set phrases whose words are signals but which say nothing of the
    /// purchase (« programme informatique malveillant » in the rules on
    /// electronic bids): a signal inside one of them does not count.
    pub not_counting: Vec<Pattern>,
}

/// Every topic.
#[derive(Debug, Clone, Default)]
pub struct Topics {
    /// In file order.
    pub topics: Vec<Topic>,
}

impl Topic {
    /// Every pattern the topic searches for: its signals, then its
    /// `not_counting` phrases, then its `unless` signals. A prefilter tells
    /// where each may start by its index in this order.
    pub fn searched(&self) -> impl Iterator<Item = &Pattern> {
        self.patterns.iter().chain(&self.not_counting).chain(&self.unless)
    }

    /// How many signals of pattern `i` of the topic's `text` holds, up to
    /// `limit`, given where each of its [`Topic::searched`] patterns may
    /// start (`starts`): matches inside one of the `not_counting` set
    /// phrases do not count. `phrases` holds those phrases of `text`, found
    /// on the first signal and kept for the topic's other patterns on the
    /// same text. Detection and `clausier dump --topics` both count here.
    pub fn signals<'a>(
        &'a self,
        i: usize,
        text: &'a str,
        starts: &impl Fn(usize) -> Starts<'a>,
        phrases: &mut Option<Vec<std::ops::Range<usize>>>,
        limit: usize,
    ) -> usize {
        let Some(p) = self.patterns.get(i) else { return 0 };
        p.find_iter_at(text, 0..text.len(), starts(i))
            .filter(|m| {
                self.not_counting.is_empty()
                    || !phrases
                        .get_or_insert_with(|| {
                            let first = self.patterns.len();
                            (self.not_counting.iter().enumerate())
                                .flat_map(|(j, q)| q.find_iter_at(text, 0..text.len(), starts(first + j)))
                                .collect()
                        })
                        .iter()
                        .any(|r| r.start <= m.start && m.end <= r.end)
            })
            .take(limit)
            .count()
    }
}

impl Topics {
    /// The topics present in the normalised `texts` taken together, sorted.
    /// `starts(topic, pattern, text)` says where a pattern's matches may
    /// start in a text (a prefilter's answer): it is searched only there.
    pub fn detect<'a>(
        &'a self,
        texts: &[&'a str],
        starts: impl Fn(usize, usize, usize) -> Starts<'a>,
    ) -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        let mut words: Option<usize> = None;
        for (t, topic) in self.topics.iter().enumerate() {
            let mut count = 0;
            'texts: for (d, text) in texts.iter().enumerate() {
                let mut phrases = None;
                for i in 0..topic.patterns.len() {
                    count += topic.signals(i, text, &|j| starts(t, j, d), &mut phrases, topic.min_matches);
                    if count >= topic.min_matches {
                        break 'texts;
                    }
                }
            }
            let mut dense = || {
                let words =
                    *words.get_or_insert_with(|| texts.iter().map(|t| t.split_whitespace().count()).sum());
                topic
                    .min_per_thousand_words
                    .is_some_and(|min| count as f64 * 1000.0 >= min * words.max(1) as f64)
            };
            let present = count >= topic.min_matches || (count >= 2 && dense());
            let contradicted = || {
                let first = topic.patterns.len() + topic.not_counting.len();
                topic.unless.iter().enumerate().any(|(k, p)| {
                    texts
                        .iter()
                        .enumerate()
                        .any(|(d, text)| p.is_match_at(text, 0..text.len(), starts(t, first + k, d)))
                })
            };
            if present && !contradicted() {
                found.push(topic.name.clone());
                found.extend(topic.implies.iter().cloned());
            }
        }
        found.sort();
        found.dedup();
        found
    }

    /// Whether a topic of that name exists.
    pub fn contains(&self, name: &str) -> bool {
        self.topics.iter().any(|t| t.name == name)
    }
}
