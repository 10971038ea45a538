//! Any text as an amount of money, and any text as a date.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        planc::fuzzing::amount_and_date(text);
    }
});
