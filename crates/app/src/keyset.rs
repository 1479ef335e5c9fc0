//! Pages of the long lists (referrals, follow-ups due) by keyset: a page starts after the last
//! row of the one before (its id, the cursor), never at an offset, so a page costs what it
//! shows however deep it is, and rows added or removed meanwhile neither repeat nor vanish.

use crate::{AppError, Result, Text};
use uuid::Uuid;

/// Rows a page shows unless asked otherwise.
pub const DEFAULT_LIMIT: i64 = 50;
/// Most rows a page shows: every row shown is a look at a participant, audited one by one.
pub const MAX_LIMIT: i64 = 200;

/// Which page: at most `limit` rows, after the row `after` (from the start without one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: i64,
    pub after: Option<Uuid>,
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest {
            limit: DEFAULT_LIMIT,
            after: None,
        }
    }
}

impl PageRequest {
    /// From the request's `limit` and `after` parameters, each refused at its name.
    pub fn parse(limit: Option<i64>, after: Option<&str>) -> Result<Self> {
        let limit = limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(AppError::field(
                "limit",
                Text::new(
                    format!("Antalet rader per sida ska vara 1–{MAX_LIMIT}."),
                    format!("The rows per page must be 1–{MAX_LIMIT}."),
                ),
            ));
        }
        // An empty `after` is refused like any other value that is not a uuid: the API
        // document says uuid, and the pages' own links never send one empty.
        let after = after
            .map(|text| Uuid::parse_str(text).map_err(|_| unknown_cursor()))
            .transpose()?;
        Ok(PageRequest { limit, after })
    }

    /// Rows to fetch: one more than the page shows, to know whether another page follows.
    pub(crate) fn fetch(&self) -> i64 {
        self.limit + 1
    }

    /// Cuts the fetched rows to the page; the cursor of the next page if more follow.
    pub(crate) fn cut<T>(&self, rows: &mut Vec<T>, id: impl Fn(&T) -> Uuid) -> Option<Uuid> {
        let limit = usize::try_from(self.limit).unwrap_or(usize::MAX);
        if rows.len() > limit {
            rows.truncate(limit);
            rows.last().map(id)
        } else {
            None
        }
    }
}

/// A page of a list and the cursor of the next (none on the last page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyset<T> {
    pub items: Vec<T>,
    pub next: Option<Uuid>,
}

/// An `after` that names no row of the list (garbled, or from another list).
pub(crate) fn unknown_cursor() -> AppError {
    AppError::field(
        "after",
        Text::new(
            "Sidan kan inte visas: länken till den är felaktig. Börja om från första sidan.",
            "The page cannot be shown: its link is wrong. Start again from the first page.",
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_and_cursors_are_checked() {
        assert_eq!(
            PageRequest::parse(None, None).unwrap(),
            PageRequest::default()
        );
        assert_eq!(PageRequest::parse(Some(200), None).unwrap().limit, 200);
        for bad in ["", " ", "not-a-cursor"] {
            assert!(matches!(
                PageRequest::parse(None, Some(bad)),
                Err(AppError::Invalid(e)) if e[0].field == "after"
            ));
        }
        for bad in [0, -1, 201] {
            assert!(matches!(
                PageRequest::parse(Some(bad), None),
                Err(AppError::Invalid(e)) if e[0].field == "limit"
            ));
        }
        assert!(matches!(
            PageRequest::parse(None, Some("not-a-cursor")),
            Err(AppError::Invalid(e)) if e[0].field == "after"
        ));
        let id = Uuid::now_v7();
        let page = PageRequest::parse(Some(2), Some(&id.to_string())).unwrap();
        assert_eq!(page.after, Some(id));
        let mut rows = vec![1, 2, 3];
        assert_eq!(page.cut(&mut rows, |_| id), Some(id));
        assert_eq!(rows, [1, 2]);
        assert_eq!(page.cut(&mut rows, |_| id), None);
    }
}
