//! Pages of a TAXII listing and the walk over them: a `Page` holds one response's items with
//! `more`, `next` and the `X-TAXII-Date-Added-First / -Last` headers; `Pages` repeats the
//! request with the page's `next` (or, from servers that give none, `added_after` set to the
//! last page's `X-TAXII-Date-Added-Last`) until `more` is false, and stops with an error
//! rather than loop when a server repeats itself. (medallion gives one `next` value for all
//! the pages of a listing, so a repeated `next` alone is no sign of a loop.)

use crate::error::TaxiiError;
use crate::query::ObjectQuery;

/// One response of a listing.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The request that gave it.
    pub url: String,
    pub items: Vec<T>,
    pub more: bool,
    pub next: Option<String>,
    /// `X-TAXII-Date-Added-First`: when the server added the page's first object.
    pub date_added_first: Option<String>,
    /// `X-TAXII-Date-Added-Last`: when the server added the page's last object.
    pub date_added_last: Option<String>,
    /// Bytes of the response body.
    pub size: u64,
}

type Fetch<'a, T> = Box<dyn Fn(&ObjectQuery) -> Result<Page<T>, TaxiiError> + 'a>;

/// Every page of a listing, in the server's order; an error ends the walk.
pub struct Pages<'a, T> {
    fetch: Fetch<'a, T>,
    query: ObjectQuery,
    /// The previous page's items, to tell a server that sends the same page again.
    previous: Option<Vec<T>>,
    pending_error: Option<TaxiiError>,
    done: bool,
}

impl<'a, T: PartialEq + Clone> Pages<'a, T> {
    pub(crate) fn new(
        query: &ObjectQuery,
        fetch: impl Fn(&ObjectQuery) -> Result<Page<T>, TaxiiError> + 'a,
    ) -> Pages<'a, T> {
        Pages {
            fetch: Box::new(fetch),
            query: query.clone(),
            previous: None,
            pending_error: None,
            done: false,
        }
    }

    /// Sets up the request after `page`, or the error that stops the walk.
    fn advance(&mut self, page: &Page<T>) -> Result<(), TaxiiError> {
        let fail = |reason: &str| TaxiiError::Pagination {
            url: page.url.clone(),
            reason: reason.to_owned(),
        };
        if !page.more {
            self.done = true;
            return Ok(());
        }
        if page.items.is_empty() {
            return Err(fail("the server says there is more but sent an empty page"));
        }
        if self.previous.as_ref() == Some(&page.items) {
            return Err(fail("the server sent the same page twice"));
        }
        self.previous = Some(page.items.clone());
        if let Some(next) = &page.next {
            self.query.next = Some(next.clone());
            return Ok(());
        }
        match &page.date_added_last {
            Some(last) if self.query.added_after.as_ref() != Some(last) => {
                self.query.added_after = Some(last.clone());
                self.query.next = None;
                Ok(())
            }
            _ => Err(fail(
                "the server says there is more but gives neither `next` nor a new X-TAXII-Date-Added-Last",
            )),
        }
    }
}

impl<T: PartialEq + Clone> Iterator for Pages<'_, T> {
    type Item = Result<Page<T>, TaxiiError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(e) = self.pending_error.take() {
            self.done = true;
            return Some(Err(e));
        }
        if self.done {
            return None;
        }
        match (self.fetch)(&self.query) {
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
            Ok(page) => {
                if let Err(e) = self.advance(&page) {
                    self.pending_error = Some(e);
                }
                Some(Ok(page))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(items: Vec<u32>, more: bool, next: Option<&str>, last: Option<&str>) -> Page<u32> {
        Page {
            url: "http://h/objects/".into(),
            items,
            more,
            next: next.map(str::to_owned),
            date_added_first: None,
            date_added_last: last.map(str::to_owned),
            size: 0,
        }
    }

    /// Serves canned pages by `next` value and `added_after`.
    fn walk(serve: impl Fn(&ObjectQuery) -> Page<u32>) -> (Vec<u32>, Option<String>) {
        let mut got = Vec::new();
        let pages = Pages::new(&ObjectQuery::default(), |q| Ok(serve(q)));
        for p in pages {
            match p {
                Ok(p) => got.extend(p.items),
                Err(e) => return (got, Some(e.to_string())),
            }
        }
        (got, None)
    }

    #[test]
    fn follows_next_until_no_more() {
        let (got, err) = walk(|q| match q.next.as_deref() {
            None => page(vec![1, 2], true, Some("a"), None),
            Some("a") => page(vec![3, 4], true, Some("b"), None),
            _ => page(vec![5], false, None, None),
        });
        assert_eq!((got, err), (vec![1, 2, 3, 4, 5], None));
    }

    #[test]
    fn one_next_for_every_page_as_medallion_does() {
        let (got, err) = walk(|q| match (q.next.as_deref(), q.limit) {
            (None, _) => page(vec![1, 2], true, Some("session"), None),
            _ => page(vec![3], false, None, None),
        });
        assert_eq!((got, err), (vec![1, 2, 3], None));
    }

    #[test]
    fn without_next_uses_the_last_date_added() {
        let (got, err) = walk(|q| match q.added_after.as_deref() {
            None => page(vec![1], true, None, Some("t1")),
            Some("t1") => page(vec![2], false, None, Some("t2")),
            _ => page(vec![9], false, None, None),
        });
        assert_eq!((got, err), (vec![1, 2], None));
    }

    #[test]
    fn a_repeating_server_is_an_error_not_a_loop() {
        let (got, err) = walk(|_| page(vec![1], true, Some("same"), None));
        assert_eq!(got, vec![1, 1]);
        assert!(err.is_some_and(|e| e.contains("same page twice")));
        let (_, err) = walk(|_| page(vec![], true, Some("x"), None));
        assert!(err.is_some_and(|e| e.contains("empty page")));
        let (_, err) = walk(|q| {
            page(
                vec![u32::from(q.added_after.is_some())],
                true,
                None,
                Some("t"),
            )
        });
        assert!(err.is_some_and(|e| e.contains("neither `next`")));
    }
}
