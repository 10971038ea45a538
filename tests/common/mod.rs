//! What the integration tests share: running the real binary, and the small
//! file edits they make in temporary repositories. Each test binary uses
//! some of it.
#![allow(dead_code)]

use std::fs;
use std::path::Path;

use assert_cmd::Command;

/// A fixed day, so that status freshness does not depend on when tests run.
pub const AS_OF: &str = "2008-06-30";

pub struct Output {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

/// `planc ARGS` in `dir`, with the colour settings of the test's own
/// environment removed.
pub fn planc_in(dir: &Path, args: &[&str]) -> Output {
    let output = Command::cargo_bin("planc")
        .expect("the planc binary is built")
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .args(args)
        .output()
        .expect("planc runs");
    Output::from(output)
}

impl From<std::process::Output> for Output {
    fn from(output: std::process::Output) -> Self {
        Output {
            status: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

pub fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// Replaces the first `from` in a file, which must hold it.
pub fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}
