//! Where a command's time goes, for `-v`: the laps of a stopwatch, each with the
//! AWS requests it made, printed as a small table on standard error.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

/// One stretch of a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lap {
    /// What happened in it, e.g. `configuration and credentials`.
    pub what: String,
    /// The AWS requests it made, where it made any.
    pub requests: Option<u32>,
    /// Its wall time.
    pub took: Duration,
}

/// Laps, each ending when the next is taken.
#[derive(Debug, Clone)]
pub struct Stopwatch {
    since: Instant,
    laps: Vec<Lap>,
}

impl Default for Stopwatch {
    fn default() -> Self {
        Stopwatch::start()
    }
}

impl Stopwatch {
    /// A stopwatch running from now.
    pub fn start() -> Stopwatch {
        Stopwatch {
            since: Instant::now(),
            laps: Vec::new(),
        }
    }

    /// Ends the current lap as `what`, with the `requests` it made.
    pub fn lap(&mut self, what: impl Into<String>, requests: Option<u32>) {
        let now = Instant::now();
        self.laps.push(Lap {
            what: what.into(),
            requests,
            took: now - self.since,
        });
        self.since = now;
    }

    /// Adds laps timed elsewhere (`laps` ended just now) and starts the next lap now.
    pub fn extend(&mut self, laps: impl IntoIterator<Item = Lap>) {
        self.laps.extend(laps);
        self.since = Instant::now();
    }

    /// The laps so far.
    pub fn laps(&self) -> &[Lap] {
        &self.laps
    }

    /// The laps as a table: one line each, milliseconds, then the total.
    pub fn render(&self) -> String {
        let width = self
            .laps
            .iter()
            .map(|l| l.what.len())
            .max()
            .unwrap_or(0)
            .max(5);
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let mut out = String::from("where the time went:\n");
        for lap in &self.laps {
            let requests = match lap.requests {
                Some(1) => "  1 request".to_string(),
                Some(n) => format!("  {n} requests"),
                None => String::new(),
            };
            let _ = writeln!(
                out,
                "  {:<width$}  {:>8.1} ms{requests}",
                lap.what,
                ms(lap.took)
            );
        }
        let total: Duration = self.laps.iter().map(|l| l.took).sum();
        let requests: u32 = self.laps.iter().filter_map(|l| l.requests).sum();
        let _ = writeln!(
            out,
            "  {:<width$}  {:>8.1} ms  {requests} requests",
            "total",
            ms(total)
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn laps_line_up_and_add_up() {
        let mut watch = Stopwatch::start();
        watch.extend([
            Lap {
                what: "reading".into(),
                requests: Some(6),
                took: Duration::from_millis(12),
            },
            Lap {
                what: "judging the checks".into(),
                requests: None,
                took: Duration::from_micros(500),
            },
        ]);
        let table = watch.render();
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 4, "{table}");
        assert!(lines[1].contains("12.0 ms  6 requests"), "{table}");
        assert!(lines[2].trim_end().ends_with("0.5 ms"), "{table}");
        assert!(lines[3].contains("12.5 ms  6 requests"), "{table}");
        let column = |l: &str| l.find(" ms").expect("a time");
        assert!(
            lines[1..].iter().all(|l| column(l) == column(lines[1])),
            "{table}"
        );
    }

    #[test]
    fn a_lap_ends_where_the_next_begins() {
        let mut watch = Stopwatch::start();
        std::thread::sleep(Duration::from_millis(5));
        watch.lap("first", Some(1));
        watch.lap("second", None);
        assert!(watch.laps()[0].took >= Duration::from_millis(5));
        assert!(watch.laps()[1].took < watch.laps()[0].took);
    }
}
