//! Any text through the diagnostic renderers, with labels anywhere in it:
//! lines far past column 65,535, control and bidi characters, labels at the
//! end of the file, in every style and format.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    planc::fuzzing::report(data);
});
