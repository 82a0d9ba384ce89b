//! 持续跟踪客户反馈: a customer sends a suggestion or a complaint from any page (a category,
//! their words, and where they were: the page and the edition), follows its status, and gets
//! the answer in the message centre; the service agents of the customer's bank work the queue
//! against a service level (`desk.rs`), and the union's see how every bank keeps up
//! (`stats.rs`).
//!
//! The customer's words and the answer are sealed for the customer: free text may hold a name,
//! a card or an ID number. Only the customer and their bank's agents read them.

mod desk;
mod stats;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::audit::{self, Action, Entry};
use crate::clock::{Clock, Millis, HOUR};
use crate::db::{get_i64, get_opt_i64};
use crate::error::Refusal;
use crate::pii::{Field, KeyRing};
use crate::{Db, Error, Input, Result};

pub use desk::Queue;
pub use stats::BankStats;

/// What the customer sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    /// 意见建议.
    Suggestion,
    /// 投诉: answered sooner.
    Complaint,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::Suggestion, Kind::Complaint];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Suggestion => "suggestion",
            Kind::Complaint => "complaint",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// How long the bank has for its first answer: a complaint one day, a suggestion three.
    pub fn service_level(self) -> Millis {
        match self {
            Kind::Complaint => 24 * HOUR,
            Kind::Suggestion => 72 * HOUR,
        }
    }
}

/// What it is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Category {
    /// 转账汇款.
    Transfer,
    /// 存款.
    Deposit,
    /// 生活缴费.
    Bills,
    /// 账户与安全 (sign-in, passwords, devices).
    Account,
    /// 页面与操作: hard to read, hard to find, hard to use.
    Usability,
    /// 网点与服务: a branch, a service station, staff.
    Service,
    /// 其他.
    Other,
}

impl Category {
    pub const ALL: [Category; 7] = [
        Category::Transfer,
        Category::Deposit,
        Category::Bills,
        Category::Account,
        Category::Usability,
        Category::Service,
        Category::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Transfer => "transfer",
            Category::Deposit => "deposit",
            Category::Bills => "bills",
            Category::Account => "account",
            Category::Usability => "usability",
            Category::Service => "service",
            Category::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// Where a piece of feedback is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    /// Waiting for an agent.
    Open,
    /// An agent is on it.
    Taken,
    /// Answered; the customer may rate the answer.
    Replied,
    /// The customer rated the answer.
    Closed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Taken => "taken",
            Status::Replied => "replied",
            Status::Closed => "closed",
        }
    }

    fn parse(s: &str) -> Result<Status> {
        [Status::Open, Status::Taken, Status::Replied, Status::Closed]
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| Error::Internal(format!("feedback status {s}")))
    }

    /// Still waiting for its answer.
    pub fn unanswered(self) -> bool {
        matches!(self, Status::Open | Status::Taken)
    }
}

/// What the customer thought of the answer (满意度).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rating {
    Satisfied,
    Unsatisfied,
}

impl Rating {
    pub fn as_str(self) -> &'static str {
        match self {
            Rating::Satisfied => "satisfied",
            Rating::Unsatisfied => "unsatisfied",
        }
    }

    pub fn parse(s: &str) -> Option<Rating> {
        [Rating::Satisfied, Rating::Unsatisfied]
            .into_iter()
            .find(|r| r.as_str() == s)
    }
}

/// What a customer sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewFeedback {
    pub kind: Kind,
    pub category: Category,
    pub text: String,
    /// The portal path it was sent from (no query), or empty.
    pub page: String,
    /// The edition's slug, or empty.
    pub edition: String,
}

/// Characters a customer's text has at least and at most.
pub const TEXT_CHARS: (usize, usize) = (5, 500);
/// Characters an answer has at least and at most.
pub const REPLY_CHARS: (usize, usize) = (2, 1000);
/// Feedback one customer may have waiting for an answer at once.
pub const MAX_UNANSWERED: i64 = 5;

