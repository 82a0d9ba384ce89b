//! SQLite through its C API on the calling thread, for the transfer writer's batches (and the
//! WAL checkpoints, which also sync the database file through it).
//!
//! sqlx runs every SQLite connection on a worker thread of its own: each statement is a
//! message to that thread and back, and each argument and row is copied into sqlx's
//! engine-neutral (`Any`) values on the way. For the group commit, one connection running a
//! chain of statements per batch, those hops and copies were about a third of the chain
//! (BENCHMARKS.md). Here the writer locks its connection's handle away from that
//! worker (sqlx's `lock_handle`) for the length of a batch and steps prepared statements
//! itself. Only what the batch needs: statements with integer and text parameters, rows of
//! integers and text.

use std::borrow::Cow;
use std::ffi::{c_int, CStr};
use std::marker::PhantomData;
use std::ptr::{null_mut, NonNull};

use libsqlite3_sys as ffi;
use sqlx::sqlite::{LockedSqliteHandle, SqliteConnection};

use super::Val;
use crate::{Error, Result};

/// A connection's handle, taken from sqlx's worker for as long as this lives.
pub(crate) struct Direct<'c> {
    // Held, never read: while it lives, sqlx's worker makes no call on this handle.
    _locked: LockedSqliteHandle<'c>,
    db: NonNull<ffi::sqlite3>,
}

impl<'c> Direct<'c> {
    /// Waits until sqlx's worker is done with the connection, then holds its handle.
    pub async fn lock(conn: &'c mut SqliteConnection) -> Result<Direct<'c>> {
        let mut locked = conn.lock_handle().await?;
        let db = locked.as_raw_handle();
        Ok(Direct {
            _locked: locked,
            db,
        })
    }

    /// Runs SQL that takes no parameters and returns no rows (`BEGIN IMMEDIATE`, `COMMIT`).
    pub fn execute(&self, sql: &str) -> Result<()> {
        let mut statement = self.prepare(sql)?;
        statement.run(&[], |_| Ok(())).map(|_| ())
    }

    /// Compiles one statement (`?` or `?N` parameters).
    pub fn prepare(&self, sql: &str) -> Result<Statement<'_>> {
        let length = c_int::try_from(sql.len())
            .map_err(|_| Error::Internal("statement too long for SQLite".into()))?;
        let mut stmt = null_mut();
        // SAFETY: the handle is open and ours alone while `self` lives; SQLite reads exactly
        // `length` bytes of `sql` and writes the new statement (or null) into `stmt`.
        let rc = unsafe {
            ffi::sqlite3_prepare_v2(
                self.db.as_ptr(),
                sql.as_ptr().cast(),
                length,
                &mut stmt,
                null_mut(),
            )
        };
        if rc != ffi::SQLITE_OK {
            return Err(self.error());
        }
        let stmt = NonNull::new(stmt)
            .ok_or_else(|| Error::Internal(format!("no statement in {sql:?}")))?;
        Ok(Statement {
            stmt,
            db: self.db,
            _direct: PhantomData,
        })
    }

    /// Makes the database file's written pages durable (an `fsync` through SQLite's own file
    /// handle: opening and closing the file ourselves would drop SQLite's POSIX locks on it).
    pub fn sync_database_file(&self) -> Result<()> {
        let mut file: *mut ffi::sqlite3_file = null_mut();
        // SAFETY: the handle is open and ours alone while `self` lives; for this operation
        // SQLite writes the main database's file object (owned by the connection) into `file`.
        let rc = unsafe {
            ffi::sqlite3_file_control(
                self.db.as_ptr(),
                c"main".as_ptr(),
                ffi::SQLITE_FCNTL_FILE_POINTER,
                (&raw mut file).cast(),
            )
        };
        if rc != ffi::SQLITE_OK {
            return Err(self.error());
        }
        // SAFETY: a non-null file object of the open connection, whose methods (if any) stay
        // valid while the connection is open; no other call uses the handle meanwhile.
        let rc = unsafe {
            match file
                .as_ref()
                .and_then(|f| f.pMethods.as_ref())
                .and_then(|m| m.xSync)
            {
                Some(sync) => sync(file, ffi::SQLITE_SYNC_NORMAL),
                // A file SQLite could not open has no methods, and nothing to sync.
                None => ffi::SQLITE_OK,
            }
        };
        if rc != ffi::SQLITE_OK {
            return Err(Error::Database(sqlx::Error::Database(Box::new(
                DirectError {
                    code: rc,
                    message: "cannot sync the database file".into(),
                },
            ))));
        }
        Ok(())
    }

