//! The service agents' desk: the queue of their bank's customers' feedback, the most urgent
//! first; taking one (so two agents do not answer the same), and answering it, which puts a
//! notice in the customer's message centre in the same transaction. Another bank's feedback
//! is "not found". Every step is audited with the agent and their bank.

use super::{checked_text, Feedback, Ticket, COLUMNS, REPLY_CHARS};
use crate::audit::Action;
use crate::error::Refusal;
use crate::notify::Kind as MessageKind;
use crate::ops::{Role, StaffMember};
use crate::pii::Field;
use crate::{Error, Result};

/// Which part of the queue a page shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Queue {
    /// Waiting for an answer, the nearest deadline first.
    Waiting,
    /// Answered or rated, the latest first.
    Answered,
}

/// Items a queue page lists at most.
const QUEUE_LIMIT: i64 = 200;

impl Feedback<'_> {
    /// The agent's bank's feedback.
    pub async fn queue(&self, by: &StaffMember, which: Queue) -> Result<Vec<Ticket>> {
        by.require(Role::ServiceAgent)?;
        let (statuses, order) = match which {
            Queue::Waiting => ("'open', 'taken'", "due_at, id"),
            Queue::Answered => ("'replied', 'closed'", "replied_at DESC, id"),
        };
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM feedback WHERE bank_code = $1 AND status IN ({statuses}) \
             ORDER BY {order} LIMIT $2"
        ))
        .bind(&by.institution)
        .bind(QUEUE_LIMIT)
        .fetch_all(self.db.pool())
        .await?;
        rows.iter().map(|r| self.open_row(r)).collect()
    }

    /// One of the agent's bank's.
    pub async fn ticket_for_staff(&self, by: &StaffMember, id: &str) -> Result<Ticket> {
        by.require(Role::ServiceAgent)?;
        self.get(id)
            .await?
            .filter(|t| t.bank_code == by.institution)
            .ok_or_else(|| Error::NotFound("feedback".into()))
    }

    /// The agent takes it: it is theirs to answer (another agent may still take it over).
    pub async fn take(&self, by: &StaffMember, id: &str) -> Result<()> {
        let ticket = self.ticket_for_staff(by, id).await?;
        let taken = self
            .step(
                "UPDATE feedback SET status = 'taken', taken_by = $1, updated_at = $2 \
                 WHERE id = $3 AND status IN ('open', 'taken')",
                &by.id,
                &ticket.id,
            )
            .await?;
        if !taken {
            return Err(Refusal::FeedbackAnswered.into());
        }
        self.audit(
            &by.actor(),
            Action::FeedbackTaken,
            id,
            serde_json::json!({ "institution": by.institution }),
        )
        .await
    }

    /// Answers it: the answer is sealed for the customer, and the customer's message centre
    /// gets a notice of it in the same transaction (an answer is never without its notice).
    pub async fn reply(&self, by: &StaffMember, id: &str, text: &str) -> Result<()> {
        let ticket = self.ticket_for_staff(by, id).await?;
        let text = checked_text(text, REPLY_CHARS)?;
        let sealed = self
            .keys
            .seal(&ticket.customer_id, Field::FreeText, &text)?;
        let notice = serde_json::to_string(&super::ReplyNotice {
            feedback_id: ticket.id.clone(),
            category: ticket.category,
        })
        .map_err(|e| Error::Internal(e.to_string()))?;
        let now = self.clock.now();
        let message_id = crate::id::new_id();
        let (staff_id, customer_id) = (by.id.clone(), ticket.customer_id.clone());
        let answered = crate::db::in_transaction(self.db, |tx| {
            let (sealed, notice, staff_id, customer_id, ticket_id, message_id) = (
                sealed.clone(),
                notice.clone(),
                staff_id.clone(),
                customer_id.clone(),
                ticket.id.clone(),
                message_id.clone(),
            );
            Box::pin(async move {
                let changed = sqlx::query(
                    "UPDATE feedback SET status = 'replied', reply_sealed = $1, replied_by = $2, \
                     replied_at = $3, updated_at = $3 \
                     WHERE id = $4 AND status IN ('open', 'taken')",
                )
                .bind(&sealed)
                .bind(&staff_id)
                .bind(now)
                .bind(&ticket_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if changed == 0 {
                    return Ok(false);
                }
                sqlx::query(
                    "INSERT INTO notifications (id, customer_id, kind, data, created_at) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(&message_id)
                .bind(&customer_id)
                .bind(MessageKind::Service.as_str())
                .bind(&notice)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                Ok(true)
            })
        })
        .await?;
        if !answered {
            return Err(Refusal::FeedbackAnswered.into());
        }
        self.audit(
            &by.actor(),
            Action::FeedbackReplied,
            id,
            serde_json::json!({
                "institution": by.institution,
                "within_service_level": now <= ticket.due_at,
            }),
        )
        .await
    }
}
