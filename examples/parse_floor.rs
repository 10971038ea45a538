//! The floor for `planc validate`: parse every YAML and TOML file below the
//! given paths with the same parsers, single-threaded, into
//! `serde::de::IgnoredAny`, and do nothing else. Used by `bench/run.sh`.
//!
//!     cargo run --release --example parse_floor -- PATH...

use std::path::PathBuf;

use serde::de::IgnoredAny;

fn main() {
    let mut pending: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let mut files = 0usize;
    while let Some(path) = pending.pop() {
        if path.is_dir() {
            if let Ok(entries) = std::fs::read_dir(&path) {
                pending.extend(entries.flatten().map(|e| e.path()));
            }
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let parsed = match path.extension().and_then(|e| e.to_str()) {
            Some("yaml" | "yml") => serde_saphyr::from_str::<IgnoredAny>(&text).is_ok(),
            Some("toml") => toml::from_str::<IgnoredAny>(&text).is_ok(),
            _ => continue,
        };
        if !parsed {
            eprintln!("{}: does not parse", path.display());
            std::process::exit(1);
        }
        files += 1;
    }
    println!("{files} files parsed");
}
