//! What a customer (or a visitor) sees: published items whose time has come and not passed,
//! from the union or the customer's own bank, targeted at their edition, their bank's place
//! and segments they belong to. Never another bank's; never a campaign in a simple edition.

use sqlx::Row;

use super::{from_row, Content, Item, Kind, Segment, COLUMNS};
use crate::clock::{beijing_date, DAY};
use crate::institution::PROVINCE_CODE;
use crate::{Error, Result};

/// Live items considered per request, newest first.
const LIVE_LIMIT: i64 = 200;

/// Who is looking, and in which edition.
#[derive(Clone, Debug)]
pub struct Viewer {
    /// `None` for a visitor who is not signed in: province-wide items for everyone only.
    pub customer_id: Option<String>,
    /// The edition's slug.
    pub edition: String,
    pub simple: bool,
}

/// What targeting is checked against, read once per request (or per customer of a push).
pub(super) struct Profile {
    pub(super) bank: String,
    pub(super) places: [String; 2],
    pub(super) age: Option<i64>,
    pub(super) has_deposit: bool,
    pub(super) registered_at: i64,
}

/// Whether `item` is meant for a customer with `profile` (or a visitor: `None`) in `edition`
/// (`None`: not known, as for a push to a customer who has not come back since editions were
/// recorded; such a customer gets only items for every edition, and never a campaign, which
/// might land in a simple edition). The one definition the feed and pushes share.
pub(super) fn meant_for(
    item: &Item,
    edition: Option<&str>,
    simple: bool,
    profile: Option<&Profile>,
    now: i64,
) -> bool {
    let t = &item.draft.targeting;
    if (simple || edition.is_none()) && item.draft.kind == Kind::Campaign {
        return false;
    }
    if !t.editions.is_empty() && !edition.is_some_and(|e| t.editions.iter().any(|x| x == e)) {
        return false;
    }
    let Some(p) = profile else {
        return item.institution == PROVINCE_CODE && t.places.is_empty() && t.segments.is_empty();
    };
    if item.institution != PROVINCE_CODE && item.institution != p.bank {
        return false;
    }
    if !t.places.is_empty() && !p.places.iter().any(|place| t.places.contains(place)) {
        return false;
    }
    t.segments.iter().all(|s| match s {
        Segment::Age60 => p.age.is_some_and(|a| a >= 60),
        Segment::HasDeposit => p.has_deposit,
        Segment::New30 => now - p.registered_at <= 30 * DAY,
    })
}

/// A customer's age this year from the year of birth (none when it is not known).
pub(super) fn age(this_year: i64, birth_year: Option<i64>) -> Option<i64> {
    birth_year.map(|y| this_year - y)
}

/// This year in Beijing.
pub(super) fn this_year(now: i64) -> i64 {
    beijing_date(now)[..4].parse().unwrap_or(0)
}

impl Content<'_> {
    async fn profile(&self, customer_id: &str) -> Result<Option<Profile>> {
        let row = sqlx::query(
            "SELECT c.bank_code, c.birth_year, c.created_at, i.city, i.county, \
               (SELECT COUNT(*) FROM time_deposits d WHERE d.customer_id = c.id AND d.status = 'open') AS deposits \
             FROM customers c JOIN institutions i ON i.code = c.bank_code WHERE c.id = $1",
        )
        .bind(customer_id)
        .fetch_optional(self.db.pool())
        .await?;
        let Some(r) = row else { return Ok(None) };
        let birth_year = crate::db::get_opt_i64(&r, "birth_year")?;
        Ok(Some(Profile {
            bank: r.try_get("bank_code")?,
            places: [r.try_get("city")?, r.try_get("county")?],
            age: age(this_year(self.clock.now()), birth_year),
            has_deposit: crate::db::get_i64(&r, "deposits")? > 0,
            registered_at: crate::db::get_i64(&r, "created_at")?,
        }))
    }

    fn meant_for(&self, item: &Item, viewer: &Viewer, profile: Option<&Profile>) -> bool {
        meant_for(
            item,
            Some(&viewer.edition),
            viewer.simple,
            profile,
            self.clock.now(),
        )
    }

    /// The live items meant for the viewer, newest first; `kinds` narrows them.
    pub async fn feed(&self, viewer: &Viewer, kinds: &[Kind], limit: usize) -> Result<Vec<Item>> {
        let profile = match &viewer.customer_id {
            Some(id) => self.profile(id).await?,
            None => None,
        };
        let bank = profile.as_ref().map_or(PROVINCE_CODE, |p| p.bank.as_str());
        let now = self.clock.now();
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM content_items WHERE status = 'published' AND starts_at <= $1 AND ends_at > $1 \
             AND institution IN ($2, $3) ORDER BY starts_at DESC, id DESC LIMIT $4"
        ))
        .bind(now)
        .bind(PROVINCE_CODE)
        .bind(bank)
        .bind(LIVE_LIMIT)
        .fetch_all(self.db.pool())
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            let item = from_row(r)?;
            if kinds.contains(&item.draft.kind) && self.meant_for(&item, viewer, profile.as_ref()) {
                out.push(item);
                if out.len() == limit {
                    break;
                }
            }
        }
        Ok(out)
    }

    /// One live item meant for the viewer, else "not found" (whether it exists or not).
    pub async fn item_for(&self, viewer: &Viewer, id: &str) -> Result<Item> {
        let profile = match &viewer.customer_id {
            Some(id) => self.profile(id).await?,
            None => None,
        };
        let now = self.clock.now();
        self.get(id)
            .await?
            .filter(|i| {
                i.status == super::Status::Published
                    && i.draft.starts_at <= now
                    && now < i.draft.ends_at
                    && self.meant_for(i, viewer, profile.as_ref())
            })
            .ok_or_else(|| Error::NotFound("content".into()))
    }
}
