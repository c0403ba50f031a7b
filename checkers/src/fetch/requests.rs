//! The calls a fetch makes: counted (pages included) and timed by phase, paged to
//! the end or to a bounded depth, and which errors mean "not found".

use std::sync::atomic::{AtomicU32, Ordering};

use crate::snapshot::{Phase, Read};

/// How deep to read histories that can be long.
pub(super) const EVENT_HISTORY_PAGES: usize = 10;
pub(super) const ALARM_HISTORY_PAGES: usize = 5;

const NOT_FOUND: &[&str] = &[
    "ResourceNotFoundException",
    "NoSuchEntity",
    "TrailNotFoundException",
    "NotFound",
    "NoSuchBucket",
];

/// Counts the requests a fetch makes, pages included.
pub(super) struct Calls(pub(super) AtomicU32);

impl Calls {
    pub(super) fn tick(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

/// The phases of a fetch as they end: each one's requests and wall time.
pub(super) struct Phases<'c> {
    calls: &'c Calls,
    started: std::time::Instant,
    requests_before: u32,
    pub(super) done: Vec<Phase>,
}

impl<'c> Phases<'c> {
    pub(super) fn new(calls: &'c Calls) -> Self {
        Phases {
            calls,
            started: std::time::Instant::now(),
            requests_before: 0,
            done: Vec::new(),
        }
    }

    /// Ends the phase `name` now; the next begins.
    pub(super) fn end(&mut self, name: &'static str) {
        let requests = self.calls.0.load(Ordering::Relaxed);
        self.done.push(Phase {
            name,
            requests: requests - self.requests_before,
            took: self.started.elapsed(),
        });
        self.requests_before = requests;
        self.started = std::time::Instant::now();
    }
}

/// Reads pages until there are no more (or `limit` pages): `page` fetches the page
/// after `token` and returns its items and the next token.
pub(super) async fn all_pages<T, F, Fut>(
    calls: &Calls,
    limit: Option<usize>,
    page: F,
) -> Read<Vec<T>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Read<(Vec<T>, Option<String>)>>,
{
    Ok(pages_up_to(calls, limit, page).await?.0)
}

/// As [`all_pages`], and whether the reading stopped at `limit` with pages left.
pub(super) async fn pages_up_to<T, F, Fut>(
    calls: &Calls,
    limit: Option<usize>,
    mut page: F,
) -> Read<(Vec<T>, bool)>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Read<(Vec<T>, Option<String>)>>,
{
    let mut items = Vec::new();
    let mut token = None;
    for pages in 1.. {
        calls.tick();
        let (batch, next) = page(token).await?;
        items.extend(batch);
        token = next;
        if token.is_none() {
            break;
        }
        if limit.is_some_and(|limit| pages >= limit) {
            return Ok((items, true));
        }
    }
    Ok((items, false))
}

pub(super) fn is_not_found(code: Option<&str>) -> bool {
    code.is_some_and(|c| NOT_FOUND.contains(&c))
}
