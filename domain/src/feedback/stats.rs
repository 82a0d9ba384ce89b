//! How the banks keep up with their customers' feedback over a period: what came in, what
//! waits and how much of that is past its service level, how much was answered in time, how
//! long answers took, and how customers rated them. The union's agents and administrators see
//! every bank; a bank's see their own.

use sqlx::Row;

use super::Feedback;
use crate::clock::Millis;
use crate::db::get_i64;
use crate::error::Refusal;
use crate::ops::{Role, StaffMember};
use crate::Result;

/// One bank's numbers over the period asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BankStats {
    pub bank_code: String,
    pub bank_name: String,
    pub received: i64,
    pub complaints: i64,
    /// Not answered yet.
    pub waiting: i64,
    /// Not answered and past the service level now.
    pub overdue: i64,
    pub answered: i64,
    /// Answered within the service level.
    pub answered_in_time: i64,
    /// All answers' time from sending to answer, together (for the average).
    pub answer_millis: i64,
    pub satisfied: i64,
    pub unsatisfied: i64,
}

impl BankStats {
    /// Several banks' numbers added up (no code, no name).
    pub fn sum(banks: &[BankStats]) -> BankStats {
        let add = |f: fn(&BankStats) -> i64| banks.iter().map(f).sum();
        BankStats {
            bank_code: String::new(),
            bank_name: String::new(),
            received: add(|b| b.received),
            complaints: add(|b| b.complaints),
            waiting: add(|b| b.waiting),
            overdue: add(|b| b.overdue),
            answered: add(|b| b.answered),
            answered_in_time: add(|b| b.answered_in_time),
            answer_millis: add(|b| b.answer_millis),
            satisfied: add(|b| b.satisfied),
            unsatisfied: add(|b| b.unsatisfied),
        }
    }

    /// The average time to an answer in whole minutes, rounded down; none without answers.
    pub fn average_answer_minutes(&self) -> Option<i64> {
        (self.answered > 0).then(|| self.answer_millis / self.answered / 60_000)
    }

    /// Answered in time, in whole per cent of the answered, rounded down.
    pub fn in_time_percent(&self) -> Option<i64> {
        (self.answered > 0).then(|| self.answered_in_time * 100 / self.answered)
    }

    /// Satisfied, in whole per cent of the rated, rounded down.
    pub fn satisfied_percent(&self) -> Option<i64> {
        let rated = self.satisfied + self.unsatisfied;
        (rated > 0).then(|| self.satisfied * 100 / rated)
    }
}

impl Feedback<'_> {
    /// Each bank's numbers for feedback sent from `since` on, banks with none left out: every
    /// bank for the union, the member's own otherwise.
    pub async fn stats(&self, by: &StaffMember, since: Millis) -> Result<Vec<BankStats>> {
        if by.require(Role::ServiceAgent).is_err() && by.require(Role::Admin).is_err() {
            return Err(Refusal::NotPermitted.into());
        }
        let count = |condition: &str| {
            format!("CAST(COALESCE(SUM(CASE WHEN {condition} THEN 1 ELSE 0 END), 0) AS BIGINT)")
        };
        let sql = format!(
            "SELECT f.bank_code, i.short_name, COUNT(*) AS received, \
             {complaints} AS complaints, {waiting} AS waiting, {overdue} AS overdue, \
             {answered} AS answered, {in_time} AS in_time, \
             CAST(COALESCE(SUM(f.replied_at - f.created_at), 0) AS BIGINT) AS answer_millis, \
             {satisfied} AS satisfied, {unsatisfied} AS unsatisfied \
             FROM feedback f JOIN institutions i ON i.code = f.bank_code \
             WHERE f.created_at >= $1 AND ($2 = '' OR f.bank_code = $2) \
             GROUP BY f.bank_code, i.short_name ORDER BY f.bank_code",
            complaints = count("f.kind = 'complaint'"),
            waiting = count("f.status IN ('open', 'taken')"),
            overdue = count("f.status IN ('open', 'taken') AND f.due_at < $3"),
            answered = count("f.replied_at IS NOT NULL"),
            in_time = count("f.replied_at IS NOT NULL AND f.replied_at <= f.due_at"),
            satisfied = count("f.rating = 'satisfied'"),
            unsatisfied = count("f.rating = 'unsatisfied'"),
        );
        let only = if by.is_union() {
            ""
        } else {
            by.institution.as_str()
        };
        let rows = sqlx::query(&sql)
            .bind(since)
            .bind(only)
            .bind(self.clock.now())
            .fetch_all(self.db.pool())
            .await?;
        rows.iter()
            .map(|r| {
                Ok(BankStats {
                    bank_code: r.try_get("bank_code")?,
                    bank_name: r.try_get("short_name")?,
                    received: get_i64(r, "received")?,
                    complaints: get_i64(r, "complaints")?,
                    waiting: get_i64(r, "waiting")?,
                    overdue: get_i64(r, "overdue")?,
                    answered: get_i64(r, "answered")?,
                    answered_in_time: get_i64(r, "in_time")?,
                    answer_millis: get_i64(r, "answer_millis")?,
                    satisfied: get_i64(r, "satisfied")?,
                    unsatisfied: get_i64(r, "unsatisfied")?,
                })
            })
            .collect()
    }
}
