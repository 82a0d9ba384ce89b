//! The monthly statement (对账单) as a printable PDF: the account and month, a summary box
//! (opening, in, out, closing), then every movement in a table that continues over as many
//! A4 pages as the month needs, each page numbered and with the table header repeated.

use domain::account::Account;
use domain::clock::beijing_datetime;
use domain::ledger::statement::Statement;
use domain::money::format_decimal;

use super::pdf::{fit, Align, Page, Tone, MARGIN, PAGE_HEIGHT, PAGE_WIDTH};

const ROW: f32 = 17.0;
const BODY: f32 = 9.0;
const RIGHT: f32 = PAGE_WIDTH - MARGIN;
/// Right edges of the three amount columns; the details column ends before the first.
const COL_IN: f32 = RIGHT - 150.0;
const COL_OUT: f32 = RIGHT - 75.0;
const COL_DETAILS: f32 = MARGIN + 92.0;
const LAST_ROW_Y: f32 = PAGE_HEIGHT - MARGIN - 30.0;

fn table_header(page: &mut Page, y: f32) -> f32 {
    page.band(y - 12.0, 18.0);
    let label = |page: &mut Page, x: f32, align: Align, text: &str| {
        page.styled(x, y, BODY, align, Tone::Ink, text);
    };
    label(page, MARGIN + 4.0, Align::Left, "交易时间 Time");
    label(page, COL_DETAILS, Align::Left, "摘要 / 对方 Details");
    label(page, COL_IN, Align::Right, "收入 In");
    label(page, COL_OUT, Align::Right, "支出 Out");
    label(page, RIGHT - 4.0, Align::Right, "余额 Balance");
    y + ROW
}

