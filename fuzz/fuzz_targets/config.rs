//! The configuration loader on any text.
#![no_main]
use clausier::config::Config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let _ = Config::from_text(std::path::Path::new("/fuzz/.clausier.yaml"), text);
});
