//! Test instrumentation for the crash test: with `MARGINALIA_TEST_ABORT_AT=N` in the environment, the process
//! aborts (as a SIGKILL or a power cut would stop it) at the N-th step of writing the project to disk.
//! Without that variable this is one relaxed atomic load per write step.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The environment variable naming the step to abort at (1-based).
pub const ABORT_AT: &str = "MARGINALIA_TEST_ABORT_AT";

static STEPS: AtomicUsize = AtomicUsize::new(0);
static TARGET: OnceLock<Option<usize>> = OnceLock::new();

/// One step of writing the project (a file written, a barrier, a rename, a removal).
pub fn step() {
    let target = TARGET.get_or_init(|| std::env::var(ABORT_AT).ok()?.trim().parse().ok());
    if let Some(target) = *target
        && STEPS.fetch_add(1, Ordering::Relaxed) + 1 == target
    {
        std::process::abort();
    }
}
