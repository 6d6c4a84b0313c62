//! The ODT reader (zip package, OpenDocument XML) on any bytes.
#![no_main]
use clausier::document::{odt, package::Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = odt::read("fuzz.odt".into(), data.to_vec(), Limits::default());
});
