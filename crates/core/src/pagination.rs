//! Pagination: one [`Paginator`] for page-number, offset/limit and next-link APIs, yielding a lazy
//! `Stream` that holds one page in memory at a time.

use std::collections::HashSet;
use std::pin::Pin;
use std::sync::Arc;

use futures_core::Stream;
use futures_util::future::BoxFuture;
use futures_util::{StreamExt, TryStreamExt, stream};

use crate::error::{Error, Result};

/// A boxed, `Send` stream of results: what every paginated call returns.
pub type PageStream<T> = Pin<Box<dyn Stream<Item = Result<T>> + Send + 'static>>;

/// How an API pages.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Strategy {
    /// `?page=N&limit=M`, starting at `first` (usually 1).
    PageNumber {
        /// The first page's number.
        first: u32,
        /// Items per page.
        per_page: u32,
    },
    /// `?offset=N&limit=M`.
    OffsetLimit {
        /// Items per page.
        limit: u32,
    },
    /// Each page names the next one (a URL or an opaque cursor).
    NextLink,
}

/// Which page to fetch next; what the fetch function receives.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PageRequest {
    /// Page `page` of `per_page` items.
    Number {
        /// Page number.
        page: u32,
        /// Items per page.
        per_page: u32,
    },
    /// Items from `offset`.
    Offset {
        /// Offset of the first item.
        offset: u64,
        /// Items per page.
        limit: u32,
    },
    /// The first page (`None`) or the page behind a link or cursor.
    Link(Option<String>),
}

/// One fetched page.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// The next page's link or cursor (next-link strategy).
    pub next: Option<String>,
    /// The total number of pages, when the API says.
    pub total_pages: Option<u32>,
    /// Whether the API says more pages follow.
    pub has_more: Option<bool>,
}

impl<T> Page<T> {
    /// A page with these items and no metadata.
    pub fn new(items: Vec<T>) -> Self {
        Self { items, next: None, total_pages: None, has_more: None }
    }
    /// Sets the next link or cursor.
    pub fn next(mut self, next: Option<String>) -> Self {
        self.next = next.filter(|n| !n.is_empty());
        self
    }
    /// Sets the total number of pages.
    pub fn total_pages(mut self, total: Option<u32>) -> Self {
        self.total_pages = total;
        self
    }
    /// Sets whether more pages follow.
    pub fn has_more(mut self, more: Option<bool>) -> Self {
        self.has_more = more;
        self
    }
}

type FetchFn<T> = Arc<dyn Fn(PageRequest) -> BoxFuture<'static, Result<Page<T>>> + Send + Sync>;

/// A lazy paginated listing.
///
/// # Examples
///
/// ```
/// use carewire_core::pagination::{Page, PageRequest, Paginator, Strategy};
/// use futures_util::TryStreamExt;
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// // A fake API with 5 items, 2 per page.
/// let pager = Paginator::new(Strategy::PageNumber { first: 1, per_page: 2 }, |req| async move {
///     let PageRequest::Number { page, per_page } = req else { unreachable!() };
///     let all: Vec<u32> = (1..=5).collect();
///     let start = ((page - 1) * per_page) as usize;
///     let items = all.iter().skip(start).take(per_page as usize).copied().collect();
///     Ok(Page::new(items))
/// });
/// let items: Vec<u32> = pager.items().try_collect().await?;
/// assert_eq!(items, vec![1, 2, 3, 4, 5]);
/// # Ok::<(), carewire_core::Error>(())
/// # }).unwrap();
/// ```
pub struct Paginator<T> {
    strategy: Strategy,
    fetch: FetchFn<T>,
}

impl<T> Clone for Paginator<T> {
    fn clone(&self) -> Self {
        Self { strategy: self.strategy.clone(), fetch: self.fetch.clone() }
    }
}

impl<T> std::fmt::Debug for Paginator<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paginator").field("strategy", &self.strategy).finish_non_exhaustive()
    }
}

struct State {
    next: Option<PageRequest>,
    seen_links: HashSet<String>,
}

