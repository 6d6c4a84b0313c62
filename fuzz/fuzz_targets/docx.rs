//! The DOCX reader (zip package, WordprocessingML) on any bytes.
#![no_main]
use clausier::document::{docx, package::Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = docx::read("fuzz.docx".into(), data.to_vec(), Limits::default());
});
