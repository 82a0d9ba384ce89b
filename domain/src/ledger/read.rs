//! How a batch reads the accounts its entries touch: one statement for all of them by id and by
//! card through sqlx (locking them on PostgreSQL), or the group commit's own connection.

use sqlx::AnyConnection;

use super::BATCH_COLUMNS;
use crate::clock::Millis;
use crate::db::Cells;
use crate::{Error, Result};

/// An account as [`Batch::read`] found it ([`BATCH_COLUMNS`], in that order).
#[derive(Clone, Debug)]
pub(crate) struct ReadAccount {
    pub id: String,
    pub kind: String,
    pub customer_id: Option<String>,
    pub bank_code: String,
    pub class: i64,
    pub card_no: Option<String>,
    pub label: String,
    pub balance: i64,
    pub frozen: i64,
    pub status: String,
    pub opened_at: Millis,
    pub out_day: i64,
    pub out_today: i64,
    pub may_go_negative: bool,
    /// The owner's masked name and the bank's short name (none for internal accounts).
    pub name_masked: Option<String>,
    pub bank_name: Option<String>,
    /// The owner's allowance of payments without a code (nothing for the bank's own accounts).
    pub code_free: crate::transfer::CodeFreeUse,
}

impl ReadAccount {
    fn from_cells(row: &impl Cells) -> Result<ReadAccount> {
        let text = |i| {
            row.text(i)?
                .ok_or_else(|| Error::Internal(format!("account column {i} is NULL")))
        };
        Ok(ReadAccount {
            id: text(0)?,
            kind: text(1)?,
            customer_id: row.text(2)?,
            bank_code: text(3)?,
            class: row.int(4)?,
            card_no: row.text(5)?,
            label: text(6)?,
            balance: row.int(7)?,
            frozen: row.int(8)?,
            status: text(9)?,
            opened_at: row.int(10)?,
            out_day: row.int(11)?,
            out_today: row.int(12)?,
            may_go_negative: row.int(13)? == 1,
            name_masked: row.text(14)?,
            bank_name: row.text(15)?,
            code_free: crate::transfer::CodeFreeUse {
                day: row.int(16)?,
                amount: row.int(17)?,
                count: row.int(18)?,
            },
        })
    }

    /// The customer's view of a demand account on the China day `today` (its outflow counts
    /// only if it was today's).
    pub fn to_account(&self, today: i64) -> Result<crate::account::Account> {
        use crate::account::{Account, AccountClass};
        let missing = |what: &str| Error::Internal(format!("account {} has no {what}", self.id));
        Ok(Account {
            id: self.id.clone(),
            customer_id: self
                .customer_id
                .clone()
                .ok_or_else(|| missing("customer"))?,
            bank_code: self.bank_code.clone(),
            class: AccountClass::from_i64(self.class)
                .ok_or_else(|| Error::Internal(format!("account class {}", self.class)))?,
            card_no: self.card_no.clone().ok_or_else(|| missing("card"))?,
            label: self.label.clone(),
            balance: self.balance,
            frozen: self.frozen,
            status: self.status.clone(),
            opened_at: self.opened_at,
            out_today: if self.out_day == today {
                self.out_today
            } else {
                0
            },
            owner_name_masked: self.name_masked.clone().ok_or_else(|| missing("owner"))?,
            bank_name: self.bank_name.clone().ok_or_else(|| missing("bank"))?,
        })
    }
}

const BATCH_FROM: &str = "accounts a LEFT JOIN customers c ON c.id = a.customer_id \
     LEFT JOIN institutions i ON i.code = a.bank_code";

/// Where [`Batch::read`] reads accounts ([`BATCH_COLUMNS`]) by id and by card: a sqlx
/// connection, or the group commit's own (PostgreSQL's connection, SQLite's handle).
pub(crate) trait ReadAccounts {
    async fn read_accounts(&mut self, ids: &[&str], cards: &[&str]) -> Result<Vec<ReadAccount>>;
}

/// One query for every account by id or card, in id order; on PostgreSQL it locks them.
impl ReadAccounts for AnyConnection {
    async fn read_accounts(&mut self, ids: &[&str], cards: &[&str]) -> Result<Vec<ReadAccount>> {
        read_with_sqlx(self, ids, cards).await
    }
}

/// The same through SQLite's handle: one prepared lookup run per id and per card (SQLite
/// takes no row locks, so the order does not matter); an account named both ways is read once.
impl ReadAccounts for crate::db::direct::Direct<'_> {
    async fn read_accounts(&mut self, ids: &[&str], cards: &[&str]) -> Result<Vec<ReadAccount>> {
        read_direct(self, ids, cards)
    }
}

/// One query for every account by id or card, in id order, locking them; the ids and cards
/// go as two arrays, so the statement is the same for every batch (see `db::Writer for
/// PgConnection`).
impl ReadAccounts for sqlx::postgres::PgConnection {
    async fn read_accounts(&mut self, ids: &[&str], cards: &[&str]) -> Result<Vec<ReadAccount>> {
        if ids.is_empty() && cards.is_empty() {
            return Ok(Vec::new());
        }
        sqlx::query(&format!(
            "SELECT {BATCH_COLUMNS} FROM {BATCH_FROM} \
             WHERE a.id = ANY($1::text[]) OR a.card_no = ANY($2::text[]) ORDER BY a.id FOR UPDATE OF a"
        ))
        .bind(ids)
        .bind(cards)
        .fetch_all(&mut *self)
        .await?
        .iter()
        .map(ReadAccount::from_cells)
        .collect()
    }
}

async fn read_with_sqlx(
    conn: &mut AnyConnection,
    ids: &[&str],
    cards: &[&str],
) -> Result<Vec<ReadAccount>> {
    let lock = if conn.backend_name() == "PostgreSQL" {
        " FOR UPDATE OF a"
    } else {
        ""
    };
    let mut wanted = Vec::new();
    if !ids.is_empty() {
        wanted.push(format!(
            "a.id IN ({})",
            crate::db::placeholders_from(conn, 1, ids.len())
        ));
    }
    if !cards.is_empty() {
        wanted.push(format!(
            "a.card_no IN ({})",
            crate::db::placeholders_from(conn, 1 + ids.len(), cards.len())
        ));
    }
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {BATCH_COLUMNS} FROM {BATCH_FROM} WHERE {} ORDER BY a.id{lock}",
        wanted.join(" OR ")
    );
    let mut q = sqlx::query(&sql);
    for v in ids.iter().chain(cards) {
        q = q.bind(*v);
    }
    q.fetch_all(&mut *conn)
        .await?
        .iter()
        .map(ReadAccount::from_cells)
        .collect()
}

fn read_direct(
    direct: &crate::db::direct::Direct<'_>,
    ids: &[&str],
    cards: &[&str],
) -> Result<Vec<ReadAccount>> {
    use crate::db::Val;
    let mut read: Vec<ReadAccount> = Vec::with_capacity(ids.len() + cards.len());
    let mut seen = std::collections::HashSet::with_capacity(ids.len() + cards.len());
    for (column, keys) in [("id", ids), ("card_no", cards)] {
        if keys.is_empty() {
            continue;
        }
        let mut lookup = direct.prepare(&format!(
            "SELECT {BATCH_COLUMNS} FROM {BATCH_FROM} WHERE a.{column} = ?"
        ))?;
        for key in keys {
            lookup.run(&[Val::Text((*key).to_string())], |row| {
                let account = ReadAccount::from_cells(row)?;
                if seen.insert(account.id.clone()) {
                    read.push(account);
                }
                Ok(())
            })?;
        }
    }
    Ok(read)
}