impl<T: Send + 'static> Paginator<T> {
    /// A paginator that calls `fetch` for each page.
    pub fn new<F, Fut>(strategy: Strategy, fetch: F) -> Self
    where
        F: Fn(PageRequest) -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = Result<Page<T>>> + Send + 'static,
    {
        Self { strategy, fetch: Arc::new(move |req| Box::pin(fetch(req))) }
    }

    /// The strategy.
    pub fn strategy(&self) -> &Strategy {
        &self.strategy
    }

    fn first(&self) -> PageRequest {
        match self.strategy {
            Strategy::PageNumber { first, per_page } => PageRequest::Number { page: first, per_page },
            Strategy::OffsetLimit { limit } => PageRequest::Offset { offset: 0, limit },
            Strategy::NextLink => PageRequest::Link(None),
        }
    }

    /// The request after `current`, given what `page` said; `None` stops.
    fn after(current: &PageRequest, page: &Page<T>, seen: &mut HashSet<String>) -> Option<PageRequest> {
        if page.has_more == Some(false) {
            return None;
        }
        match *current {
            PageRequest::Number { page: n, per_page } => {
                let short = page.items.len() < per_page as usize;
                let last = page.total_pages.is_some_and(|t| n >= t);
                if page.items.is_empty() || last || (short && page.has_more != Some(true)) {
                    return None;
                }
                Some(PageRequest::Number { page: n.checked_add(1)?, per_page })
            }
            PageRequest::Offset { offset, limit } => {
                let short = page.items.len() < limit as usize;
                if page.items.is_empty() || (short && page.has_more != Some(true)) {
                    return None;
                }
                Some(PageRequest::Offset { offset: offset.checked_add(page.items.len() as u64)?, limit })
            }
            PageRequest::Link(_) => {
                let next = page.next.clone()?;
                // A repeated cursor would loop forever.
                seen.insert(next.clone()).then_some(PageRequest::Link(Some(next)))
            }
        }
    }

    /// The pages, fetched lazily one at a time.
    pub fn pages(self) -> PageStream<Vec<T>> {
        let state = State { next: Some(self.first()), seen_links: HashSet::new() };
        let fetch = self.fetch;
        Box::pin(stream::try_unfold(state, move |mut st| {
            let fetch = fetch.clone();
            async move {
                let Some(req) = st.next.take() else { return Ok(None) };
                let page = fetch(req.clone()).await?;
                st.next = Self::after(&req, &page, &mut st.seen_links);
                if page.items.is_empty() && st.next.is_none() {
                    return Ok(None);
                }
                Ok(Some((page.items, st)))
            }
        }))
    }

    /// The items of every page, fetched lazily.
    pub fn items(self) -> PageStream<T> {
        Box::pin(self.pages().map_ok(|items| stream::iter(items.into_iter().map(Ok))).try_flatten())
    }

    /// Same as [`Paginator::items`].
    pub fn stream(self) -> PageStream<T> {
        self.items()
    }

    /// Collects at most `max` items, fetching no page past the one that reaches it.
    pub async fn collect_max(self, max: usize) -> Result<Vec<T>> {
        let mut out = Vec::new();
        if max == 0 {
            return Ok(out);
        }
        let mut items = self.items();
        while let Some(item) = items.next().await {
            out.push(item?);
            if out.len() >= max {
                break;
            }
        }
        Ok(out)
    }
}

