//! Maker–checker: an editor drafts, changes and submits; an approver of the same institution,
//! never the one who drafted it, publishes or sends it back with a note, and may withdraw it
//! once published. Another institution's items are "not found". Every step is audited; every
//! state change is conditional on the state it was read in, so two approvers cannot both act.

use super::{from_row, join, Content, Draft, Item, Status, COLUMNS};
use crate::audit::{self, Action, Entry};
use crate::error::Refusal;
use crate::ops::{Role, StaffMember};
use crate::{Error, Result};

/// The columns a draft's fields go to, in [`bind_draft`]'s order.
const DRAFT_COLUMNS: &str =
    "kind, title, body, editions, places, segments, starts_at, ends_at, push";

/// Binds a draft's fields as `$1` to `$9`, in [`DRAFT_COLUMNS`]' order.
fn bind_draft<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    d: &'q Draft,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    let segments: Vec<&str> = d.targeting.segments.iter().map(|s| s.as_str()).collect();
    query
        .bind(d.kind.as_str())
        .bind(&d.title)
        .bind(&d.body)
        .bind(join(&d.targeting.editions))
        .bind(join(&d.targeting.places))
        .bind(join(&segments))
        .bind(d.starts_at)
        .bind(d.ends_at)
        .bind(i64::from(d.push))
}

/// Items a console page lists at most.
const LIST_LIMIT: i64 = 200;

