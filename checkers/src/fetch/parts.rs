//! Reading only the parts the scope asks for, each read concurrently: one part, a
//! part by name, or a part and what it points to.

use futures_util::future::join_all;

use crate::scope::{Part, Scope};
use crate::snapshot::{Read, ReadError, ReadErrorKind, Reads};

/// `read` when `scope` asks for `part`; otherwise a [`ReadErrorKind::NotRead`]
/// naming the call not made, and `read`, never polled, makes no request.
pub(super) async fn part<T>(
    scope: Scope,
    part: Part,
    read: impl std::future::Future<Output = Read<T>>,
) -> Read<T> {
    if scope.reads(part) {
        read.await
    } else {
        Err(not_read(part))
    }
}

/// The read error of a part the scope leaves out.
pub(super) fn not_read(part: Part) -> ReadError {
    ReadError {
        action: part.action().to_string(),
        kind: ReadErrorKind::NotRead,
        detail: "not needed by the checks asked for".to_string(),
    }
}

/// Runs `read` on every (key, input) concurrently and collects the results by key,
/// when `scope` reads `part`; otherwise reads nothing, and the map stays empty.
pub(super) async fn by_name<T, I, F, Fut>(scope: Scope, part: Part, items: I, read: F) -> Reads<T>
where
    I: IntoIterator<Item = (String, String)>,
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = Read<T>>,
{
    if !scope.reads(part) {
        return Reads::new();
    }
    let (keys, inputs): (Vec<String>, Vec<String>) = items.into_iter().unzip();
    let results = join_all(inputs.into_iter().map(read)).await;
    keys.into_iter().zip(results).collect()
}

/// Reads `first` on every (key, input) concurrently, then, for each value read,
/// goes straight on to what it points to (`next`, which gives nothing when it points
/// nowhere): the first read's results by key, and the second's by the keys `next`
/// names. Each part is read only when `scope` asks for it.
pub(super) async fn then<A, B, I, F, Fut, G, Gut>(
    scope: Scope,
    (first_part, next_part): (Part, Part),
    items: I,
    first: F,
    next: G,
) -> (Reads<A>, Reads<B>)
where
    A: Clone,
    I: IntoIterator<Item = (String, String)>,
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = Read<A>>,
    G: Fn(A) -> Gut,
    Gut: std::future::Future<Output = Option<Reads<B>>>,
{
    if !scope.reads(first_part) {
        return (Reads::new(), Reads::new());
    }
    let (keys, inputs): (Vec<String>, Vec<String>) = items.into_iter().unzip();
    let both = join_all(inputs.into_iter().map(|input| async {
        let found = first(input).await;
        let pointed = match &found {
            Ok(value) if scope.reads(next_part) => next(value.clone()).await,
            _ => None,
        };
        (found, pointed)
    }))
    .await;
    let mut firsts = Reads::new();
    let mut nexts = Reads::new();
    for (key, (found, pointed)) in keys.into_iter().zip(both) {
        firsts.insert(key, found);
        nexts.extend(pointed.into_iter().flatten());
    }
    (firsts, nexts)
}