/// Fails when a listing would exceed `max` items; see [`Paginator::collect_max`] for truncation instead.
pub async fn collect_exact_max<T: Send + 'static>(pager: Paginator<T>, max: usize) -> Result<Vec<T>> {
    let items = pager.collect_max(max.saturating_add(1)).await?;
    if items.len() > max {
        return Err(Error::invalid_request("max", "the listing has more items than the maximum allowed"));
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    fn recorder() -> Arc<Mutex<Vec<PageRequest>>> {
        Arc::new(Mutex::new(Vec::new()))
    }

    fn numbered(total: u32, per: u32, log: Arc<Mutex<Vec<PageRequest>>>) -> Paginator<u32> {
        Paginator::new(Strategy::PageNumber { first: 1, per_page: per }, move |req| {
            log.lock().unwrap().push(req.clone());
            async move {
                let PageRequest::Number { page, per_page } = req else { panic!("wrong request") };
                let start = (page - 1) * per_page;
                Ok(Page::new((start + 1..=total.min(start + per_page)).collect()))
            }
        })
    }

    #[tokio::test]
    async fn page_number_stops_on_short_page() {
        let log = recorder();
        let items: Vec<u32> = numbered(5, 2, log.clone()).items().try_collect().await.unwrap();
        assert_eq!(items, vec![1, 2, 3, 4, 5]);
        assert_eq!(log.lock().unwrap().len(), 3);
    }

    #[tokio::test]
    async fn page_number_stops_on_empty_page() {
        let log = recorder();
        let pages: Vec<Vec<u32>> = numbered(4, 2, log.clone()).pages().try_collect().await.unwrap();
        assert_eq!(pages, vec![vec![1, 2], vec![3, 4]]);
        assert_eq!(log.lock().unwrap().len(), 3);
    }

    #[tokio::test]
    async fn is_lazy() {
        let log = recorder();
        let mut s = numbered(100, 10, log.clone()).items();
        assert!(log.lock().unwrap().is_empty());
        s.next().await.unwrap().unwrap();
        assert_eq!(log.lock().unwrap().len(), 1);
        for _ in 0..10 {
            s.next().await.unwrap().unwrap();
        }
        assert_eq!(log.lock().unwrap().len(), 2);
    }

    #[tokio::test]
    async fn collect_max_fetches_no_more_than_needed() {
        let log = recorder();
        let items = numbered(100, 10, log.clone()).collect_max(15).await.unwrap();
        assert_eq!(items.len(), 15);
        assert_eq!(log.lock().unwrap().len(), 2);
        let err = collect_exact_max(numbered(100, 10, recorder()), 50).await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest { .. }));
        assert_eq!(collect_exact_max(numbered(30, 10, recorder()), 50).await.unwrap().len(), 30);
    }

    #[tokio::test]
    async fn total_pages_stops_without_an_extra_request() {
        let log = recorder();
        let l = log.clone();
        let p = Paginator::new(Strategy::PageNumber { first: 1, per_page: 2 }, move |req| {
            l.lock().unwrap().push(req);
            async { Ok(Page::new(vec![1, 2]).total_pages(Some(2))) }
        });
        let items: Vec<i32> = p.items().try_collect().await.unwrap();
        assert_eq!(items.len(), 4);
        assert_eq!(log.lock().unwrap().len(), 2);
    }

    #[tokio::test]
    async fn offset_limit() {
        let log = recorder();
        let l = log.clone();
        let p = Paginator::new(Strategy::OffsetLimit { limit: 3 }, move |req| {
            l.lock().unwrap().push(req.clone());
            async move {
                let PageRequest::Offset { offset, limit } = req else { panic!() };
                Ok(Page::new((offset..(offset + u64::from(limit)).min(7)).collect()))
            }
        });
        let items: Vec<u64> = p.items().try_collect().await.unwrap();
        assert_eq!(items, (0..7).collect::<Vec<_>>());
        assert_eq!(
            *log.lock().unwrap(),
            vec![
                PageRequest::Offset { offset: 0, limit: 3 },
                PageRequest::Offset { offset: 3, limit: 3 },
                PageRequest::Offset { offset: 6, limit: 3 }
            ]
        );
    }

    #[tokio::test]
    async fn next_link_stops_on_missing_or_repeated_cursor() {
        let p = Paginator::new(Strategy::NextLink, |req| async move {
            Ok(match req {
                PageRequest::Link(None) => Page::new(vec!["a"]).next(Some("c1".into())),
                PageRequest::Link(Some(c)) if c == "c1" => Page::new(vec!["b"]).next(Some("c2".into())),
                _ => Page::new(vec!["c"]).next(Some("c1".into())), // points back: a loop
            })
        });
        let items: Vec<&str> = p.items().try_collect().await.unwrap();
        assert_eq!(items, vec!["a", "b", "c"]);
        let p = Paginator::new(Strategy::NextLink, |req| async move {
            Ok(match req {
                PageRequest::Link(None) => Page::new(vec![1]).next(Some(String::new())),
                _ => panic!("must stop on an empty cursor"),
            })
        });
        assert_eq!(p.items().try_collect::<Vec<_>>().await.unwrap(), vec![1]);
    }

    #[tokio::test]
    async fn errors_end_the_stream() {
        let p: Paginator<u8> = Paginator::new(Strategy::PageNumber { first: 1, per_page: 1 }, |req| async move {
            match req {
                PageRequest::Number { page: 1, .. } => Ok(Page::new(vec![1])),
                _ => Err(Error::config("boom")),
            }
        });
        let mut s = p.items();
        assert_eq!(s.next().await.unwrap().unwrap(), 1);
        assert!(s.next().await.unwrap().is_err());
    }

    #[test]
    fn streams_are_send() {
        fn is_send<S: Send>(_: &S) {}
        let p: Paginator<u8> = Paginator::new(Strategy::NextLink, |_| async { Ok(Page::new(vec![])) });
        is_send(&p.items());
    }
}
