//! Walking `from`/`limit` pages (contract, "General shapes": Paging).

use std::future::Future;

use crate::error::Result;
use crate::model::Page;

/// Fetches pages of `page_size` from offset 0 until a page comes back
/// short (or empty), or `max_items` are collected.
pub async fn collect_pages<T, F, Fut>(
    page_size: u32,
    max_items: usize,
    mut fetch: F,
) -> Result<Vec<T>>
where
    F: FnMut(Page) -> Fut,
    Fut: Future<Output = Result<Vec<T>>>,
{
    let mut page = Page::first(page_size.max(1));
    let mut all = Vec::new();
    loop {
        let items = fetch(page).await?;
        let short = items.len() < page.limit as usize;
        all.extend(items);
        if short || all.len() >= max_items {
            all.truncate(max_items);
            return Ok(all);
        }
        page = page.next();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn stops_on_a_short_page_and_at_the_cap() {
        let data: Vec<u32> = (0..7).collect();
        let mut seen = Vec::new();
        let all = collect_pages(3, 100, |page| {
            seen.push(page);
            let slice = data
                .iter()
                .skip(page.from as usize)
                .take(page.limit as usize)
                .copied()
                .collect();
            async move { Ok(slice) }
        })
        .await
        .unwrap();
        assert_eq!(all, data);
        assert_eq!(
            seen,
            vec![
                Page { from: 0, limit: 3 },
                Page { from: 3, limit: 3 },
                Page { from: 6, limit: 3 }
            ]
        );

        let capped = collect_pages(3, 4, |page| {
            let slice = data
                .iter()
                .skip(page.from as usize)
                .take(page.limit as usize)
                .copied()
                .collect();
            async move { Ok(slice) }
        })
        .await
        .unwrap();
        assert_eq!(capped, vec![0, 1, 2, 3]);
    }
}
