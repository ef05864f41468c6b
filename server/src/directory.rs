//! The provider directory held in memory for search: every profile pre-serialised, ordered best rated
//! first, with its filter fields and search words. SQLite stays the source of truth; writers that change
//! a provider bump the version and the next search rebuilds the snapshot from the database.
//!
//! Why: search is the hottest public route and the directory is small (10,000 providers is a few MB) and
//! read-mostly. Walking a sorted in-memory list and stopping at the page size answers in microseconds,
//! where the same walk through SQLite (index probes, full-text lists, 20 profile reads) costs ~0.3-0.7 ms.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use psyter_domain::{Gender, UserId};

use crate::Db;
use crate::error::{ApiError, ApiResult};

/// One provider as search sees it.
struct Entry {
    id: UserId,
    rating_milli: i64,
    price_cents: u32,
    gender: Gender,
    specialties: Vec<String>,
    languages: Vec<String>,
    /// Lower-case words of name, title, bio and specialties, sorted and unique.
    words: Vec<String>,
    /// The profile as JSON, ready to splice into a page.
    json: Box<str>,
}

struct Snapshot {
    version: u64,
    /// Ordered by rating descending, then id ascending (the paging order).
    entries: Vec<Entry>,
}

/// Filters of one search, already validated.
#[derive(Debug, Default)]
pub struct Filters {
    /// Lower-case query words; each must prefix some word of the provider.
    pub words: Vec<String>,
    /// Required specialty.
    pub specialty: Option<String>,
    /// Required language.
    pub language: Option<String>,
    /// Required gender.
    pub gender: Option<Gender>,
    /// Highest price.
    pub max_price_cents: Option<u32>,
    /// Lowest rating in thousandths.
    pub min_rating_milli: Option<i64>,
}

/// A provider that passed the filters, with its paging key.
pub struct Hit<'a> {
    /// Provider id.
    pub id: UserId,
    /// Rating in thousandths (first part of the cursor).
    pub rating_milli: i64,
    /// Pre-serialised profile JSON.
    pub json: &'a str,
}

/// The shared directory.
pub struct Directory {
    version: AtomicU64,
    snapshot: RwLock<Arc<Snapshot>>,
    rebuild: tokio::sync::Mutex<()>,
}

impl Default for Directory {
    fn default() -> Self {
        Self {
            version: AtomicU64::new(1),
            snapshot: RwLock::new(Arc::new(Snapshot { version: 0, entries: Vec::new() })),
            rebuild: tokio::sync::Mutex::new(()),
        }
    }
}

/// Splits text into lower-case alphanumeric words.
pub fn words_of(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase)
}

impl Directory {
    /// Marks the snapshot stale; call after committing any change to a provider's profile.
    pub fn invalidate(&self) {
        self.version.fetch_add(1, Ordering::Release);
    }

    /// A snapshot no older than the last `invalidate`, rebuilding it from `db` when needed.
    async fn current(&self, db: &Db) -> ApiResult<Arc<Snapshot>> {
        let wanted = self.version.load(Ordering::Acquire);
        let snap = self.snapshot.read().unwrap_or_else(|p| p.into_inner()).clone();
        if snap.version >= wanted {
            return Ok(snap);
        }
        let _guard = self.rebuild.lock().await;
        let snap = self.snapshot.read().unwrap_or_else(|p| p.into_inner()).clone();
        let wanted = self.version.load(Ordering::Acquire);
        if snap.version >= wanted {
            return Ok(snap);
        }
        let entries = db.read(load_all).await?;
        let fresh = Arc::new(Snapshot { version: wanted, entries });
        *self.snapshot.write().unwrap_or_else(|p| p.into_inner()) = fresh.clone();
        Ok(fresh)
    }

    /// Calls `visit` for each provider after `cursor` that passes `filters`, in paging order, until it
    /// returns false.
    pub async fn scan(
        &self,
        db: &Db,
        filters: &Filters,
        cursor: Option<(i64, UserId)>,
        mut visit: impl FnMut(Hit<'_>) -> ApiResult<bool>,
    ) -> ApiResult<()> {
        let snap = self.current(db).await?;
        let start = match &cursor {
            None => 0,
            Some((r, id)) => snap.entries.partition_point(|e| (-e.rating_milli, e.id) <= (-*r, *id)),
        };
        for e in &snap.entries[start..] {
            if matches(e, filters) && !visit(Hit { id: e.id, rating_milli: e.rating_milli, json: &e.json })? {
                break;
            }
        }
        Ok(())
    }
}

fn matches(e: &Entry, f: &Filters) -> bool {
    f.max_price_cents.is_none_or(|p| e.price_cents <= p)
        && f.min_rating_milli.is_none_or(|r| e.rating_milli >= r)
        && f.gender.is_none_or(|g| e.gender == g)
        && f.specialty.as_ref().is_none_or(|s| e.specialties.contains(s))
        && f.language.as_ref().is_none_or(|l| e.languages.contains(l))
        && f.words.iter().all(|w| {
            // `words` is sorted: the first word >= w is the only candidate that can start with w.
            let i = e.words.partition_point(|x| x.as_str() < w.as_str());
            e.words.get(i).is_some_and(|x| x.starts_with(w.as_str()))
        })
}

fn load_all(tx: &rusqlite::Transaction<'_>) -> ApiResult<Vec<Entry>> {
    let mut out = Vec::new();
    for (p, rating_milli) in crate::providers::all_profiles(tx)? {
        let mut words: Vec<String> = words_of(&p.display_name)
            .chain(words_of(&p.title))
            .chain(words_of(&p.bio))
            .chain(p.specialties.iter().flat_map(|s| words_of(s)))
            .collect();
        words.sort_unstable();
        words.dedup();
        let json = serde_json::to_string(&p).map_err(|e| ApiError::Internal(e.into()))?.into_boxed_str();
        out.push(Entry {
            id: p.id,
            rating_milli,
            price_cents: p.price_cents,
            gender: p.gender,
            specialties: p.specialties,
            languages: p.languages,
            words,
            json,
        });
    }
    // UUIDs order by bytes exactly as their hyphenated text orders, so this matches SQL's `ORDER BY id`.
    out.sort_by(|a, b| b.rating_milli.cmp(&a.rating_milli).then_with(|| a.id.cmp(&b.id)));
    Ok(out)
}
