//! The monthly statement (对账单) of one account: opening and closing balance, money in and out,
//! and every movement of the month in order, as CSV for spreadsheets (UTF-8 with a byte-order
//! mark, which Excel needs to read Chinese).

use sqlx::Row;

use super::Movement;
use crate::account::card;
use crate::clock::{beijing_datetime, days_from_civil, Millis, DAY};
use crate::db::get_i64;
use crate::money::format_decimal;
use crate::{Db, Error, Result};

/// A calendar month in Beijing time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    /// `2026-11`.
    pub fn parse(s: &str) -> Result<Month> {
        let invalid = || Error::invalid(crate::Input::Choice, format!("month {s:?}"));
        let (y, m) = s.trim().split_once('-').ok_or_else(invalid)?;
        let (year, month) = (
            y.parse::<i32>().map_err(|_| invalid())?,
            m.parse::<u32>().map_err(|_| invalid())?,
        );
        if !(2000..=2100).contains(&year) || !(1..=12).contains(&month) {
            return Err(invalid());
        }
        Ok(Month { year, month })
    }

    pub fn label(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// The month an instant falls in (Beijing time).
    pub fn of(at: Millis) -> Month {
        let d = crate::identity::Date::from_days((at + 8 * crate::clock::HOUR).div_euclid(DAY));
        Month {
            year: d.year,
            month: d.month,
        }
    }

    pub fn previous(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// `[start, end)` in Unix milliseconds.
    pub fn range(self) -> (Millis, Millis) {
        let start = |y: i32, m: u32| {
            days_from_civil(i64::from(y), i64::from(m), 1) * DAY - 8 * crate::clock::HOUR
        };
        let next = self.next();
        (start(self.year, self.month), start(next.year, next.month))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    pub month: Month,
    pub card_masked: String,
    pub opening: i64,
    pub closing: i64,
    pub total_in: i64,
    pub total_out: i64,
    /// Oldest first.
    pub lines: Vec<Movement>,
}

/// The statement of one of the customer's accounts; another customer's account is not found.
pub async fn monthly(
    db: &Db,
    customer_id: &str,
    account_id: &str,
    month: Month,
) -> Result<Statement> {
    let account = sqlx::query("SELECT card_no FROM accounts WHERE id = $1 AND customer_id = $2")
        .bind(account_id)
        .bind(customer_id)
        .fetch_optional(db.pool())
        .await?
        .ok_or_else(|| Error::NotFound(format!("account {account_id}")))?;
    let card_no: String = account.try_get("card_no")?;
    let (start, end) = month.range();
    let opening = sqlx::query(
        "SELECT balance_after FROM postings WHERE account_id = $1 AND created_at < $2 \
         ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(account_id)
    .bind(start)
    .fetch_optional(db.pool())
    .await?
    .map(|r| get_i64(&r, "balance_after"))
    .transpose()?
    .unwrap_or(0);
    let rows = sqlx::query(
        "SELECT p.entry_id, e.kind, p.amount, p.balance_after, p.counterparty, p.memo, p.created_at \
         FROM postings p JOIN journal_entries e ON e.id = p.entry_id \
         WHERE p.account_id = $1 AND p.created_at >= $2 AND p.created_at < $3 \
         ORDER BY p.created_at, p.id",
    )
    .bind(account_id)
    .bind(start)
    .bind(end)
    .fetch_all(db.pool())
    .await?;
    let lines = rows
        .iter()
        .map(super::history::movement_from_row)
        .collect::<Result<Vec<_>>>()?;
    Ok(Statement::new(month, card::mask(&card_no), opening, lines))
}

impl Statement {
    /// A statement from its opening balance and the month's movements (oldest first): the
    /// totals and the closing balance follow from them.
    pub fn new(month: Month, card_masked: String, opening: i64, lines: Vec<Movement>) -> Statement {
        let total_in = lines
            .iter()
            .filter(|l| l.amount > 0)
            .map(|l| l.amount)
            .sum();
        let total_out = -lines
            .iter()
            .filter(|l| l.amount < 0)
            .map(|l| l.amount)
            .sum::<i64>();
        let closing = lines.last().map_or(opening, |l| l.balance_after);
        debug_assert_eq!(
            opening + total_in - total_out,
            closing,
            "a statement adds up"
        );
        Statement {
            month,
            card_masked,
            opening,
            closing,
            total_in,
            total_out,
            lines,
        }
    }
}

/// Money in and out of one account in one month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MonthFlow {
    pub month: Month,
    pub total_in: i64,
    pub total_out: i64,
}

/// In and out per month for the `count` months ending with `last` (oldest first), for the
/// income/spending chart. Another customer's account is not found.
pub async fn monthly_flows(
    db: &Db,
    customer_id: &str,
    account_id: &str,
    last: Month,
    count: usize,
) -> Result<Vec<MonthFlow>> {
    sqlx::query("SELECT id FROM accounts WHERE id = $1 AND customer_id = $2")
        .bind(account_id)
        .bind(customer_id)
        .fetch_optional(db.pool())
        .await?
        .ok_or_else(|| Error::NotFound(format!("account {account_id}")))?;
    let mut months = vec![last];
    while months.len() < count {
        let earlier = months[months.len() - 1].previous();
        months.push(earlier);
    }
    months.reverse();
    let mut flows = Vec::with_capacity(months.len());
    for month in months {
        let (start, end) = month.range();
        // SUM of BIGINT is NUMERIC on PostgreSQL: cast back so both engines return i64.
        let row = sqlx::query(
            "SELECT CAST(COALESCE(SUM(CASE WHEN amount > 0 THEN amount ELSE 0 END), 0) AS BIGINT) AS total_in, \
                    CAST(COALESCE(SUM(CASE WHEN amount < 0 THEN -amount ELSE 0 END), 0) AS BIGINT) AS total_out \
             FROM postings WHERE account_id = $1 AND created_at >= $2 AND created_at < $3",
        )
        .bind(account_id)
        .bind(start)
        .bind(end)
        .fetch_one(db.pool())
        .await?;
        flows.push(MonthFlow {
            month,
            total_in: get_i64(&row, "total_in")?,
            total_out: get_i64(&row, "total_out")?,
        });
    }
    Ok(flows)
}

/// A CSV cell: quoted when it holds a comma, quote or line break; a leading `=`, `+`, `-` or
/// `@` is prefixed with `'` so a spreadsheet never runs it as a formula.
fn cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

impl Statement {
    /// The statement as CSV: a summary block, then one line per movement.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("\u{feff}");
        out.push_str(&format!("账户,{}\r\n", cell(&self.card_masked)));
        out.push_str(&format!("月份,{}\r\n", self.month.label()));
        out.push_str(&format!("期初余额,{}\r\n", format_decimal(self.opening)));
        out.push_str(&format!("收入合计,{}\r\n", format_decimal(self.total_in)));
        out.push_str(&format!("支出合计,{}\r\n", format_decimal(self.total_out)));
        out.push_str(&format!("期末余额,{}\r\n", format_decimal(self.closing)));
        out.push_str("\r\n交易时间,摘要,对方,收入,支出,余额\r\n");
        for l in &self.lines {
            let (inflow, outflow) = if l.amount > 0 {
                (format_decimal(l.amount), String::new())
            } else {
                (String::new(), format_decimal(-l.amount))
            };
            out.push_str(&format!(
                "{},{},{},{},{},{}\r\n",
                beijing_datetime(l.created_at),
                cell(&l.memo),
                cell(&l.counterparty),
                inflow,
                outflow,
                format_decimal(l.balance_after)
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_and_cover_beijing_calendar_months() {
        let m = Month::parse("2027-01").unwrap();
        let (start, end) = m.range();
        assert_eq!(beijing_datetime(start), "2027-01-01 00:00");
        assert_eq!(beijing_datetime(end), "2027-02-01 00:00");
        assert_eq!(Month::of(start), m);
        assert_eq!(Month::of(start - 1), Month::parse("2026-12").unwrap());
        assert_eq!(m.previous().label(), "2026-12");
        assert_eq!(m.previous().next(), m);
        assert_eq!(Month::parse("2026-12").unwrap().next(), m);
        for bad in ["2027", "2027-13", "2027-00", "x-1", "1999-05"] {
            assert!(Month::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn csv_cells_are_quoted_and_never_formulas() {
        assert_eq!(cell("饭钱"), "饭钱");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(cell("-5"), "'-5");
    }
}
