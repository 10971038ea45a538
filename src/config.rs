//! `planc.toml`: where a repository's plans are and how to check them.

use std::path::PathBuf;

use crate::model::{Id, Level, SharedItem};

pub const FILE_NAME: &str = "planc.toml";

/// The largest plan file planc reads, unless `max_file_bytes` says otherwise.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// The most `max_file_bytes` may be: more is a mistake, or an attempt to
/// make planc read without bound.
pub const MAX_FILE_BYTES_LIMIT: u64 = 1024 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameworkMode {
    Extend,
    Replace,
}

#[derive(Debug, Clone)]
pub struct Config {
    /// The directory holding `planc.toml`; relative paths start here.
    pub root: PathBuf,
    pub plans: Vec<PathBuf>,
    pub framework: Option<PathBuf>,
    pub framework_mode: FrameworkMode,
    pub currency: String,
    pub max_file_bytes: u64,
    pub checks: Vec<(Id, Level)>,
    /// The register of items several plans share (`[[shared]]`).
    pub shared: Vec<SharedItem>,
}

impl Config {
    pub fn new(root: PathBuf) -> Config {
        Config {
            root,
            plans: Vec::new(),
            framework: None,
            framework_mode: FrameworkMode::Extend,
            currency: "GBP".into(),
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            checks: Vec::new(),
            shared: Vec::new(),
        }
    }
}
