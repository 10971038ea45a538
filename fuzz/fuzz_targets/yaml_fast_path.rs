//! Any bytes as YAML: where the line-oriented fast path reads them, it must
//! give exactly granit-parser's events and spans.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        planc::fuzzing::yaml_fast_path(text);
    }
});