    /// The connection's last error, as sqlx would report it (same codes: a busy database is
    /// retried like one met through sqlx, see [`super::is_retryable`]).
    fn error(&self) -> Error {
        error_of(self.db)
    }
}

fn error_of(db: NonNull<ffi::sqlite3>) -> Error {
    // SAFETY: the handle is open; the message is copied before any other call on it.
    let (code, message) = unsafe {
        let code = ffi::sqlite3_extended_errcode(db.as_ptr());
        let message = ffi::sqlite3_errmsg(db.as_ptr());
        let message = if message.is_null() {
            String::new()
        } else {
            CStr::from_ptr(message).to_string_lossy().into_owned()
        };
        (code, message)
    };
    Error::Database(sqlx::Error::Database(Box::new(DirectError {
        code,
        message,
    })))
}

/// A compiled statement of a [`Direct`] handle; finalized when dropped.
pub(crate) struct Statement<'d> {
    stmt: NonNull<ffi::sqlite3_stmt>,
    db: NonNull<ffi::sqlite3>,
    _direct: PhantomData<&'d Direct<'d>>,
}

impl Statement<'_> {
    /// Runs the statement once with `params` (one per parameter), handing each row it returns
    /// to `row`; returns how many rows it changed. The statement can run again afterwards.
    pub fn run(
        &mut self,
        params: &[Val],
        mut row: impl FnMut(&Row<'_>) -> Result<()>,
    ) -> Result<u64> {
        let stmt = self.stmt.as_ptr();
        // SAFETY: `stmt` is a live statement of the open handle, used by this thread alone.
        let wanted = unsafe { ffi::sqlite3_bind_parameter_count(stmt) };
        if usize::try_from(wanted).ok() != Some(params.len()) {
            return Err(Error::Internal(format!(
                "statement takes {wanted} parameters, got {}",
                params.len()
            )));
        }
        let outcome = self.bind(params).and_then(|()| loop {
            // SAFETY: as above.
            match unsafe { ffi::sqlite3_step(stmt) } {
                ffi::SQLITE_ROW => row(&Row {
                    stmt: self.stmt,
                    _statement: PhantomData,
                })?,
                // SAFETY: as above; counts the rows this statement changed.
                ffi::SQLITE_DONE => break Ok(unsafe { ffi::sqlite3_changes64(self.db.as_ptr()) }),
                _ => break Err(error_of(self.db)),
            }
        });
        // SAFETY: as above. Reset ends the run (releasing what it read) and clearing drops the
        // copies of the parameters; their result repeats the step's error, already taken.
        unsafe {
            ffi::sqlite3_reset(stmt);
            ffi::sqlite3_clear_bindings(stmt);
        }
        outcome.map(|changed| u64::try_from(changed).unwrap_or_default())
    }

    fn bind(&mut self, params: &[Val]) -> Result<()> {
        let stmt = self.stmt.as_ptr();
        for (i, value) in params.iter().enumerate() {
            let index = c_int::try_from(i + 1)
                .map_err(|_| Error::Internal("too many parameters for SQLite".into()))?;
            // SAFETY: `stmt` is live and ours; SQLITE_TRANSIENT makes SQLite copy the text
            // before the call returns, so the borrowed string need not outlive it.
            let rc = unsafe {
                match value {
                    Val::Int(n) => ffi::sqlite3_bind_int64(stmt, index, *n),
                    Val::Text(s) => ffi::sqlite3_bind_text64(
                        stmt,
                        index,
                        s.as_ptr().cast(),
                        s.len() as u64,
                        ffi::SQLITE_TRANSIENT(),
                        ffi::SQLITE_UTF8 as u8,
                    ),
                    Val::NullText => ffi::sqlite3_bind_null(stmt, index),
                }
            };
            if rc != ffi::SQLITE_OK {
                return Err(error_of(self.db));
            }
        }
        Ok(())
    }
}

impl Drop for Statement<'_> {
    fn drop(&mut self) {
        // SAFETY: the statement is live and finalized exactly once, here.
        unsafe {
            ffi::sqlite3_finalize(self.stmt.as_ptr());
        }
    }
}

/// The current row of a running [`Statement`].
pub(crate) struct Row<'s> {
    stmt: NonNull<ffi::sqlite3_stmt>,
    _statement: PhantomData<&'s ()>,
}