pub fn layout(s: &Statement, account: &Account, printed: &str) -> Vec<Page> {
    let mut pages = Vec::new();
    let mut page = Page::default();
    let mut y = 72.0;
    page.styled(
        MARGIN,
        y,
        20.0,
        Align::Left,
        Tone::Ink,
        "账户对账单 Account statement",
    );
    page.styled(
        RIGHT,
        y,
        11.0,
        Align::Right,
        Tone::Muted,
        account.bank_name.clone(),
    );
    y += 26.0;
    for (label, value) in [
        ("户名 Holder", account.owner_name_masked.clone()),
        ("卡号 Card", s.card_masked.clone()),
        ("月份 Month", s.month.label()),
    ] {
        page.styled(MARGIN, y, 10.0, Align::Left, Tone::Muted, label);
        page.text(MARGIN + 90.0, y, 10.0, value);
        y += 16.0;
    }
    y += 8.0;
    page.band(y, 46.0);
    let quarter = (PAGE_WIDTH - 2.0 * MARGIN) / 4.0;
    for (i, (label, fen)) in [
        ("期初余额 Opening", s.opening),
        ("收入合计 Total in", s.total_in),
        ("支出合计 Total out", s.total_out),
        ("期末余额 Closing", s.closing),
    ]
    .into_iter()
    .enumerate()
    {
        let x = MARGIN + 10.0 + quarter * i as f32;
        page.styled(x, y + 17.0, 8.5, Align::Left, Tone::Muted, label);
        page.styled(
            x,
            y + 35.0,
            12.0,
            Align::Left,
            Tone::Ink,
            format_decimal(fen),
        );
    }
    y += 46.0 + 28.0;
    y = table_header(&mut page, y);

    if s.lines.is_empty() {
        page.styled(
            MARGIN + 4.0,
            y,
            BODY,
            Align::Left,
            Tone::Muted,
            "本月没有交易 No movements this month",
        );
    }
    let details_width = COL_IN - 72.0 - COL_DETAILS;
    for line in &s.lines {
        if y > LAST_ROW_Y {
            pages.push(std::mem::take(&mut page));
            y = table_header(&mut page, MARGIN + 24.0);
        }
        let details = match (line.memo.is_empty(), line.counterparty.is_empty()) {
            (false, false) => format!("{} · {}", line.memo, line.counterparty),
            (false, true) => line.memo.clone(),
            (true, _) => line.counterparty.clone(),
        };
        let (inflow, outflow) = if line.amount > 0 {
            (format_decimal(line.amount), String::new())
        } else {
            (String::new(), format_decimal(-line.amount))
        };
        page.text(MARGIN + 4.0, y, BODY, beijing_datetime(line.created_at));
        page.text(COL_DETAILS, y, BODY, fit(&details, details_width, BODY));
        page.styled(COL_IN, y, BODY, Align::Right, Tone::Accent, inflow);
        page.styled(COL_OUT, y, BODY, Align::Right, Tone::Ink, outflow);
        page.styled(
            RIGHT - 4.0,
            y,
            BODY,
            Align::Right,
            Tone::Ink,
            format_decimal(line.balance_after),
        );
        page.rule(y + 6.0, 0.2);
        y += ROW;
    }
    pages.push(page);

    let count = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        let foot = PAGE_HEIGHT - MARGIN + 10.0;
        page.styled(
            MARGIN,
            foot,
            8.5,
            Align::Left,
            Tone::Muted,
            format!("打印时间 Printed {printed} · 金额单位：人民币元 Amounts in CNY"),
        );
        page.styled(
            RIGHT,
            foot,
            8.5,
            Align::Right,
            Tone::Muted,
            format!("第 {} / {} 页 Page {} of {}", i + 1, count, i + 1, count),
        );
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::pdf::Mark;
    use domain::account::AccountClass;
    use domain::ledger::statement::Month;
    use domain::ledger::Movement;

    fn account() -> Account {
        Account {
            id: "a1".into(),
            customer_id: "c1".into(),
            bank_code: "B001".into(),
            class: AccountClass::One,
            card_no: "6230010000000000001".into(),
            label: String::new(),
            balance: 0,
            frozen: 0,
            status: "active".into(),
            opened_at: 0,
            out_today: 0,
            owner_name_masked: "王**".into(),
            bank_name: "章丘农商银行".into(),
        }
    }

    fn statement(lines: usize) -> Statement {
        let month = Month::parse("2026-10").unwrap();
        let (start, _) = month.range();
        let mut balance = 100_000;
        let lines = (0..lines)
            .map(|i| {
                let amount = if i % 3 == 0 { 12_345 } else { -2_000 };
                balance += amount;
                Movement {
                    entry_id: format!("e{i}"),
                    kind: "transfer".into(),
                    amount,
                    balance_after: balance,
                    counterparty: "*静".into(),
                    memo: if i == 1 {
                        "很长的附言".repeat(10)
                    } else {
                        "工资".into()
                    },
                    created_at: start + i as i64 * 60_000,
                }
            })
            .collect::<Vec<_>>();
        Statement::new(month, "6230 **** **** ***0 001".into(), 100_000, lines)
    }

    fn texts(page: &Page) -> Vec<&str> {
        page.marks
            .iter()
            .filter_map(|m| match m {
                Mark::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_long_month_continues_over_numbered_pages_with_every_movement() {
        let s = statement(100);
        let pages = layout(&s, &account(), "2026-11-27 10:00");
        assert!(pages.len() >= 3, "{} pages", pages.len());
        let count = pages.len();
        let mut balances = Vec::new();
        for (i, page) in pages.iter().enumerate() {
            let t = texts(page);
            assert!(
                t.contains(&"余额 Balance"),
                "header repeated on page {}",
                i + 1
            );
            let label = format!("第 {} / {count} 页 Page {} of {count}", i + 1, i + 1);
            assert!(t.contains(&label.as_str()), "{label}");
            balances.extend(page.marks.iter().filter_map(|m| match m {
                Mark::Text { x, text, .. } if *x == RIGHT - 4.0 && text != "余额 Balance" => {
                    Some(text.clone())
                }
                _ => None,
            }));
        }
        let expected: Vec<String> = s
            .lines
            .iter()
            .map(|l| format_decimal(l.balance_after))
            .collect();
        assert_eq!(balances, expected, "every movement once, in order");
        let first = texts(&pages[0]);
        for summary in [
            format_decimal(s.opening),
            format_decimal(s.closing),
            format_decimal(s.total_in),
        ] {
            assert!(first.contains(&summary.as_str()), "{summary}");
        }
    }

    #[test]
    fn rows_stay_inside_their_columns_and_the_page() {
        for page in layout(&statement(60), &account(), "x") {
            for mark in &page.marks {
                if let (Mark::Text { x, y, text, .. }, Some((left, right))) =
                    (mark, mark.text_extent())
                {
                    assert!(
                        left >= MARGIN - 0.5 && right <= RIGHT + 0.5,
                        "{text:?} off the page"
                    );
                    assert!(*y <= PAGE_HEIGHT - MARGIN + 10.0, "{text:?} too low");
                    if *x == COL_DETAILS && *y > 200.0 && !text.contains("Details") {
                        assert!(right <= COL_IN - 60.0, "{text:?} runs into the amounts");
                    }
                }
            }
        }
    }

    #[test]
    fn an_empty_month_says_so() {
        let pages = layout(&statement(0), &account(), "x");
        assert_eq!(pages.len(), 1);
        assert!(texts(&pages[0]).contains(&"本月没有交易 No movements this month"));
    }
}
