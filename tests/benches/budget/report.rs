//! The bench's rows and how they are printed: a baseline and a carewire figure per round, the ratio per round,
//! and the median ratio of the rounds with the middle half of them as its spread.

use std::fmt;

/// How long a run is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Size {
    /// The documented run.
    Full,
    /// A few iterations of everything: checks that the bench runs (CI), not what it measures.
    Quick,
}

impl Size {
    /// `full` for the documented run, `quick` for CI.
    pub(crate) fn pick<T>(self, full: T, quick: T) -> T {
        match self {
            Self::Full => full,
            Self::Quick => quick,
        }
    }
}

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Full => "full run",
            Self::Quick => "quick run: figures not meaningful",
        })
    }
}

/// Which way the target points.
#[derive(Clone, Copy)]
pub(crate) enum Target {
    /// The ratio carewire / baseline must be at most this.
    AtMost(f64),
    /// The ratio carewire / baseline must be at least this.
    AtLeast(f64),
    /// No target: a cost carewire adds that the baseline has no counterpart for, reported so that it is seen.
    Reported,
}

/// One row of the table.
pub(crate) struct Row {
    /// What is measured.
    pub(crate) name: String,
    /// The unit of the two figures (`µs`, `req/s`, `MB/s`, `KiB`, `ms`).
    pub(crate) unit: &'static str,
    /// The baseline's figure of each round.
    pub(crate) baseline: Vec<f64>,
    /// carewire's figure of each round.
    pub(crate) carewire: Vec<f64>,
    /// The target for carewire / baseline.
    pub(crate) target: Target,
}

impl Row {
    /// A row from paired rounds.
    pub(crate) fn new(name: impl Into<String>, unit: &'static str, target: Target) -> Self {
        Self { name: name.into(), unit, baseline: Vec::new(), carewire: Vec::new(), target }
    }

    /// Adds one round's pair of figures.
    pub(crate) fn push(&mut self, baseline: f64, carewire: f64) {
        self.baseline.push(baseline);
        self.carewire.push(carewire);
    }

    /// The ratio carewire / baseline of each round, sorted.
    fn ratios(&self) -> Vec<f64> {
        let mut r: Vec<f64> = self.baseline.iter().zip(&self.carewire).map(|(b, c)| c / b).collect();
        r.sort_by(f64::total_cmp);
        r
    }
}

/// The median of `v` (the mean of the two middle values for an even count).
pub(crate) fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 { v[n / 2] } else { f64::midpoint(v[n / 2 - 1], v[n / 2]) }
}

/// The middle half of sorted `v`: its first and third quartiles.
fn middle_half(sorted: &[f64]) -> (f64, f64) {
    let n = sorted.len();
    (sorted[n / 4], sorted[(3 * n / 4).min(n - 1)])
}

fn figure(v: f64) -> String {
    if v >= 10_000.0 {
        format!("{v:.0}")
    } else if v >= 100.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// Prints the rows as one table.
pub(crate) fn print_table(title: &str, rows: &[Row]) {
    println!("{title}");
    println!(
        "{:<44} {:>7} {:>12} {:>12} {:>7} {:>15} {:>6} {:>8} {:>4}",
        "row", "unit", "baseline", "carewire", "ratio", "middle half", "rounds", "target", "met"
    );
    for row in rows {
        let ratios = row.ratios();
        let ratio = median(&ratios);
        let (lo, hi) = middle_half(&ratios);
        let (target, met) = match row.target {
            Target::AtMost(t) => (format!("<= {t:.2}"), if ratio <= t { "yes" } else { "no" }),
            Target::AtLeast(t) => (format!(">= {t:.2}"), if ratio >= t { "yes" } else { "no" }),
            Target::Reported => ("-".to_owned(), "-"),
        };
        println!(
            "{:<44} {:>7} {:>12} {:>12} {:>7.3} {:>7.3}..{:<6.3} {:>6} {:>8} {:>4}",
            row.name,
            row.unit,
            figure(median(&row.baseline)),
            figure(median(&row.carewire)),
            ratio,
            lo,
            hi,
            ratios.len(),
            target,
            met,
        );
    }
    println!(
        "ratio = carewire / baseline per round, the median of the row's rounds; figures are the medians of the rounds"
    );
}
