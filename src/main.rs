//! planc: the plan compiler. Parses arguments and hands over to `run`.

mod check;
mod cli;
mod codes;
mod compile;
mod config;
mod date;
mod decode;
mod diagnostic;
mod figures;
mod framework;
mod load;
mod model;
mod money;
mod render;
mod report;
mod resolve;
mod run;
mod source;
mod suggest;
mod summary;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                run::Status::CouldNotRun.into()
            } else {
                run::Status::Clean.into()
            };
        }
    };
    match run::run(cli) {
        Ok(status) => status.into(),
        Err(e) => {
            eprintln!("planc: {e:#}");
            run::Status::CouldNotRun.into()
        }
    }
}
