//! Writing a batch through PostgreSQL's own connection: each column of the batch's rows goes
//! as one array parameter, so the statement's text does not depend on the batch's size.

use std::collections::HashSet;

use super::bulk::{compare_and_set, Val};
use super::writer::{first_column, Writer};
use crate::{Error, Result};

/// On PostgreSQL the writer sends each column of a batch's rows as one array parameter and
/// unpacks them with `UNNEST`: the statement's text is the same whatever the batch's size, so
/// it is parsed and planned once per connection and runs in one round trip (sqlx keeps it
/// prepared), where a `VALUES` list of the batch's size was a new statement, parsed, planned
/// and prepared in a round trip of its own, nearly every batch.
impl Writer for sqlx::postgres::PgConnection {
    async fn insert_rows(&mut self, table: &str, rows: Vec<Vec<Val>>, suffix: &str) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let columns = ArrayColumns::of(rows)?;
        let sql = format!(
            "INSERT INTO {table} SELECT * FROM UNNEST({}) {suffix}",
            columns.parameters()
        );
        columns.bind(sqlx::query(&sql)).execute(&mut *self).await?;
        Ok(())
    }

    async fn insert_new(
        &mut self,
        table: &str,
        rows: Vec<Vec<Val>>,
        unique: &str,
    ) -> Result<HashSet<String>> {
        use sqlx::Row;
        if rows.is_empty() {
            return Ok(HashSet::new());
        }
        let columns = ArrayColumns::of(rows)?;
        let sql = format!(
            "INSERT INTO {table} SELECT * FROM UNNEST({}) \
             ON CONFLICT ({unique}) DO NOTHING RETURNING {}",
            columns.parameters(),
            first_column(table)?
        );
        columns
            .bind(sqlx::query(&sql))
            .fetch_all(&mut *self)
            .await?
            .iter()
            .map(|r| r.try_get::<String, _>(0).map_err(Into::into))
            .collect()
    }

    async fn update_rows(
        &mut self,
        table: &str,
        key_column: &str,
        guards: &[&str],
        sets: &[&str],
        rows: Vec<Vec<Val>>,
    ) -> Result<u64> {
        if rows.is_empty() {
            return Ok(0);
        }
        let columns = ArrayColumns::of(rows)?;
        let names: Vec<String> = (1..=columns.0.len())
            .map(|n| format!("column{n}"))
            .collect();
        let (set_sql, where_sql) =
            compare_and_set(table, key_column, guards, sets, |n| format!("v.column{n}"));
        let sql = format!(
            "UPDATE {table} SET {set_sql} FROM UNNEST({}) AS v({}) WHERE {where_sql}",
            columns.parameters(),
            names.join(", ")
        );
        Ok(columns
            .bind(sqlx::query(&sql))
            .execute(&mut *self)
            .await?
            .rows_affected())
    }

    async fn delete_by_id(&mut self, table: &str, ids: Vec<String>) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        sqlx::query(&format!("DELETE FROM {table} WHERE id = ANY($1::text[])"))
            .bind(ids)
            .execute(&mut *self)
            .await?;
        Ok(())
    }
}

/// Rows turned into columns, one PostgreSQL array each.
struct ArrayColumns(Vec<ArrayColumn>);

enum ArrayColumn {
    Int(Vec<i64>),
    Text(Vec<Option<String>>),
}

impl ArrayColumns {
    /// A column holding any integer is a `bigint[]` (every value must then be one), any
    /// other a `text[]` (NULL where a row has [`Val::NullText`]).
    fn of(rows: Vec<Vec<Val>>) -> Result<ArrayColumns> {
        let width = rows.first().map_or(0, Vec::len);
        let mut columns: Vec<ArrayColumn> = (0..width)
            .map(|j| {
                if rows.iter().any(|r| matches!(r.get(j), Some(Val::Int(_)))) {
                    ArrayColumn::Int(Vec::with_capacity(rows.len()))
                } else {
                    ArrayColumn::Text(Vec::with_capacity(rows.len()))
                }
            })
            .collect();
        for row in rows {
            if row.len() != width {
                return Err(Error::Internal(format!(
                    "a row of {} values among rows of {width}",
                    row.len()
                )));
            }
            for (column, value) in columns.iter_mut().zip(row) {
                match (column, value) {
                    (ArrayColumn::Int(v), Val::Int(n)) => v.push(n),
                    (ArrayColumn::Text(v), Val::Text(s)) => v.push(Some(s)),
                    (ArrayColumn::Text(v), Val::NullText) => v.push(None),
                    _ => return Err(Error::Internal("a column mixes integers and text".into())),
                }
            }
        }
        Ok(ArrayColumns(columns))
    }

    /// `$1::bigint[], $2::text[], …`
    fn parameters(&self) -> String {
        self.0
            .iter()
            .enumerate()
            .map(|(i, c)| match c {
                ArrayColumn::Int(_) => format!("${}::bigint[]", i + 1),
                ArrayColumn::Text(_) => format!("${}::text[]", i + 1),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn bind(
        self,
        mut query: sqlx::query::Query<'_, sqlx::Postgres, sqlx::postgres::PgArguments>,
    ) -> sqlx::query::Query<'_, sqlx::Postgres, sqlx::postgres::PgArguments> {
        for column in self.0 {
            query = match column {
                ArrayColumn::Int(v) => query.bind(v),
                ArrayColumn::Text(v) => query.bind(v),
            };
        }
        query
    }
}
