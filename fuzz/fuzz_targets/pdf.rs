//! The PDF reader on any bytes.
#![no_main]
use clausier::document::pdf;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = pdf::read("fuzz.pdf".into(), data);
});