impl Row<'_> {
    fn column_type(&self, i: usize) -> Result<c_int> {
        let index = c_int::try_from(i).map_err(|_| Error::Internal(format!("column {i}")))?;
        // SAFETY: the statement is live and on a row.
        let count = unsafe { ffi::sqlite3_column_count(self.stmt.as_ptr()) };
        if index >= count {
            return Err(Error::Internal(format!("no column {i} of {count}")));
        }
        // SAFETY: as above, with an index in range.
        Ok(unsafe { ffi::sqlite3_column_type(self.stmt.as_ptr(), index) })
    }

    /// An integer column (not NULL).
    pub fn int(&self, i: usize) -> Result<i64> {
        match self.column_type(i)? {
            // SAFETY: in range (checked) and an integer, so no conversion happens.
            ffi::SQLITE_INTEGER => {
                Ok(unsafe { ffi::sqlite3_column_int64(self.stmt.as_ptr(), i as c_int) })
            }
            other => Err(Error::Internal(format!(
                "column {i} is of SQLite type {other}, not an integer"
            ))),
        }
    }

    /// A text column, `None` for NULL.
    pub fn text(&self, i: usize) -> Result<Option<String>> {
        match self.column_type(i)? {
            ffi::SQLITE_NULL => Ok(None),
            ffi::SQLITE_TEXT => {
                // SAFETY: in range (checked) and text; the pointer is valid for `bytes` bytes
                // until the next step or reset, and copied before either.
                let bytes = unsafe {
                    let text = ffi::sqlite3_column_text(self.stmt.as_ptr(), i as c_int);
                    let length = ffi::sqlite3_column_bytes(self.stmt.as_ptr(), i as c_int);
                    if text.is_null() {
                        &[][..]
                    } else {
                        std::slice::from_raw_parts(text, usize::try_from(length).unwrap_or(0))
                    }
                };
                String::from_utf8(bytes.to_vec())
                    .map(Some)
                    .map_err(|_| Error::Internal(format!("column {i} is not UTF-8")))
            }
            other => Err(Error::Internal(format!(
                "column {i} is of SQLite type {other}, not text"
            ))),
        }
    }
}

/// An error SQLite returned to a [`Direct`] call, with its extended result code.
#[derive(Debug)]
struct DirectError {
    code: c_int,
    message: String,
}

impl std::fmt::Display for DirectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "(code: {}) {}", self.code, self.message)
    }
}

impl std::error::Error for DirectError {}

impl sqlx::error::DatabaseError for DirectError {
    fn message(&self) -> &str {
        &self.message
    }

