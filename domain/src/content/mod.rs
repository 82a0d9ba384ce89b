//! 资讯信息、营销信息: news (农商快讯), announcements and campaigns. The union publishes
//! province-wide content and each bank its own to its own customers; every item is targeted
//! (editions, places, customer segments), scheduled (start, end), and published only after
//! maker–checker review: an editor drafts and submits, a different approver of the same
//! institution publishes (`review.rs`). Customers see what is live and meant for them
//! (`feed.rs`); the simple editions never get campaigns (no banners for the elderly).

mod feed;
pub mod images;
pub mod markdown;
pub mod push;
mod review;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::clock::{Clock, Millis};
use crate::db::get_i64;
use crate::{Db, Error, Input, Result};

pub use feed::Viewer;

/// What an item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    /// 农商快讯.
    News,
    /// 公告: service hours, outages, rule changes.
    Announcement,
    /// 营销活动: shown as a banner in the standard editions only.
    Campaign,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::News, Kind::Announcement, Kind::Campaign];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::News => "news",
            Kind::Announcement => "announcement",
            Kind::Campaign => "campaign",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Where an item is in review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Draft,
    /// Waiting for an approver.
    Submitted,
    Published,
    /// Sent back by an approver with a note; the editor may change and submit it again.
    Rejected,
    /// Taken down after publication.
    Withdrawn,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Submitted => "submitted",
            Status::Published => "published",
            Status::Rejected => "rejected",
            Status::Withdrawn => "withdrawn",
        }
    }

    fn parse(s: &str) -> Status {
        match s {
            "submitted" => Status::Submitted,
            "published" => Status::Published,
            "rejected" => Status::Rejected,
            "withdrawn" => Status::Withdrawn,
            _ => Status::Draft,
        }
    }
}

/// A customer segment an item may be limited to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Segment {
    /// 60 years old or more this year.
    Age60,
    /// Holds an open time deposit.
    HasDeposit,
    /// Registered within the last 30 days.
    New30,
}

impl Segment {
    pub const ALL: [Segment; 3] = [Segment::Age60, Segment::HasDeposit, Segment::New30];

    pub fn as_str(self) -> &'static str {
        match self {
            Segment::Age60 => "age60",
            Segment::HasDeposit => "deposit",
            Segment::New30 => "new30",
        }
    }

    pub fn parse(s: &str) -> Option<Segment> {
        Segment::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The editions, by the slugs the app gives them.
pub const EDITIONS: [&str; 4] = ["city", "rural", "city-simple", "rural-simple"];

/// Who an item is for; an empty list means everyone.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Targeting {
    pub editions: Vec<String>,
    /// City or county names (the customer's bank's).
    pub places: Vec<String>,
    /// Every one must hold.
    pub segments: Vec<Segment>,
}

/// An item as staff write it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub kind: Kind,
    pub title: String,
    pub body: String,
    pub targeting: Targeting,
    pub starts_at: Millis,
    pub ends_at: Millis,
    /// Also sent to the message centre of every customer it targets (智能化推送), once it is
    /// published and its time has come; campaigns only to those who allowed marketing.
    pub push: bool,
}

/// An item as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub id: String,
    pub institution: String,
    pub draft: Draft,
    pub status: Status,
    pub drafted_by: String,
    pub reviewed_by: Option<String>,
    pub review_note: String,
    pub updated_at: Millis,
    pub published_at: Option<Millis>,
}

pub const MAX_TITLE_CHARS: usize = 60;
pub const MAX_BODY_CHARS: usize = 5_000;
/// Places an item may list.
pub const MAX_PLACES: usize = 20;

impl Draft {
    /// The draft with its text trimmed, or which part breaks a rule.
    pub fn checked(mut self) -> Result<Draft> {
        self.title = self.title.trim().to_string();
        self.body = self.body.trim().to_string();
        let title = self.title.chars().count();
        if title == 0 || title > MAX_TITLE_CHARS || self.title.chars().any(char::is_control) {
            return Err(Error::invalid(
                Input::ContentTitle,
                format!("{title} characters"),
            ));
        }
        let body = self.body.chars().count();
        if body == 0 || body > MAX_BODY_CHARS {
            return Err(Error::invalid(
                Input::ContentBody,
                format!("{body} characters"),
            ));
        }
        if self.ends_at <= self.starts_at {
            return Err(Error::invalid(
                Input::ContentSchedule,
                "ends before it starts".into(),
            ));
        }
        if self
            .targeting
            .editions
            .iter()
            .any(|e| !EDITIONS.contains(&e.as_str()))
        {
            return Err(Error::invalid(Input::Choice, "edition".into()));
        }
        let places = &mut self.targeting.places;
        places.iter_mut().for_each(|p| *p = p.trim().to_string());
        places.retain(|p| !p.is_empty());
        places.sort();
        places.dedup();
        if places.len() > MAX_PLACES
            || places
                .iter()
                .any(|p| p.chars().count() > 20 || p.contains(char::is_whitespace))
        {
            return Err(Error::invalid(
                Input::ContentPlaces,
                format!("{} places", places.len()),
            ));
        }
        self.targeting.editions.sort();
        self.targeting.editions.dedup();
        self.targeting.segments.sort_by_key(|s| s.as_str());
        self.targeting.segments.dedup();
        Ok(self)
    }
}

fn join<T: AsRef<str>>(list: &[T]) -> String {
    list.iter().map(AsRef::as_ref).collect::<Vec<_>>().join(" ")
}

fn split(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_string).collect()
}

const COLUMNS: &str =
    "id, institution, kind, title, body, editions, places, segments, starts_at, ends_at, \
     status, drafted_by, reviewed_by, review_note, updated_at, published_at, push";

fn from_row(r: &sqlx::any::AnyRow) -> Result<Item> {
    let kind: String = r.try_get("kind")?;
    let status: String = r.try_get("status")?;
    let segments: String = r.try_get("segments")?;
    let published_at = crate::db::get_opt_i64(r, "published_at")?;
    Ok(Item {
        id: r.try_get("id")?,
        institution: r.try_get("institution")?,
        draft: Draft {
            kind: Kind::parse(&kind).unwrap_or(Kind::News),
            title: r.try_get("title")?,
            body: r.try_get("body")?,
            targeting: Targeting {
                editions: split(&r.try_get::<String, _>("editions")?),
                places: split(&r.try_get::<String, _>("places")?),
                segments: segments
                    .split_whitespace()
                    .filter_map(Segment::parse)
                    .collect(),
            },
            starts_at: get_i64(r, "starts_at")?,
            ends_at: get_i64(r, "ends_at")?,
            push: get_i64(r, "push")? != 0,
        },
        status: Status::parse(&status),
        drafted_by: r.try_get("drafted_by")?,
        reviewed_by: r.try_get("reviewed_by")?,
        review_note: r.try_get("review_note")?,
        updated_at: get_i64(r, "updated_at")?,
        published_at,
    })
}

/// Content over one database.
pub struct Content<'a> {
    pub db: &'a Db,
    pub clock: &'a dyn Clock,
}

impl Content<'_> {
    async fn get(&self, id: &str) -> Result<Option<Item>> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM content_items WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(self.db.pool())
        .await?;
        row.as_ref().map(from_row).transpose()
    }
}
