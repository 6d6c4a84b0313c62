//! The progress bar of long runs: files read, dossiers checked, the file
//! being read. Drawn on stderr, and only when stderr is a terminal and the
//! run has lasted a second: short runs, pipes and CI logs never see it, and
//! it never enters a report (reports go to stdout or to files).

use clausier::lint::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, RecvTimeoutError, Sender};
use std::sync::Mutex;
use std::time::Duration;

/// How long a run goes on before its bar appears.
const AFTER: Duration = Duration::from_secs(1);

/// A progress bar that appears once its run has lasted long enough.
pub struct Bar {
    bar: ProgressBar,
    dossiers: AtomicUsize,
    /// Told when the run ends, so that the bar of a short run never appears.
    done: Mutex<Option<Sender<()>>>,
}

impl Bar {
    /// The bar of `clausier check`: on stderr after a second, or nothing
    /// when stderr is not a terminal.
    pub fn on_stderr() -> Option<Bar> {
        std::io::stderr().is_terminal().then(|| Bar::new(ProgressDrawTarget::stderr(), AFTER))
    }

    /// A bar drawn on `target` once `after` has passed.
    pub fn new(target: ProgressDrawTarget, after: Duration) -> Bar {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
        let style = ProgressStyle::with_template(
            "{spinner} {pos}/{len} files read, {prefix} checked [{bar:24}] {wide_msg}",
        )
        .map(|s| s.progress_chars("=> "));
        if let Ok(style) = style {
            bar.set_style(style);
        }
        bar.set_prefix(dossiers(0));
        let (tx, rx) = channel::<()>();
        let shown = bar.clone();
        std::thread::spawn(move || {
            if let Err(RecvTimeoutError::Timeout) = rx.recv_timeout(after) {
                shown.set_draw_target(target);
                shown.enable_steady_tick(Duration::from_millis(120));
            }
        });
        Bar { bar, dossiers: AtomicUsize::new(0), done: Mutex::new(Some(tx)) }
    }

    /// Ends the run: the bar, if it appeared, is cleared.
    pub fn finish(&self) {
        if let Ok(mut done) = self.done.lock() {
            if let Some(tx) = done.take() {
                let _ = tx.send(());
            }
        }
        self.bar.finish_and_clear();
    }
}

fn dossiers(n: usize) -> String {
    format!("{n} dossier{}", if n == 1 { "" } else { "s" })
}

impl Progress for Bar {
    fn files(&self, files: usize) {
        self.bar.set_length(files as u64);
    }

    fn reading(&self, path: &Path) {
        self.bar.set_message(path.display().to_string());
    }

    fn read(&self, _path: &Path) {
        self.bar.inc(1);
    }

    fn checked(&self, n: usize) {
        let total = self.dossiers.fetch_add(n, Ordering::Relaxed) + n;
        self.bar.set_prefix(dossiers(total));
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use indicatif::InMemoryTerm;

    fn run(bar: &Bar) {
        bar.files(3);
        for name in ["a/ccap.pdf", "a/cctp.pdf"] {
            bar.reading(Path::new(name));
            bar.read(Path::new(name));
        }
        bar.checked(1);
        bar.reading(Path::new("b/rc.pdf"));
    }

    /// Waits until `term` shows something, for at most two seconds.
    fn drawn(term: &InMemoryTerm) -> String {
        for _ in 0..200 {
            let shown = term.contents();
            if shown.contains("files read") {
                return shown;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        term.contents()
    }

    #[test]
    fn a_long_run_shows_files_dossiers_and_the_current_file() {
        let term = InMemoryTerm::new(4, 100);
        let bar = Bar::new(ProgressDrawTarget::term_like(Box::new(term.clone())), Duration::ZERO);
        run(&bar);
        let shown = drawn(&term);
        assert!(shown.contains("2/3 files read, 1 dossier checked"), "{shown:?}");
        assert!(shown.contains("b/rc.pdf"), "{shown:?}");
        bar.finish();
        assert!(term.contents().trim().is_empty(), "cleared at the end: {:?}", term.contents());
    }

    #[test]
    fn a_short_run_shows_nothing() {
        let term = InMemoryTerm::new(4, 100);
        let bar = Bar::new(ProgressDrawTarget::term_like(Box::new(term.clone())), Duration::from_millis(300));
        run(&bar);
        bar.finish();
        std::thread::sleep(Duration::from_millis(500));
        assert!(term.contents().trim().is_empty(), "{:?}", term.contents());
    }
}