/// One piece of feedback, opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ticket {
    pub id: String,
    pub customer_id: String,
    pub bank_code: String,
    pub kind: Kind,
    pub category: Category,
    pub text: String,
    pub page: String,
    pub edition: String,
    pub status: Status,
    pub due_at: Millis,
    /// The agent on it (a staff id), once taken.
    pub taken_by: Option<String>,
    pub reply: Option<String>,
    pub replied_at: Option<Millis>,
    pub rating: Option<Rating>,
    pub created_at: Millis,
}

impl Ticket {
    /// Past its service level without an answer, or answered after it.
    pub fn overdue(&self, now: Millis) -> bool {
        self.replied_at.unwrap_or(now) > self.due_at
    }
}

/// What the message centre keeps of an answer: which feedback it answers (the words stay
/// sealed in the feedback).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyNotice {
    pub feedback_id: String,
    pub category: Category,
}

const COLUMNS: &str = "id, customer_id, bank_code, kind, category, text_sealed, page, edition, \
     status, due_at, taken_by, reply_sealed, replied_at, rating, created_at";

/// Feedback over one database.
pub struct Feedback<'a> {
    pub db: &'a Db,
    pub clock: &'a dyn Clock,
    pub keys: &'a KeyRing,
}

/// The length rule, by characters (not bytes: 500 Chinese characters are 1,500 bytes).
fn checked_text(text: &str, (min, max): (usize, usize)) -> Result<String> {
    let text = text.trim();
    let n = text.chars().count();
    if n < min
        || n > max
        || text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r')
    {
        return Err(Error::invalid(
            Input::FeedbackText,
            format!("{min} to {max} characters, no control characters"),
        ));
    }
    Ok(text.replace("\r\n", "\n"))
}

/// A page of ours: a path, no query or fragment, no scheme or host, short.
fn checked_page(page: &str) -> Result<String> {
    let ok = page.is_empty()
        || (page.starts_with('/')
            && !page.starts_with("//")
            && page.len() <= 120
            && page
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "/-_".contains(c)));
    if !ok {
        return Err(Error::invalid(Input::FeedbackText, "page path".into()));
    }
    Ok(page.to_string())
}

