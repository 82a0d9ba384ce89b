//! Storage of institutions; the SQL runs unchanged on SQLite and PostgreSQL.

use sqlx::any::AnyRow;
use sqlx::Row;

use super::{bundled_banks, province, CityCount, Institution, InstitutionKind};
use crate::{Db, Error, Result};

const COLUMNS: &str = "code, kind, parent_code, short_name, full_name, city, county, region_code";

/// Inserts the union and the bundled banks that are missing; returns how many rows were added.
/// Existing rows are left as they are, so operators' later edits survive a restart.
pub async fn seed(db: &Db) -> Result<u64> {
    let mut tx = db.pool().begin().await?;
    let mut added = 0;
    for inst in std::iter::once(province()).chain(bundled_banks()) {
        let sql = format!(
            "INSERT INTO institutions ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (code) DO NOTHING"
        );
        added += sqlx::query(&sql)
            .bind(&inst.code)
            .bind(inst.kind.as_str())
            .bind(&inst.parent_code)
            .bind(&inst.short_name)
            .bind(&inst.full_name)
            .bind(&inst.city)
            .bind(&inst.county)
            .bind(&inst.region_code)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    }
    tx.commit().await?;
    Ok(added)
}

/// The legal-entity banks, optionally of one city, in code order.
pub async fn list_banks(db: &Db, city: Option<&str>) -> Result<Vec<Institution>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM institutions WHERE kind = 'bank' \
         AND ($1 IS NULL OR city = $1) ORDER BY code"
    );
    let rows = sqlx::query(&sql).bind(city).fetch_all(db.pool()).await?;
    rows.iter().map(from_row).collect()
}

/// Cities with at least one bank, and how many, in the order their first bank was listed.
pub async fn cities(db: &Db) -> Result<Vec<CityCount>> {
    let rows = sqlx::query(
        "SELECT city, COUNT(*) AS banks, MIN(code) AS first_code FROM institutions \
         WHERE kind = 'bank' GROUP BY city ORDER BY first_code",
    )
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(CityCount {
                city: r.try_get("city")?,
                banks: r.try_get("banks")?,
            })
        })
        .collect()
}

/// One institution by code.
pub async fn get(db: &Db, code: &str) -> Result<Institution> {
    let sql = format!("SELECT {COLUMNS} FROM institutions WHERE code = $1");
    let row = sqlx::query(&sql)
        .bind(code)
        .fetch_optional(db.pool())
        .await?
        .ok_or_else(|| Error::NotFound(format!("institution {code}")))?;
    from_row(&row)
}

fn from_row(row: &AnyRow) -> Result<Institution> {
    let kind: String = row.try_get("kind")?;
    Ok(Institution {
        code: row.try_get("code")?,
        kind: InstitutionKind::parse(&kind)
            .ok_or_else(|| Error::Internal(format!("unknown institution kind {kind}")))?,
        parent_code: row.try_get("parent_code")?,
        short_name: row.try_get("short_name")?,
        full_name: row.try_get("full_name")?,
        city: row.try_get("city")?,
        county: row.try_get("county")?,
        region_code: row.try_get("region_code")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    #[tokio::test]
    async fn seeding_is_idempotent_and_lists_by_city() {
        for t in testing::databases().await {
            let db = &t.db;
            let kind = db.kind().as_str();
            assert_eq!(seed(db).await.unwrap(), 111, "{kind}: union + 110 banks");
            assert_eq!(
                seed(db).await.unwrap(),
                0,
                "{kind}: second seed adds nothing"
            );

            let all = list_banks(db, None).await.unwrap();
            assert_eq!(all.len(), 110, "{kind}");
            assert!(all.iter().all(|b| b.parent_code.as_deref() == Some("P000")));

            let jinan = list_banks(db, Some("济南")).await.unwrap();
            assert!(!jinan.is_empty(), "{kind}");
            assert!(jinan.iter().all(|b| b.city == "济南"), "{kind}");

            let cities = cities(db).await.unwrap();
            assert_eq!(cities.len(), 16, "{kind}");
            assert_eq!(cities[0].city, "济南", "{kind}: file order");
            assert_eq!(cities.iter().map(|c| c.banks).sum::<i64>(), 110, "{kind}");

            let union = get(db, "P000").await.unwrap();
            assert_eq!(union.kind, InstitutionKind::Province);
            assert!(
                matches!(get(db, "B999").await, Err(Error::NotFound(_))),
                "{kind}"
            );
            t.finish().await;
        }
    }
}
