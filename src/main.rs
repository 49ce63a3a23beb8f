//! The `marginalia` binary: runs a CLI command, or opens the workbench when there is none.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    #[cfg(unix)]
    // SAFETY: called once at start-up, before any thread exists; SIG_DFL is always a valid action.
    #[allow(unsafe_code)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let args = cli::Cli::parse();
    let result = if args.command.is_none() {
        open_app()
    } else {
        cli::run(args)
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let chain: Vec<String> = error.chain().map(|e| e.to_string()).collect();
            eprintln!("error: {}", chain.join(": "));
            ExitCode::FAILURE
        }
    }
}

#[cfg(feature = "gui")]
fn open_app() -> anyhow::Result<()> {
    marginalia::gui::run()
}

#[cfg(not(feature = "gui"))]
fn open_app() -> anyhow::Result<()> {
    anyhow::bail!(
        "this build has no workbench (built without the `gui` feature); see `marginalia --help`"
    )
}
