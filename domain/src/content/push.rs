//! 智能化推送: a published item marked for push becomes a message in the message centre of every
//! customer it targets, exactly once, when its time has come. The delivery walks the customers
//! (one bank's, or the province's) in id order in bounded batches: a worker claims the
//! delivery for a lease, and each batch's messages and the cursor's move forward are one
//! transaction that holds only if the cursor is still where the worker read it. Two workers
//! (on one node or several) never write a message twice: the second finds the cursor moved and
//! the message's (source, customer) already taken. The targeting is the feed's own
//! ([`super::feed::meant_for`]) with the edition the customer last used; campaigns go only to
//! those who allowed marketing, news and announcements to those who did not turn them off.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use super::feed::{age, meant_for, this_year, Profile};
use super::{Content, Item, Kind, Status};
use crate::consent::Purpose;
use crate::db::{get_i64, get_opt_i64};
use crate::db::{in_transaction, insert_rows_with, Val};
use crate::institution::PROVINCE_CODE;
use crate::notify;
use crate::{Db, Result};

/// How long a claim holds before another worker may take the delivery over.
pub const LEASE_MS: i64 = 30_000;

/// What a pushed message holds: enough to list it without reading the item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushedItem {
    pub item_id: String,
    pub kind: Kind,
    pub title: String,
}

/// The message-centre kind a pushed item arrives as.
pub fn message_kind(kind: Kind) -> notify::Kind {
    match kind {
        Kind::Campaign => notify::Kind::Campaign,
        Kind::News | Kind::Announcement => notify::Kind::News,
    }
}

fn purpose(kind: Kind) -> Purpose {
    match kind {
        Kind::Campaign => Purpose::Marketing,
        Kind::News | Kind::Announcement => Purpose::News,
    }
}

/// Remembers the edition a customer uses (a slug of [`super::EDITIONS`]), for pushes targeted
/// by edition; writes only when it changed.
pub async fn record_edition(db: &Db, customer_id: &str, edition: &str) -> Result<()> {
    if !super::EDITIONS.contains(&edition) {
        return Err(crate::Error::invalid(
            crate::Input::Choice,
            "edition".into(),
        ));
    }
    let known: Option<String> = sqlx::query("SELECT edition FROM customers WHERE id = $1")
        .bind(customer_id)
        .fetch_optional(db.pool())
        .await?
        .map(|r| r.try_get::<Option<String>, _>("edition"))
        .transpose()?
        .flatten();
    if known.as_deref() == Some(edition) {
        return Ok(());
    }
    let _turn = db.write_turn().await;
    sqlx::query("UPDATE customers SET edition = $1 WHERE id = $2")
        .bind(edition)
        .bind(customer_id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Removes the messages an item was pushed as (it was withdrawn); returns how many.
pub async fn remove_messages(db: &Db, now: i64, item_id: &str) -> Result<u64> {
    let _turn = db.write_turn().await;
    sqlx::query(
        "UPDATE push_deliveries SET finished_at = COALESCE(finished_at, $1) WHERE item_id = $2",
    )
    .bind(now)
    .bind(item_id)
    .execute(db.pool())
    .await?;
    Ok(sqlx::query("DELETE FROM notifications WHERE source = $1")
        .bind(item_id)
        .execute(db.pool())
        .await?
        .rows_affected())
}

/// One customer as a batch reads them.
struct Candidate {
    id: String,
    edition: Option<String>,
    consent: Option<bool>,
    profile: Profile,
}

/// A delivery as claimed.
struct Claimed {
    item_id: String,
    cursor: String,
}

/// What one pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Messages written.
    pub messages: u64,
    /// Customers considered (targeted or not): work remains while this is not zero.
    pub customers: u64,
}

/// Delivers pushes as one worker (`node` names it in claims).
pub struct Pusher<'a> {
    pub content: Content<'a>,
    pub node: &'a str,
}

