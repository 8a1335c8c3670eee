//! Leak detection for the canary test: a `tracing` subscriber that records every span and event field at
//! TRACE level into one string, and a collector of everything a caller could print (`Display`, `Debug`,
//! `{:#?}`, error source chains) that reports any canary value found in either.

use std::fmt::{self, Debug, Write as _};
use std::sync::{Arc, Mutex, PoisonError};

use tracing::field::{Field, Visit};
use tracing::level_filters::LevelFilter;
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Records everything every span and event carries, at every level, into a shared string.
#[derive(Clone, Default)]
pub(crate) struct Capture {
    log: Arc<Mutex<String>>,
    next_id: Arc<Mutex<u64>>,
}

impl Capture {
    /// Everything captured so far.
    pub(crate) fn text(&self) -> String {
        self.log.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    fn push(&self, line: fmt::Arguments<'_>) {
        let mut log = self.log.lock().unwrap_or_else(PoisonError::into_inner);
        let _ = log.write_fmt(line);
        log.push('\n');
    }
}

/// Writes `name=value` for every field visited.
struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        let _ = write!(self.0, " {}={value}", field.name());
    }
    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        let _ = write!(self.0, " {}={value} / {value:?}", field.name());
    }
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }
}

fn describe(meta: &Metadata<'_>) -> String {
    format!("{} {} {} {:?}", meta.level(), meta.target(), meta.name(), meta.module_path())
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn max_level_hint(&self) -> Option<LevelFilter> {
        Some(LevelFilter::TRACE)
    }
    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        let mut fields = String::new();
        attrs.record(&mut Fields(&mut fields));
        self.push(format_args!("span {}{fields}", describe(attrs.metadata())));
        let mut next = self.next_id.lock().unwrap_or_else(PoisonError::into_inner);
        *next += 1;
        Id::from_u64(*next)
    }
    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut fields = String::new();
        values.record(&mut Fields(&mut fields));
        self.push(format_args!("record {span:?}{fields}"));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut fields = String::new();
        event.record(&mut Fields(&mut fields));
        self.push(format_args!("event {}{fields}", describe(event.metadata())));
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

/// Everything printed during a test, checked against the canary values at the end.
#[derive(Default)]
pub(crate) struct Leaks {
    canaries: Vec<String>,
    seen: Vec<(String, String)>,
}

impl Leaks {
    /// A collector that looks for `canaries`.
    pub(crate) fn new(canaries: &[&str]) -> Self {
        Self { canaries: canaries.iter().map(|c| (*c).to_owned()).collect(), seen: Vec::new() }
    }

    /// Adds a value only known at run time (a token, a server-made patient id).
    pub(crate) fn canary(&mut self, value: impl Into<String>) {
        let value = value.into();
        assert!(value.len() >= 6, "a canary too short to be meaningful: {value:?}");
        self.canaries.push(value);
    }

    /// Records `text` as printed by `label`.
    pub(crate) fn text(&mut self, label: &str, text: impl Into<String>) {
        self.seen.push((label.to_owned(), text.into()));
    }

    /// Records `value`'s `Debug` and `{:#?}`.
    pub(crate) fn debug(&mut self, label: &str, value: &dyn Debug) {
        self.text(label, format!("{value:?}"));
        self.text(label, format!("{value:#?}"));
    }

    /// Records an error's `Display`, `Debug`, `{:#?}` and those of every `source()` below it.
    pub(crate) fn error(&mut self, label: &str, err: &(dyn std::error::Error + 'static)) {
        self.text(label, format!("{err}"));
        self.debug(label, &err);
        let mut depth = 0;
        let mut source = err.source();
        while let Some(cause) = source {
            depth += 1;
            self.text(&format!("{label} source {depth}"), format!("{cause} / {cause:?} / {cause:#?}"));
            source = cause.source();
        }
    }

    /// Records a `Result`: the error as [`Leaks::error`], or the value's `Debug`.
    pub(crate) fn result<T: Debug, E: std::error::Error + 'static>(&mut self, label: &str, result: &Result<T, E>) {
        match result {
            Ok(value) => self.debug(label, value),
            Err(err) => self.error(label, err),
        }
    }

    /// Every `(label, canary)` pair where the canary was printed.
    pub(crate) fn found(&self) -> Vec<(String, String)> {
        let mut found = Vec::new();
        for (label, text) in &self.seen {
            for canary in &self.canaries {
                if text.contains(canary.as_str()) && !found.iter().any(|(l, c)| l == label && c == canary) {
                    found.push((label.clone(), canary.clone()));
                }
            }
        }
        found
    }

    /// Fails, showing where, if any canary was printed, except the `(label, canary)` pairs in `known`
    /// (leaks already reported, kept visible on stderr). Returns how many texts were checked.
    pub(crate) fn assert_clean(&self) -> usize {
        let mut unexpected = Vec::new();
        for (label, canary) in self.found() {
            let text = self.seen.iter().filter(|(l, _)| *l == label).map(|(_, t)| t.as_str()).collect::<Vec<_>>();
            unexpected.push(format!("{canary:?} leaked by {label}:\n    {}", text.join("\n    ")));
        }
        assert!(unexpected.is_empty(), "{} leaks:\n{}", unexpected.len(), unexpected.join("\n"));
        self.seen.len()
    }
}
