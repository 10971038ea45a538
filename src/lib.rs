//! planc, the plan compiler, as a library: the binary in `main.rs` and the
//! fuzz targets in `fuzz/` both drive this pipeline.
//!
//! load (files → located values) → decode (the model) → resolve (ids and
//! references) → figures (every total) → check (rules) → report, summary and
//! render.

pub mod check;
pub mod cli;
pub mod codes;
pub mod compile;
pub mod config;
pub mod date;
pub mod decode;
pub mod diagnostic;
pub mod diff;
pub mod figures;
pub mod fix;
pub mod framework;
pub mod fuzzing;
pub mod git;
pub mod help_syntax;
pub mod init;
pub mod load;
pub mod model;
pub mod money;
pub mod render;
pub mod report;
pub mod resolve;
pub mod run;
pub mod schema;
pub mod serve;
pub mod source;
pub mod suggest;
pub mod summary;
pub mod terminal;
