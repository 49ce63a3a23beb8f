//! Runs a parser under `catch_unwind` without the panic message the default hook would print for it.
//!
//! Third-party readers (pdf-extract, lopdf, rtf-parser, calamine) may panic on malformed files; the importer
//! turns such a panic into a clear refusal, so the `thread 'main' panicked at …` line is only noise. A hook
//! installed once stays silent while the current thread is inside [`catch_quietly`] and defers to the hook
//! that was installed before it otherwise, so panics elsewhere still print as usual.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// Whether the current thread is inside [`catch_quietly`].
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

static INSTALL: Once = Once::new();

/// Installs the silencing hook in front of whatever hook is installed now (once per process).
fn install_hook() {
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let quiet = QUIET.try_with(Cell::get).unwrap_or(false);
            if !quiet {
                previous(info);
            }
        }));
    });
}

/// Runs `f`, catching a panic as `Err` without printing it. Nested calls keep the outer state.
pub(crate) fn catch_quietly<R>(f: impl FnOnce() -> R) -> std::thread::Result<R> {
    install_hook();
    let was_quiet = QUIET.with(|q| q.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was_quiet));
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caught_panic_becomes_err_and_the_flag_is_restored() {
        let result = catch_quietly(|| -> u32 { panic!("inside a parser") });
        assert!(result.is_err());
        assert!(!QUIET.with(Cell::get));
        assert_eq!(catch_quietly(|| 7).ok(), Some(7));
    }
}