    fn code(&self) -> Option<Cow<'_, str>> {
        Some(self.code.to_string().into())
    }

    fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        self
    }

    fn kind(&self) -> sqlx::error::ErrorKind {
        use sqlx::error::ErrorKind;
        match self.code {
            ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                ErrorKind::UniqueViolation
            }
            ffi::SQLITE_CONSTRAINT_FOREIGNKEY => ErrorKind::ForeignKeyViolation,
            ffi::SQLITE_CONSTRAINT_NOTNULL => ErrorKind::NotNullViolation,
            ffi::SQLITE_CONSTRAINT_CHECK => ErrorKind::CheckViolation,
            _ => ErrorKind::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::WriterConnection;

    async fn writer(t: &crate::testing::TestDb) -> SqliteConnection {
        match t.db.writer_connection().await.unwrap() {
            WriterConnection::Sqlite(conn) => conn,
            WriterConnection::Postgres(_) => {
                panic!("SQLite's writer has a connection of its own type")
            }
        }
    }

    #[tokio::test]
    async fn parameters_bind_and_columns_read_back_by_type() {
        let t = crate::testing::sqlite().await;
        let mut conn = writer(&t).await;
        let direct = Direct::lock(&mut conn).await.unwrap();
        direct
            .execute("CREATE TABLE t (n BIGINT, s TEXT, maybe TEXT)")
            .unwrap();
        let mut insert = direct.prepare("INSERT INTO t VALUES (?, ?, ?)").unwrap();
        for (n, s) in [(-7, "王**"), (i64::MAX, "")] {
            let changed = insert
                .run(&[Val::Int(n), Val::Text(s.into()), Val::NullText], |_| {
                    Ok(())
                })
                .unwrap();
            assert_eq!(changed, 1);
        }
        // A wrong number of parameters is refused before anything runs.
        assert!(matches!(
            insert.run(&[Val::Int(1)], |_| Ok(())),
            Err(Error::Internal(_))
        ));
        let mut rows = Vec::new();
        direct
            .prepare("SELECT n, s, maybe FROM t ORDER BY n")
            .unwrap()
            .run(&[], |r| {
                rows.push((r.int(0)?, r.text(1)?, r.text(2)?));
                // Wrong type and out of range are errors, not zeros or panics.
                assert!(matches!(r.int(1), Err(Error::Internal(_))));
                assert!(matches!(r.text(0), Err(Error::Internal(_))));
                assert!(matches!(r.int(3), Err(Error::Internal(_))));
                Ok(())
            })
            .unwrap();
        assert_eq!(
            rows,
            vec![
                (-7, Some("王**".to_string()), None),
                (i64::MAX, Some(String::new()), None)
            ]
        );
        let changed = direct
            .prepare("UPDATE t SET s = ?1 WHERE n < ?2")
            .unwrap()
            .run(&[Val::Text("x".into()), Val::Int(0)], |_| Ok(()))
            .unwrap();
        assert_eq!(changed, 1, "only the rows the update changed");
        drop(insert);
        drop(direct);
        t.finish().await;
    }

    /// The way to SQLite's file object works (a wrong pointer or a missing method would crash
    /// or fail here), before and after the file has pages.
    #[tokio::test]
    async fn the_database_file_syncs_through_sqlites_handle() {
        let t = crate::testing::sqlite().await;
        let mut conn = writer(&t).await;
        let direct = Direct::lock(&mut conn).await.unwrap();
        direct.sync_database_file().unwrap();
        direct.execute("CREATE TABLE t (n BIGINT)").unwrap();
        direct.execute("INSERT INTO t VALUES (1)").unwrap();
        direct.sync_database_file().unwrap();
        drop(direct);
        drop(conn);
        t.finish().await;
    }

    #[tokio::test]
    async fn a_run_stopped_by_its_row_handler_ends_and_the_statement_runs_again() {
        let t = crate::testing::sqlite().await;
        let mut conn = writer(&t).await;
        let direct = Direct::lock(&mut conn).await.unwrap();
        direct.execute("CREATE TABLE t (n BIGINT)").unwrap();
        direct
            .execute("INSERT INTO t VALUES (1), (2), (3)")
            .unwrap();
        let mut select = direct.prepare("SELECT n FROM t ORDER BY n").unwrap();
        let mut seen = Vec::new();
        let stopped = select.run(&[], |r| {
            seen.push(r.int(0)?);
            Err(Error::Internal("stop".into()))
        });
        assert!(matches!(stopped, Err(Error::Internal(_))));
        assert_eq!(seen, vec![1]);
        // Reset: the read ended, so the next run starts from the first row again, and a
        // write transaction can begin and commit on the same handle.
        seen.clear();
        select
            .run(&[], |r| {
                seen.push(r.int(0)?);
                Ok(())
            })
            .unwrap();
        assert_eq!(seen, vec![1, 2, 3]);
        direct.execute("BEGIN IMMEDIATE").unwrap();
        direct.execute("DELETE FROM t").unwrap();
        direct.execute("COMMIT").unwrap();
        drop(select);
        drop(direct);
        t.finish().await;
    }

    /// Errors carry SQLite's extended codes as sqlx's would: a constraint is a unique
    /// violation and final, a database another connection is writing to is retried.
    #[tokio::test]
    async fn errors_carry_sqlites_codes_and_a_busy_database_is_retried() {
        let t = crate::testing::sqlite().await;
        sqlx::query("CREATE TABLE t (n BIGINT PRIMARY KEY)")
            .execute(t.db.pool())
            .await
            .unwrap();
        let mut conn = writer(&t).await;
        // Fail at once instead of waiting in SQLite's busy handler.
        sqlx::query("PRAGMA busy_timeout = 0")
            .execute(&mut conn)
            .await
            .unwrap();
        let direct = Direct::lock(&mut conn).await.unwrap();
        let mut insert = direct.prepare("INSERT INTO t VALUES (?)").unwrap();
        insert.run(&[Val::Int(1)], |_| Ok(())).unwrap();
        let twice = insert.run(&[Val::Int(1)], |_| Ok(())).unwrap_err();
        match &twice {
            Error::Database(sqlx::Error::Database(e)) => {
                assert_eq!(e.kind(), sqlx::error::ErrorKind::UniqueViolation);
                assert_eq!(e.code().as_deref(), Some("1555"));
                assert!(e.message().contains("UNIQUE"), "{}", e.message());
            }
            other => panic!("{other:?}"),
        }
        assert!(!twice.is_transient());

        let mut other = t.db.pool().acquire().await.unwrap();
        sqlx::query("BEGIN IMMEDIATE")
            .execute(&mut *other)
            .await
            .unwrap();
        let busy = direct.execute("BEGIN IMMEDIATE").unwrap_err();
        assert!(busy.is_transient(), "{busy:?}");
        sqlx::query("ROLLBACK").execute(&mut *other).await.unwrap();
        direct.execute("BEGIN IMMEDIATE").unwrap();
        direct.execute("ROLLBACK").unwrap();
        drop(insert);
        drop(direct);
        drop(other);
        t.finish().await;
    }
}