impl Content<'_> {
    fn require_any(by: &StaffMember) -> Result<()> {
        by.require(Role::Editor)
            .or_else(|_| by.require(Role::Approver))
    }

    /// The institution's items, the latest changed first.
    pub async fn list_for_staff(&self, by: &StaffMember) -> Result<Vec<Item>> {
        Self::require_any(by)?;
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM content_items WHERE institution = $1 ORDER BY updated_at DESC, id LIMIT $2"
        ))
        .bind(&by.institution)
        .bind(LIST_LIMIT)
        .fetch_all(self.db.pool())
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// One of the institution's items.
    pub async fn item_for_staff(&self, by: &StaffMember, id: &str) -> Result<Item> {
        Self::require_any(by)?;
        self.get(id)
            .await?
            .filter(|i| i.institution == by.institution)
            .ok_or_else(|| Error::NotFound("content".into()))
    }

    /// A new draft of the editor's institution; returns its id.
    pub async fn create(&self, by: &StaffMember, draft: Draft) -> Result<String> {
        by.require(Role::Editor)?;
        let d = draft.checked()?;
        let id = crate::id::new_id();
        let now = self.clock.now();
        bind_draft(
            sqlx::query(&format!(
                "INSERT INTO content_items ({DRAFT_COLUMNS}, id, institution, status, drafted_by, \
                 created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'draft', $12, $13, $13)"
            )),
            &d,
        )
        .bind(&id)
        .bind(&by.institution)
        .bind(&by.id)
        .bind(now)
        .execute(self.db.pool())
        .await?;
        self.audit(by, Action::ContentDrafted, &id, d.kind.as_str())
            .await?;
        Ok(id)
    }

    /// Changes a draft (or one sent back); it is a draft again.
    pub async fn update(&self, by: &StaffMember, id: &str, draft: Draft) -> Result<()> {
        by.require(Role::Editor)?;
        let item = self.item_for_staff(by, id).await?;
        let d = draft.checked()?;
        let sets: Vec<String> = DRAFT_COLUMNS
            .split(", ")
            .enumerate()
            .map(|(n, column)| format!("{column} = ${}", n + 1))
            .collect();
        let changed = bind_draft(
            sqlx::query(&format!(
                "UPDATE content_items SET {}, status = 'draft', updated_at = $10 \
                 WHERE id = $11 AND status IN ('draft', 'rejected')",
                sets.join(", ")
            )),
            &d,
        )
        .bind(self.clock.now())
        .bind(&item.id)
        .execute(self.db.pool())
        .await?;
        if changed.rows_affected() == 0 {
            return Err(Refusal::ContentNotEditable.into());
        }
        self.audit(by, Action::ContentUpdated, id, d.kind.as_str())
            .await
    }

    /// Sends a draft to the approvers.
    pub async fn submit(&self, by: &StaffMember, id: &str) -> Result<()> {
        by.require(Role::Editor)?;
        self.item_for_staff(by, id).await?;
        self.move_to(
            by,
            id,
            &[Status::Draft, Status::Rejected],
            Status::Submitted,
            None,
        )
        .await?;
        self.audit(by, Action::ContentSubmitted, id, "").await
    }

    /// Publishes a submitted item: an approver of its institution who did not draft it.
    pub async fn publish(&self, by: &StaffMember, id: &str) -> Result<()> {
        by.require(Role::Approver)?;
        let item = self.item_for_staff(by, id).await?;
        if item.drafted_by == by.id {
            return Err(Refusal::OwnDraftReview.into());
        }
        self.move_to(by, id, &[Status::Submitted], Status::Published, None)
            .await?;
        self.audit(by, Action::ContentPublished, id, "").await
    }

    /// Sends a submitted item back to its editor with a note.
    pub async fn reject(&self, by: &StaffMember, id: &str, note: &str) -> Result<()> {
        by.require(Role::Approver)?;
        let item = self.item_for_staff(by, id).await?;
        if item.drafted_by == by.id {
            return Err(Refusal::OwnDraftReview.into());
        }
        let note: String = note.trim().chars().take(500).collect();
        self.move_to(by, id, &[Status::Submitted], Status::Rejected, Some(&note))
            .await?;
        self.audit(by, Action::ContentRejected, id, &note).await
    }

    /// Takes a published item down, with the messages it was pushed as (a delivery under way
    /// stops at its next batch; the message centre never shows a withdrawn item's message).
    pub async fn withdraw(&self, by: &StaffMember, id: &str) -> Result<()> {
        by.require(Role::Approver)?;
        self.item_for_staff(by, id).await?;
        self.move_to(by, id, &[Status::Published], Status::Withdrawn, None)
            .await?;
        let removed = super::push::remove_messages(self.db, self.clock.now(), id).await?;
        self.audit(
            by,
            Action::ContentWithdrawn,
            id,
            &format!("{removed} messages"),
        )
        .await
    }

    async fn move_to(
        &self,
        by: &StaffMember,
        id: &str,
        from: &[Status],
        to: Status,
        note: Option<&str>,
    ) -> Result<()> {
        let now = self.clock.now();
        let from: Vec<String> = from.iter().map(|s| format!("'{}'", s.as_str())).collect();
        // $1 status, $2 now, $3 id, $4 institution, then the reviewer and the note if set.
        let mut sets = String::from("status = $1, updated_at = $2");
        if to == Status::Published {
            sets.push_str(", published_at = $2");
        }
        let reviewing = matches!(to, Status::Published | Status::Rejected | Status::Withdrawn);
        if reviewing {
            sets.push_str(", reviewed_by = $5");
        }
        if note.is_some() {
            sets.push_str(if reviewing {
                ", review_note = $6"
            } else {
                ", review_note = $5"
            });
        }
        let sql = format!(
            "UPDATE content_items SET {sets} WHERE id = $3 AND institution = $4 AND status IN ({})",
            from.join(", ")
        );
        let mut query = sqlx::query(&sql)
            .bind(to.as_str())
            .bind(now)
            .bind(id)
            .bind(&by.institution);
        if reviewing {
            query = query.bind(&by.id);
        }
        if let Some(note) = note {
            query = query.bind(note);
        }
        let changed = query.execute(self.db.pool()).await?;
        if changed.rows_affected() == 0 {
            return Err(Refusal::ContentNotEditable.into());
        }
        Ok(())
    }

    async fn audit(&self, by: &StaffMember, action: Action, id: &str, what: &str) -> Result<()> {
        audit::append(
            self.db,
            self.clock,
            Entry {
                actor: &by.actor(),
                action,
                subject: id,
                detail: serde_json::json!({ "institution": by.institution, "detail": what }),
            },
        )
        .await
        .map(|_| ())
    }
}
