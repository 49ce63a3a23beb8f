//! The one background-task type: a closure on a worker thread with progress, a cancel flag and a polled result.
//!
//! [`Task`] runs one closure; [`Latest`] holds at most one task of a kind, and starting a newer one cancels the
//! older (its result is dropped when it arrives): what a search-as-you-type or a long analysis needs. [`Jobs`]
//! holds the workbench's running tasks whose result is a [`Command`] (dialogs, imports, exports).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::sync::{Arc, Mutex};

use crate::gui::commands::{Command, ExportOrigin};

/// How far a task has come: `done` of `total` steps, and what it is working on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    pub label: String,
}

impl Progress {
    /// The share done, 0 when the total is not known yet.
    pub fn fraction(&self) -> f32 {
        if self.total == 0 {
            0.0
        } else {
            self.done as f32 / self.total as f32
        }
    }
}

/// What the worker closure gets: a way to report progress and to see whether it was cancelled.
#[derive(Clone)]
pub struct Reporter {
    progress: Arc<Mutex<Progress>>,
    cancelled: Arc<AtomicBool>,
    repaint: Option<egui::Context>,
}

impl Reporter {
    /// Reports progress and wakes the UI.
    pub fn progress(&self, done: usize, total: usize, label: impl Into<String>) {
        if let Ok(mut p) = self.progress.lock() {
            *p = Progress {
                done,
                total,
                label: label.into(),
            };
        }
        if let Some(ctx) = &self.repaint {
            ctx.request_repaint();
        }
    }

    /// True once the task was cancelled; a long closure checks this and returns early.
    pub fn cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }
}

/// A closure running on a worker thread.
pub struct Task<T> {
    rx: Receiver<T>,
    progress: Arc<Mutex<Progress>>,
    cancelled: Arc<AtomicBool>,
}

/// What polling a task found.
pub enum Poll<T> {
    Running,
    Done(T),
    /// The worker ended without a result (it panicked).
    Lost,
}

impl<T: Send + 'static> Task<T> {
    /// Starts `work` on a new thread; `repaint` (the UI's context, when there is one) is woken when the task
    /// reports progress and when it finishes.
    pub fn spawn(
        repaint: Option<&egui::Context>,
        work: impl FnOnce(&Reporter) -> T + Send + 'static,
    ) -> Self {
        let (tx, rx) = channel();
        let reporter = Reporter {
            progress: Arc::default(),
            cancelled: Arc::default(),
            repaint: repaint.cloned(),
        };
        let task = Self {
            rx,
            progress: reporter.progress.clone(),
            cancelled: reporter.cancelled.clone(),
        };
        std::thread::spawn(move || {
            let result = work(&reporter);
            let _ = tx.send(result);
            if let Some(ctx) = &reporter.repaint {
                ctx.request_repaint();
            }
        });
        task
    }
}

impl<T> Task<T> {
    /// The result when the worker is done (called once per frame).
    pub fn poll(&self) -> Poll<T> {
        match self.rx.try_recv() {
            Ok(result) => Poll::Done(result),
            Err(TryRecvError::Empty) => Poll::Running,
            Err(TryRecvError::Disconnected) => Poll::Lost,
        }
    }

    /// Blocks until the worker is done (tests, benchmarks, leaving the app).
    pub fn wait(self) -> Option<T> {
        self.rx.recv().ok()
    }

    /// The last progress the worker reported.
    pub fn progress(&self) -> Progress {
        self.progress.lock().map(|p| p.clone()).unwrap_or_default()
    }

    /// Asks the worker to stop; its result, if it still sends one, is ignored by [`Latest`].
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }
}

/// Drops `value` on a short-lived thread of its own: freeing a search's tens of thousands of hits (each with its
/// own strings) is work a frame must not wait for. When no thread can be started it is dropped here.
pub fn drop_in_background<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("drop".into())
        .spawn(move || drop(value));
}

/// At most one task of a kind: starting a newer one cancels the one in flight.
pub struct Latest<T> {
    task: Option<Task<T>>,
}

impl<T> Default for Latest<T> {
    fn default() -> Self {
        Self { task: None }
    }
}

impl<T: Send + 'static> Latest<T> {
    /// Cancels the task in flight (if any) and starts this one.
    pub fn start(
        &mut self,
        repaint: Option<&egui::Context>,
        work: impl FnOnce(&Reporter) -> T + Send + 'static,
    ) {
        self.cancel();
        self.task = Some(Task::spawn(repaint, work));
    }
}

impl<T> Latest<T> {
    /// True while a task is in flight.
    pub fn in_flight(&self) -> bool {
        self.task.is_some()
    }

