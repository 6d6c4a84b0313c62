#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
//! clausier: a compliance linter for public procurement documents.
//!
//! The library is a chain of parts with one job each: [`walk`] finds the
//! files, [`document`] lowers every format to blocks and sections,
//! [`dossier`] groups documents into procurements, [`rules`] loads the rule
//! packs, [`engine`] checks dossiers against them, and [`report`] renders
//! the findings. The `clausier` binary is a thin command line over them.

pub mod checks;
pub mod config;
pub mod diagnostic;
pub mod document;
pub mod dossier;
pub mod engine;
pub mod evaluate;
pub mod fix;
pub mod fixtures;
pub mod limits;
pub mod lint;
pub mod lsp;
pub mod report;
pub mod rules;
pub mod serve;
pub mod suppress;
pub mod walk;
