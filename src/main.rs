//! planc: the plan compiler. Parses arguments and hands over to `run`.

use std::process::ExitCode;

use clap::Parser;
use planc::{cli, run};

// A plan is hundreds of thousands of small strings and vectors, built by
// several threads at once: mimalloc allocates and frees them faster than
// the system allocator (measured in docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
        // A reader that stops early (`planc man | head`) is not an error.
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            run::Status::Clean.into()
        }
        Err(e) => {
            // Paths and messages from the repository: shown, not obeyed.
            eprintln!("planc: {}", planc::terminal::visible(&format!("{e:#}")));
            run::Status::CouldNotRun.into()
        }
    }
}
