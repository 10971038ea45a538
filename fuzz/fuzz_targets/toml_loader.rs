//! Any bytes as a TOML plan file: parse into the located tree and decode.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        planc::fuzzing::load_and_decode("plan.toml", text);
    }
});
