//! Helpers shared by carewire's runnable examples (see `examples/examples/`).
//!
//! Every example reads the vendor's credentials from the environment; when they are not set it starts the
//! vendor's in-process sandbox from carewire-testkit instead, so each example runs offline on a fresh machine.

pub mod mdlive;
pub mod mymedic;

use std::fmt::Display;
use std::time::Instant;

/// Where a story runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Against the in-process sandbox.
    Sandbox,
    /// Against the vendor's real API (its environment variables are set).
    Live,
}

/// `Live` when every variable in `vars` is set and not empty, else `Sandbox`.
pub fn mode_for(vars: &[&str]) -> Mode {
    if vars.iter().all(|v| std::env::var(v).is_ok_and(|s| !s.trim().is_empty())) { Mode::Live } else { Mode::Sandbox }
}

/// Prints a story's steps so a person can follow them, and remembers whether any failed.
#[derive(Debug)]
pub struct Story {
    name: &'static str,
    started: Instant,
    failures: usize,
    steps: usize,
}

impl Story {
    /// Starts a story and prints its heading.
    pub fn begin(name: &'static str, mode: Mode) -> Self {
        let place = match mode {
            Mode::Sandbox => "in-process sandbox on 127.0.0.1",
            Mode::Live => "the real API (credentials from the environment)",
        };
        println!("\n== {name} ({place})");
        Self { name, started: Instant::now(), failures: 0, steps: 0 }
    }

    /// Records a step's outcome: prints `ok` with what it showed, or `FAILED` with the error.
    pub fn step<T, E: Display>(
        &mut self,
        what: &str,
        result: Result<T, E>,
        show: impl FnOnce(&T) -> String,
    ) -> Option<T> {
        self.steps += 1;
        match result {
            Ok(value) => {
                println!("  ok      {what}: {}", show(&value));
                Some(value)
            }
            Err(err) => {
                self.failures += 1;
                println!("  FAILED  {what}: {err}");
                None
            }
        }
    }

    /// Records a check that must hold.
    pub fn check(&mut self, what: &str, holds: bool, detail: impl Display) {
        self.steps += 1;
        if holds {
            println!("  ok      {what}: {detail}");
        } else {
            self.failures += 1;
            println!("  FAILED  {what}: {detail}");
        }
    }

    /// Prints a note that is not a step.
    pub fn note(&self, text: impl Display) {
        println!("          {text}");
    }

    /// Records that a step was skipped (for example a sandbox-only step in live mode).
    pub fn skip(&self, what: &str, why: &str) {
        println!("  skip    {what}: {why}");
    }

    /// Ends the story; returns the number of failed steps.
    pub fn end(self) -> usize {
        println!(
            "  -- {}: {} steps, {} failed, {:.2}s",
            self.name,
            self.steps,
            self.failures,
            self.started.elapsed().as_secs_f64()
        );
        self.failures
    }
}

/// Shows an optional value without `Some(..)` noise: the value's `Debug`, or `-`.
pub fn opt<T: std::fmt::Debug>(value: Option<&T>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:?}"))
}