impl Pusher<'_> {
    /// One pass: opens deliveries for items newly published for push, then claims one that is
    /// due and delivers up to `batches` batches of `batch` customers. Nothing done (nothing
    /// due, or another worker holds it) is zero progress.
    pub async fn pass(&self, batch: i64, batches: usize) -> Result<Progress> {
        self.open_deliveries().await?;
        let Some(mut claimed) = self.claim().await? else {
            return Ok(Progress::default());
        };
        let mut done = Progress::default();
        for _ in 0..batches {
            match self.deliver_batch(&claimed, batch).await? {
                Some((cursor, step)) => {
                    claimed.cursor = cursor;
                    done.messages += step.messages;
                    done.customers += step.customers;
                }
                None => break,
            }
        }
        Ok(done)
    }

    /// Deliveries that are not finished (what the tests and the benchmark wait on).
    pub async fn open_count(db: &Db) -> Result<i64> {
        let row =
            sqlx::query("SELECT COUNT(*) AS n FROM push_deliveries WHERE finished_at IS NULL")
                .fetch_one(db.pool())
                .await?;
        get_i64(&row, "n")
    }

    async fn open_deliveries(&self) -> Result<()> {
        let db = self.content.db;
        // Looked for first: most passes find nothing, and a read takes no write lock.
        let waiting = sqlx::query(
            "SELECT c.id FROM content_items c WHERE c.status = 'published' AND c.push = 1 \
             AND NOT EXISTS (SELECT 1 FROM push_deliveries d WHERE d.item_id = c.id) LIMIT 1",
        )
        .fetch_optional(db.pool())
        .await?;
        if waiting.is_none() {
            return Ok(());
        }
        let _turn = db.write_turn().await;
        sqlx::query(
            "INSERT INTO push_deliveries (item_id, institution, due_at, created_at) \
             SELECT c.id, c.institution, c.starts_at, $1 FROM content_items c \
             WHERE c.status = 'published' AND c.push = 1 \
             AND NOT EXISTS (SELECT 1 FROM push_deliveries d WHERE d.item_id = c.id) \
             ON CONFLICT (item_id) DO NOTHING",
        )
        .bind(self.content.clock.now())
        .execute(db.pool())
        .await?;
        Ok(())
    }

    /// Takes a due delivery nobody holds (or this worker held), for a lease.
    async fn claim(&self) -> Result<Option<Claimed>> {
        let db = self.content.db;
        let now = self.content.clock.now();
        let due = sqlx::query(
            "SELECT item_id, cursor, claimed_by, claimed_until FROM push_deliveries \
             WHERE finished_at IS NULL AND due_at <= $1 ORDER BY due_at, item_id LIMIT 20",
        )
        .bind(now)
        .fetch_all(db.pool())
        .await?;
        for r in &due {
            let item_id: String = r.try_get("item_id")?;
            let holder: String = r.try_get("claimed_by")?;
            let until = get_i64(r, "claimed_until")?;
            if holder != self.node && until > now {
                continue;
            }
            let _turn = db.write_turn().await;
            let taken = sqlx::query(
                "UPDATE push_deliveries SET claimed_by = $1, claimed_until = $2 \
                 WHERE item_id = $3 AND claimed_by = $4 AND claimed_until = $5 AND finished_at IS NULL",
            )
            .bind(self.node)
            .bind(now + LEASE_MS)
            .bind(&item_id)
            .bind(&holder)
            .bind(until)
            .execute(db.pool())
            .await?
            .rows_affected();
            if taken == 1 {
                return Ok(Some(Claimed {
                    item_id,
                    cursor: r.try_get("cursor")?,
                }));
            }
        }
        Ok(None)
    }

    /// One batch: the messages for the next `batch` customers after the cursor, and the cursor
    /// moved past them. `None` when the delivery is finished (or lost to another worker).
    async fn deliver_batch(
        &self,
        claimed: &Claimed,
        batch: i64,
    ) -> Result<Option<(String, Progress)>> {
        let db = self.content.db;
        let now = self.content.clock.now();
        // Taken down or over since it was claimed: the delivery ends here.
        let item = match self.content.get(&claimed.item_id).await? {
            Some(i) if i.status == Status::Published && i.draft.ends_at > now => i,
            _ => {
                self.finish(claimed).await?;
                return Ok(None);
            }
        };
        let candidates = self.candidates(&item, &claimed.cursor, batch).await?;
        let Some(last) = candidates.last().map(|c| c.id.clone()) else {
            self.finish(claimed).await?;
            return Ok(None);
        };
        let data = serde_json::to_string(&PushedItem {
            item_id: item.id.clone(),
            kind: item.draft.kind,
            title: item.draft.title.clone(),
        })
        .map_err(|e| crate::Error::Internal(format!("push: {e}")))?;
        let purpose = purpose(item.draft.kind);
        let rows: Vec<Vec<Val>> = candidates
            .iter()
            .filter(|c| c.consent.unwrap_or(purpose.default_granted()))
            .filter(|c| {
                let simple = c.edition.as_deref().is_some_and(|e| e.ends_with("-simple"));
                meant_for(&item, c.edition.as_deref(), simple, Some(&c.profile), now)
            })
            .map(|c| {
                vec![
                    Val::Text(crate::id::new_id()),
                    Val::Text(c.id.clone()),
                    Val::Text(message_kind(item.draft.kind).as_str().into()),
                    Val::Text(data.clone()),
                    Val::Int(now),
                    Val::Text(item.id.clone()),
                ]
            })
            .collect();
        let count = rows.len() as u64;
        let (item_id, from) = (claimed.item_id.clone(), claimed.cursor.clone());
        let node = self.node.to_string();
        let moved = in_transaction(db, |tx| {
            let (rows, item_id, from, last, node) =
                (rows.clone(), item_id.clone(), from.clone(), last.clone(), node.clone());
            Box::pin(async move {
                let moved = sqlx::query(
                    "UPDATE push_deliveries SET cursor = $1, delivered = delivered + $2, claimed_until = $3 \
                     WHERE item_id = $4 AND cursor = $5 AND claimed_by = $6 AND finished_at IS NULL",
                )
                .bind(&last)
                .bind(count as i64)
                .bind(now + LEASE_MS)
                .bind(&item_id)
                .bind(&from)
                .bind(&node)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if moved == 0 {
                    return Ok(false);
                }
                insert_rows_with(
                    tx,
                    "notifications (id, customer_id, kind, data, created_at, source)",
                    rows,
                    "ON CONFLICT (source, customer_id) DO NOTHING",
                )
                .await?;
                Ok(true)
            })
        })
        .await?;
        Ok(moved.then_some((
            last,
            Progress {
                messages: count,
                customers: candidates.len() as u64,
            },
        )))
    }

    async fn finish(&self, claimed: &Claimed) -> Result<()> {
        let db = self.content.db;
        let _turn = db.write_turn().await;
        sqlx::query(
            "UPDATE push_deliveries SET finished_at = $1 \
             WHERE item_id = $2 AND cursor = $3 AND claimed_by = $4 AND finished_at IS NULL",
        )
        .bind(self.content.clock.now())
        .bind(&claimed.item_id)
        .bind(&claimed.cursor)
        .bind(self.node)
        .execute(db.pool())
        .await?;
        Ok(())
    }

    /// The next customers after `cursor` the item could reach (its bank's, or all for the
    /// province's), with what targeting and consent are checked against.
    async fn candidates(&self, item: &Item, cursor: &str, batch: i64) -> Result<Vec<Candidate>> {
        let province = item.institution == PROVINCE_CODE;
        let sql = format!(
            "SELECT c.id, c.bank_code, c.birth_year, c.created_at, c.edition, i.city, i.county, \
               CASE WHEN EXISTS (SELECT 1 FROM time_deposits d WHERE d.customer_id = c.id AND d.status = 'open') \
                 THEN 1 ELSE 0 END AS has_deposit, \
               (SELECT k.granted FROM consents k WHERE k.customer_id = c.id AND k.purpose = $1) AS consent \
             FROM customers c JOIN institutions i ON i.code = c.bank_code \
             WHERE c.id > $2 {} ORDER BY c.id LIMIT $3",
            if province { "" } else { "AND c.bank_code = $4" }
        );
        let mut query = sqlx::query(&sql)
            .bind(purpose(item.draft.kind).as_str())
            .bind(cursor)
            .bind(batch);
        if !province {
            query = query.bind(&item.institution);
        }
        let rows = query.fetch_all(self.content.db.pool()).await?;
        let year = this_year(self.content.clock.now());
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let birth_year = get_opt_i64(r, "birth_year")?;
            out.push(Candidate {
                id: r.try_get("id")?,
                edition: r.try_get("edition")?,
                consent: get_opt_i64(r, "consent")?.map(|g| g != 0),
                profile: Profile {
                    bank: r.try_get("bank_code")?,
                    places: [r.try_get("city")?, r.try_get("county")?],
                    age: age(year, birth_year),
                    has_deposit: get_i64(r, "has_deposit")? != 0,
                    registered_at: get_i64(r, "created_at")?,
                },
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
#[path = "push_tests.rs"]
mod tests;