    /// The result once the task in flight is done; `Some(None)` when its worker was lost.
    pub fn poll(&mut self) -> Option<Option<T>> {
        let outcome = match self.task.as_ref()?.poll() {
            Poll::Running => return None,
            Poll::Done(result) => Some(result),
            Poll::Lost => None,
        };
        self.task = None;
        Some(outcome)
    }

    /// Blocks until the task in flight is done.
    pub fn wait(&mut self) -> Option<T> {
        self.task.take()?.wait()
    }

    /// Cancels and forgets the task in flight.
    pub fn cancel(&mut self) {
        if let Some(task) = self.task.take() {
            task.cancel();
        }
    }
}

impl<T> Drop for Latest<T> {
    /// A task nobody waits for any more is asked to stop (its result could not be delivered anyway).
    fn drop(&mut self) {
        self.cancel();
    }
}

/// The work of a job, boxed (menu actions pick one of several).
pub type JobWork = Box<dyn FnOnce(&Reporter) -> Option<Command> + Send>;

/// What a job in [`Jobs`] is doing (the status bar and windows show their own).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobKind {
    /// A native file dialog and what follows from its answer.
    Dialog,
    /// Reading files into the project (progress in the status bar).
    Import,
    /// Writing an export (the window that started it shows a spinner).
    Export(ExportOrigin),
}

/// The workbench's running jobs: tasks whose result is a command for the next drain.
#[derive(Default)]
pub struct Jobs {
    running: Vec<(JobKind, Task<Option<Command>>)>,
}

impl Jobs {
    /// Starts a job.
    pub fn spawn(
        &mut self,
        kind: JobKind,
        repaint: Option<&egui::Context>,
        work: impl FnOnce(&Reporter) -> Option<Command> + Send + 'static,
    ) {
        self.running.push((kind, Task::spawn(repaint, work)));
    }

    /// The commands of the jobs that finished since the last frame.
    pub fn poll(&mut self) -> Vec<Command> {
        let mut finished = Vec::new();
        self.running.retain(|(_, task)| match task.poll() {
            Poll::Running => true,
            Poll::Done(command) => {
                finished.extend(command);
                false
            }
            Poll::Lost => false,
        });
        finished
    }

    /// Blocks until every job of a kind is done; returns their commands (tests).
    pub fn wait(&mut self, kind: JobKind) -> Vec<Command> {
        let (waiting, rest) = std::mem::take(&mut self.running)
            .into_iter()
            .partition(|(k, _)| *k == kind);
        self.running = rest;
        waiting
            .into_iter()
            .filter_map(|(_, task): (JobKind, Task<Option<Command>>)| task.wait().flatten())
            .collect()
    }

    /// True while a job of this kind runs.
    pub fn running(&self, kind: JobKind) -> bool {
        self.running.iter().any(|(k, _)| *k == kind)
    }

    /// True while any job runs.
    pub fn busy(&self) -> bool {
        !self.running.is_empty()
    }

    /// The progress of the first running job of a kind.
    pub fn progress(&self, kind: JobKind) -> Option<Progress> {
        self.running
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, task)| task.progress())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_task_delivers_its_result_and_progress() {
        let task = Task::spawn(None, |r| {
            r.progress(1, 2, "half");
            21 * 2
        });
        let progress = task.progress();
        assert!(progress == Progress::default() || progress.label == "half");
        assert_eq!(task.wait(), Some(42));
    }

    #[test]
    fn drop_in_background_frees_on_another_thread() {
        struct Probe(std::sync::mpsc::Sender<std::thread::ThreadId>);
        impl Drop for Probe {
            fn drop(&mut self) {
                let _ = self.0.send(std::thread::current().id());
            }
        }
        let (tx, rx) = channel();
        drop_in_background(Probe(tx));
        let dropped_on = rx.recv().ok();
        assert!(dropped_on.is_some());
        assert_ne!(dropped_on, Some(std::thread::current().id()));
    }

    #[test]
    fn a_newer_task_cancels_the_older() {
        let (go_tx, go_rx) = channel::<()>();
        let mut latest = Latest::default();
        latest.start(None, move |r| {
            let _ = go_rx.recv();
            r.cancelled()
        });
        let first = latest.task.as_ref().map(|t| t.cancelled.clone());
        latest.start(None, |_| false);
        let _ = go_tx.send(());
        assert_eq!(latest.wait(), Some(false), "only the newer result arrives");
        assert!(first.is_some_and(|c| c.load(Ordering::Relaxed)));
    }
}
