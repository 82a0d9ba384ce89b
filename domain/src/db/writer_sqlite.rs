//! Writing a batch through SQLite's handle (`direct`): each row is one run of a prepared
//! single-row statement, kept prepared from batch to batch, instead of a multi-row statement
//! compiled afresh for every batch's size.

use std::collections::HashSet;

use super::bulk::{compare_and_set, values_list, Val};
use super::direct;
use super::writer::Writer;
use crate::{Error, Result};

impl Writer for direct::Direct<'_> {
    async fn insert_rows(&mut self, table: &str, rows: Vec<Vec<Val>>, suffix: &str) -> Result<()> {
        direct_inserts(self, table, &rows, suffix).map(|_| ())
    }

    /// Tells a written row by the count of rows changed, not by `RETURNING`: SQLite buffers
    /// a `RETURNING` clause's rows in a temporary table, set up and torn down by every run of
    /// the statement (in the bench, half of the writer's 70,000 page-cache tear-downs a
    /// second; throughput the same within the noise).
    async fn insert_new(
        &mut self,
        table: &str,
        rows: Vec<Vec<Val>>,
        unique: &str,
    ) -> Result<HashSet<String>> {
        let written = direct_inserts(
            self,
            table,
            &rows,
            &format!("ON CONFLICT ({unique}) DO NOTHING"),
        )?;
        rows.into_iter()
            .zip(written)
            .filter(|(_, changed)| *changed > 0)
            .map(|(row, _)| match row.into_iter().next() {
                Some(Val::Text(id)) => Ok(id),
                _ => Err(Error::Internal(format!(
                    "{table}: a row's first value is not its id"
                ))),
            })
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
        // One row's values are the statement's parameters, in order.
        let (set_sql, where_sql) =
            compare_and_set(table, key_column, guards, sets, |n| format!("?{n}"));
        let mut update =
            self.prepare(&format!("UPDATE {table} SET {set_sql} WHERE {where_sql}"))?;
        let mut changed = 0;
        for row in &rows {
            changed += update.run(row, |_| Ok(()))?;
        }
        Ok(changed)
    }

    async fn delete_by_id(&mut self, table: &str, ids: Vec<String>) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let mut delete = self.prepare(&format!("DELETE FROM {table} WHERE id = ?"))?;
        for id in ids {
            delete.run(&[Val::Text(id)], |_| Ok(()))?;
        }
        Ok(())
    }
}

/// Runs one prepared single-row insert per row through SQLite's handle; returns how many rows
/// each run changed.
fn direct_inserts(
    direct: &direct::Direct<'_>,
    table: &str,
    rows: &[Vec<Val>],
    suffix: &str,
) -> Result<Vec<u64>> {
    let Some(width) = rows.first().map(Vec::len) else {
        return Ok(Vec::new());
    };
    let mut insert = direct.prepare(&format!(
        "INSERT INTO {table} VALUES {} {suffix}",
        values_list(1, width, true)
    ))?;
    rows.iter().map(|row| insert.run(row, |_| Ok(()))).collect()
}
