//! Key rotation without downtime: after a new master key becomes active (old ones stay in the
//! ring, so every value stays readable), [`pass`] re-seals values still sealed with an older
//! key, a bounded number of rows at a time, in every table that holds sealed personal data.
//! The server's housekeeping worker runs passes until nothing is left; `bank-portal
//! rotate-keys` does the same from the command line. Each row is updated only if it still holds
//! what was read (a concurrent change wins; the next pass picks the row up again), so any
//! number of nodes may rotate at once.

use sqlx::Row;

use super::{Field, KeyRing};
use crate::{Db, Result};

/// A table's sealed columns and whose key seals them.
struct Sealed {
    table: &'static str,
    id: &'static str,
    /// The column naming the owner (the customer) the value is sealed for.
    owner: &'static str,
    columns: &'static [(&'static str, Field)],
}

const TABLES: [Sealed; 6] = [
    Sealed {
        table: "customers",
        id: "id",
        owner: "id",
        columns: &[
            ("mobile_sealed", Field::Mobile),
            ("resident_id_sealed", Field::ResidentId),
            ("name_sealed", Field::Name),
        ],
    },
    // The payee's name as the customer typed it for a transfer to another bank.
    Sealed {
        table: "payees",
        id: "id",
        owner: "customer_id",
        columns: &[("name_sealed", Field::Name)],
    },
    Sealed {
        table: "transfers",
        id: "id",
        owner: "customer_id",
        columns: &[("payee_name_sealed", Field::Name)],
    },
    // Staff of the console: sealed for the staff member.
    Sealed {
        table: "staff",
        id: "id",
        owner: "id",
        columns: &[
            ("name_sealed", Field::Name),
            ("totp_sealed", Field::OtpSecret),
        ],
    },
    // Customers' feedback and the bank's replies, sealed for the customer.
    Sealed {
        table: "feedback",
        id: "id",
        owner: "customer_id",
        columns: &[
            ("text_sealed", Field::FreeText),
            ("reply_sealed", Field::FreeText),
        ],
    },
    // Loan contracts as signed: they name the borrower.
    Sealed {
        table: "loan_contracts",
        id: "id",
        owner: "customer_id",
        columns: &[("text_sealed", Field::Contract)],
    },
];

/// Re-seals up to `limit` rows of each table; returns how many rows changed (0: done).
pub async fn pass(db: &Db, keys: &KeyRing, limit: i64) -> Result<u64> {
    let prefix = format!("v1:{}:", keys.active_key_id());
    let mut changed = 0;
    for t in &TABLES {
        changed += reseal_table(db, keys, t, &prefix, limit).await?;
    }
    Ok(changed)
}

/// Runs passes until every value is sealed with the active key; returns the rows changed.
pub async fn all(db: &Db, keys: &KeyRing) -> Result<u64> {
    let mut total = 0;
    loop {
        let n = pass(db, keys, 500).await?;
        if n == 0 {
            return Ok(total);
        }
        total += n;
    }
}

async fn reseal_table(
    db: &Db,
    keys: &KeyRing,
    t: &Sealed,
    prefix: &str,
    limit: i64,
) -> Result<u64> {
    // Empty means "nothing sealed here" (an own-account transfer has no payee name).
    let stale: Vec<String> = t
        .columns
        .iter()
        .map(|(c, _)| format!("({c} <> '' AND SUBSTR({c}, 1, CAST($1 AS INTEGER)) <> $2)"))
        .collect();
    let cols: Vec<&str> = t.columns.iter().map(|(c, _)| *c).collect();
    let sql = format!(
        "SELECT {id} AS row_id, {owner} AS owner, {cols} FROM {table} WHERE {stale} LIMIT $3",
        id = t.id,
        owner = t.owner,
        cols = cols.join(", "),
        table = t.table,
        stale = stale.join(" OR "),
    );
    let rows = sqlx::query(&sql)
        .bind(prefix.len() as i64)
        .bind(prefix)
        .bind(limit)
        .fetch_all(db.pool())
        .await?;
    let mut changed = 0;
    for r in rows {
        let id: String = r.try_get("row_id")?;
        let owner: String = r.try_get("owner")?;
        let mut old = Vec::with_capacity(cols.len());
        let mut new = Vec::with_capacity(cols.len());
        for (column, field) in t.columns {
            let sealed: String = r.try_get(*column)?;
            let resealed = if sealed.is_empty() || !keys.needs_rotation(&sealed) {
                sealed.clone()
            } else {
                keys.seal(&owner, *field, &keys.open(&owner, *field, &sealed)?)?
            };
            old.push(sealed);
            new.push(resealed);
        }
        let n = cols.len();
        let sets: Vec<String> = cols
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c} = ${}", i + 1))
            .collect();
        let guards: Vec<String> = cols
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c} = ${}", n + 2 + i))
            .collect();
        let update = format!(
            "UPDATE {table} SET {sets} WHERE {id} = ${k} AND {guards}",
            table = t.table,
            sets = sets.join(", "),
            id = t.id,
            k = n + 1,
            guards = guards.join(" AND "),
        );
        let mut q = sqlx::query(&update);
        for v in &new {
            q = q.bind(v);
        }
        q = q.bind(&id);
        for v in &old {
            q = q.bind(v);
        }
        changed += q.execute(db.pool()).await?.rows_affected();
    }
    Ok(changed)
}