impl Feedback<'_> {
    /// Records a customer's feedback for their bank's agents; returns its id.
    pub async fn submit(&self, customer_id: &str, new: NewFeedback) -> Result<String> {
        let text = checked_text(&new.text, TEXT_CHARS)?;
        let page = checked_page(&new.page)?;
        // An edition we know, or none (a forged form gets none rather than a refusal).
        let edition = if new.edition.len() <= 20
            && new
                .edition
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-')
        {
            new.edition
        } else {
            String::new()
        };
        let customer = sqlx::query("SELECT bank_code FROM customers WHERE id = $1")
            .bind(customer_id)
            .fetch_optional(self.db.pool())
            .await?
            .ok_or_else(|| Error::NotFound("customer".into()))?;
        let bank_code: String = customer.try_get("bank_code")?;
        let waiting = sqlx::query(
            "SELECT COUNT(*) AS n FROM feedback WHERE customer_id = $1 \
             AND status IN ('open', 'taken')",
        )
        .bind(customer_id)
        .fetch_one(self.db.pool())
        .await?;
        if get_i64(&waiting, "n")? >= MAX_UNANSWERED {
            return Err(Refusal::FeedbackTooMany {
                max: MAX_UNANSWERED,
            }
            .into());
        }
        let id = crate::id::new_id();
        let now = self.clock.now();
        {
            let _turn = self.db.write_turn().await;
            sqlx::query(
                "INSERT INTO feedback (id, customer_id, bank_code, kind, category, text_sealed, \
                 page, edition, status, due_at, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $10, $10)",
            )
            .bind(&id)
            .bind(customer_id)
            .bind(&bank_code)
            .bind(new.kind.as_str())
            .bind(new.category.as_str())
            .bind(self.keys.seal(customer_id, Field::FreeText, &text)?)
            .bind(&page)
            .bind(&edition)
            .bind(now + new.kind.service_level())
            .bind(now)
            .execute(self.db.pool())
            .await?;
        }
        self.audit(
            customer_id,
            Action::FeedbackSent,
            &id,
            serde_json::json!({ "bank": bank_code, "kind": new.kind.as_str() }),
        )
        .await?;
        Ok(id)
    }

    /// The customer's own feedback, newest first.
    pub async fn mine(&self, customer_id: &str) -> Result<Vec<Ticket>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM feedback WHERE customer_id = $1 \
             ORDER BY created_at DESC, id DESC LIMIT 50"
        ))
        .bind(customer_id)
        .fetch_all(self.db.pool())
        .await?;
        rows.iter().map(|r| self.open_row(r)).collect()
    }

    /// One of the customer's own; another's is "not found".
    pub async fn one(&self, customer_id: &str, id: &str) -> Result<Ticket> {
        self.get(id)
            .await?
            .filter(|t| t.customer_id == customer_id)
            .ok_or_else(|| Error::NotFound("feedback".into()))
    }

    /// The customer rates the answer; the feedback is closed.
    pub async fn rate(&self, customer_id: &str, id: &str, rating: Rating) -> Result<()> {
        let ticket = self.one(customer_id, id).await?;
        let rated = self
            .step(
                "UPDATE feedback SET status = 'closed', rating = $1, updated_at = $2 \
                 WHERE id = $3 AND status = 'replied'",
                rating.as_str(),
                &ticket.id,
            )
            .await?;
        if !rated {
            return Err(Refusal::FeedbackNotRateable.into());
        }
        self.audit(
            customer_id,
            Action::FeedbackRated,
            id,
            serde_json::json!({ "rating": rating.as_str() }),
        )
        .await
    }

    /// One step of an item: `update` sets `$1` (`value`) and `$2` (now) on item `$3` (`id`) if
    /// it is still in the state the step needs; whether it was.
    async fn step(&self, update: &str, value: &str, id: &str) -> Result<bool> {
        let _turn = self.db.write_turn().await;
        let changed = sqlx::query(update)
            .bind(value)
            .bind(self.clock.now())
            .bind(id)
            .execute(self.db.pool())
            .await?
            .rows_affected();
        Ok(changed > 0)
    }

    async fn get(&self, id: &str) -> Result<Option<Ticket>> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM feedback WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.db.pool())
            .await?;
        row.as_ref().map(|r| self.open_row(r)).transpose()
    }

    fn open_row(&self, r: &sqlx::any::AnyRow) -> Result<Ticket> {
        let customer_id: String = r.try_get("customer_id")?;
        let text: String = r.try_get("text_sealed")?;
        let reply: String = r.try_get("reply_sealed")?;
        let kind: String = r.try_get("kind")?;
        let category: String = r.try_get("category")?;
        let status: String = r.try_get("status")?;
        let rating: Option<String> = r.try_get("rating")?;
        let stored = |what: &str| Error::Internal(format!("feedback {what}"));
        Ok(Ticket {
            id: r.try_get("id")?,
            text: self.keys.open(&customer_id, Field::FreeText, &text)?,
            reply: if reply.is_empty() {
                None
            } else {
                Some(self.keys.open(&customer_id, Field::FreeText, &reply)?)
            },
            customer_id,
            bank_code: r.try_get("bank_code")?,
            kind: Kind::parse(&kind).ok_or_else(|| stored("kind"))?,
            category: Category::parse(&category).ok_or_else(|| stored("category"))?,
            page: r.try_get("page")?,
            edition: r.try_get("edition")?,
            status: Status::parse(&status)?,
            due_at: get_i64(r, "due_at")?,
            taken_by: r.try_get("taken_by")?,
            replied_at: get_opt_i64(r, "replied_at")?,
            rating: rating.as_deref().and_then(Rating::parse),
            created_at: get_i64(r, "created_at")?,
        })
    }

    async fn audit(
        &self,
        actor: &str,
        action: Action,
        id: &str,
        detail: serde_json::Value,
    ) -> Result<()> {
        audit::append(
            self.db,
            self.clock,
            Entry {
                actor,
                action,
                subject: id,
                detail,
            },
        )
        .await
        .map(|_| ())
    }
}
