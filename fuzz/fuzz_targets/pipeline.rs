//! Any bytes as a plan file through the whole pipeline: load, decode,
//! resolve, figures, every check, every renderer and both reports. The first
//! byte chooses YAML or TOML.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((first, rest)) = data.split_first() else { return };
    if let Ok(text) = std::str::from_utf8(rest) {
        let name = if first % 2 == 0 { "plan.yaml" } else { "plan.toml" };
        planc::fuzzing::whole_pipeline(name, text);
    }
});
