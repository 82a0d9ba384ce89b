//! Statements over many rows at once, in the SQL both engines understand: multi-row
//! `INSERT … VALUES (…), (…)`, compare-and-set `UPDATE … FROM (VALUES …)`, and the
//! placeholder lists they and `IN (…)` queries need. One statement per chunk of rows instead of
//! one per row saves a round trip per row; the chunks stay below both engines' parameter
//! limits.

use crate::Result;

/// A value for [`insert_rows`].
#[derive(Clone, Debug)]
pub enum Val {
    /// An integer column (`BIGINT`).
    Int(i64),
    /// A text column.
    Text(String),
    /// A NULL text column.
    NullText,
}

/// Inserts many rows with multi-row `INSERT … VALUES (…), (…)` statements (chunked below both
/// engines' parameter limits). `table` is `name (col, col, …)`; every row has one value per
/// column. `suffix` follows the VALUES list (e.g. an `ON CONFLICT` clause).
pub async fn insert_rows(
    conn: &mut sqlx::AnyConnection,
    table: &str,
    rows: Vec<Vec<Val>>,
) -> Result<()> {
    insert_rows_with(conn, table, rows, "").await.map(|_| ())
}

/// [`insert_rows`] with a clause after the values (`ON CONFLICT …`, `RETURNING …`); returns
/// the rows a `RETURNING` clause produced.
pub async fn insert_rows_with(
    conn: &mut sqlx::AnyConnection,
    table: &str,
    rows: Vec<Vec<Val>>,
    suffix: &str,
) -> Result<Vec<sqlx::any::AnyRow>> {
    let mut returned = Vec::new();
    let Some(width) = rows.first().map(Vec::len) else {
        return Ok(returned);
    };
    let positional = conn.backend_name() == "SQLite";
    for chunk in chunks(rows, rows_per_statement(width)) {
        let sql = format!(
            "INSERT INTO {table} VALUES {} {suffix}",
            values_list(chunk.len(), width, positional)
        );
        returned.extend(
            sqlx::query_with(&sql, arguments(chunk, width)?)
                .fetch_all(&mut *conn)
                .await?,
        );
    }
    Ok(returned)
}

/// Updates many rows with `UPDATE … FROM (VALUES …)`, one statement per chunk. Each row is
/// `[key, guard values…, new values…]`: a row changes only where `key_column` matches and every
/// `guard` column still holds its guard value (compare-and-set). Returns how many rows changed,
/// so the caller can tell whether every guard held.
pub async fn update_rows(
    conn: &mut sqlx::AnyConnection,
    table: &str,
    key_column: &str,
    guards: &[&str],
    sets: &[&str],
    rows: Vec<Vec<Val>>,
) -> Result<u64> {
    let width = 1 + guards.len() + sets.len();
    let positional = conn.backend_name() == "SQLite";
    // Both engines name the columns of a VALUES list column1, column2, …
    let (set_sql, where_sql) =
        compare_and_set(table, key_column, guards, sets, |n| format!("v.column{n}"));
    let mut changed = 0;
    for chunk in chunks(rows, rows_per_statement(width)) {
        let sql = format!(
            "UPDATE {table} SET {set_sql} FROM (VALUES {}) AS v WHERE {where_sql}",
            values_list(chunk.len(), width, positional),
        );
        changed += sqlx::query_with(&sql, arguments(chunk, width)?)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    Ok(changed)
}

/// The `SET` and `WHERE` clauses of a compare-and-set update of `table` by rows
/// `[key, guard values…, new values…]`, where `value(n)` names a row's `n`th value (from 1).
pub(super) fn compare_and_set(
    table: &str,
    key_column: &str,
    guards: &[&str],
    sets: &[&str],
    value: impl Fn(usize) -> String,
) -> (String, String) {
    let set_sql: Vec<String> = sets
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = {}", value(2 + guards.len() + i)))
        .collect();
    let mut where_sql = vec![format!("{table}.{key_column} = {}", value(1))];
    where_sql.extend(
        guards
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{table}.{c} = {}", value(2 + i))),
    );
    (set_sql.join(", "), where_sql.join(" AND "))
}

/// SQLite allows 32,766 parameters per statement, PostgreSQL 65,535.
fn rows_per_statement(width: usize) -> usize {
    (30_000 / width.max(1)).max(1)
}

/// `(?, ?), (?, ?)` or `($1, $2), ($3, $4)` for `rows` rows of `width` values. SQLite binds
/// `?` by position; its `$N` names would be looked up one by one for every value, which is
/// quadratic in a statement with thousands of values.
pub(super) fn values_list(rows: usize, width: usize, positional: bool) -> String {
    use std::fmt::Write;
    let mut sql = String::with_capacity(rows * width * if positional { 3 } else { 7 });
    let mut n = 0;
    for i in 0..rows {
        sql.push_str(if i == 0 { "(" } else { ", (" });
        for j in 0..width {
            n += 1;
            if j > 0 {
                sql.push_str(", ");
            }
            if positional {
                sql.push('?');
            } else {
                let _ = write!(sql, "${n}");
            }
        }
        sql.push(')');
    }
    sql
}

/// `$1, $2, …` (or `?, ?, …` on SQLite) for `count` values, for `IN (…)` lists.
pub fn placeholders(conn: &sqlx::AnyConnection, count: usize) -> String {
    placeholders_from(conn, 1, count)
}

/// [`placeholders`] numbered from `first` (`$3, $4, …` after two other parameters).
pub fn placeholders_from(conn: &sqlx::AnyConnection, first: usize, count: usize) -> String {
    let positional = conn.backend_name() == "SQLite";
    (first..first + count)
        .map(|n| {
            if positional {
                "?".to_string()
            } else {
                format!("${n}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `rows` in chunks of at most `size`, by value.
fn chunks(rows: Vec<Vec<Val>>, size: usize) -> impl Iterator<Item = Vec<Vec<Val>>> {
    let mut rows = rows.into_iter().peekable();
    std::iter::from_fn(move || {
        rows.peek()?;
        Some(rows.by_ref().take(size).collect())
    })
}

/// The values of `rows` as one statement's arguments, moved in (the driver would copy a
/// borrowed string once more to hand it to its worker thread) into a list sized up front.
fn arguments(rows: Vec<Vec<Val>>, width: usize) -> Result<sqlx::any::AnyArguments<'static>> {
    use sqlx::Arguments;
    let mut args = sqlx::any::AnyArguments::default();
    args.reserve(rows.len() * width, 0);
    for row in rows {
        debug_assert_eq!(row.len(), width, "every row has one value per column");
        for v in row {
            match v {
                Val::Int(i) => args.add(i),
                Val::Text(s) => args.add(s),
                Val::NullText => args.add(None::<String>),
            }
            .map_err(sqlx::Error::Encode)?;
        }
    }
    Ok(args)
}
