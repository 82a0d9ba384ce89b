//! Money is `i64` fen (分, 1/100 yuan). No float ever touches it: amounts typed by customers are
//! parsed digit by digit, and every rate calculation rounds explicitly (see `deposit`).

use crate::{Error, Result};

/// `num / den` rounded half up, for a non-negative `num` and a positive `den`: every rate
/// calculation on money ends here, so each says where it rounds.
pub fn div_half_up(num: i128, den: i128) -> i128 {
    debug_assert!(num >= 0 && den > 0);
    (num + den / 2) / den
}

/// `¥1,234.56` (negative: `-¥1,234.56`).
pub fn format_yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    format!("{sign}¥{}", format_plain(fen.unsigned_abs()))
}

/// `1,234.56` without the currency sign.
fn format_plain(abs: u64) -> String {
    let (yuan, cents) = (abs / 100, abs % 100);
    let digits = yuan.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{grouped}.{cents:02}")
}

/// `1234.56` as in a form field or a CSV cell: no grouping, no sign for positive amounts.
pub fn format_decimal(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// The largest amount a customer may type: ¥9,999,999,999.99 (a value no account holds, but
/// small enough that sums of many never overflow `i64`).
pub const MAX_INPUT_FEN: i64 = 999_999_999_999;

/// Parses a positive yuan amount as typed: `1234`, `1234.5`, `1,234.56`, `¥1234.56`, `１２３４`
/// (full-width digits from Chinese keyboards). At most two decimals; never a float.
pub fn parse_yuan(input: &str) -> Result<i64> {
    let normalized: String = input
        .trim()
        .chars()
        .filter_map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            '．' | '。' => Some('.'),
            ',' | '，' | ' ' | '¥' | '￥' | '元' => None,
            c => Some(c),
        })
        .collect();
    let invalid = || Error::invalid(crate::Input::Amount, format!("not an amount: {input:?}"));
    if normalized.is_empty() {
        return Err(invalid());
    }
    let (whole, frac) = normalized.split_once('.').unwrap_or((&normalized, ""));
    if whole.is_empty() && frac.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 2
        || whole.len() > 10
    {
        return Err(invalid());
    }
    let yuan: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| invalid())?
    };
    let cents: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().map_err(|_| invalid())? * 10,
        _ => frac.parse().map_err(|_| invalid())?,
    };
    let fen = yuan * 100 + cents;
    if fen <= 0 || fen > MAX_INPUT_FEN {
        return Err(invalid());
    }
    Ok(fen)
}

const DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];

/// The amount in Chinese capitals (金额大写) as written on receipts and cheques:
/// 123456 → 壹仟贰佰叁拾肆元伍角陆分; 100 → 壹元整; 100_000_005 → 壹佰万元零伍分.
///
/// Rules (the usual financial convention): units 拾佰仟 within a group of four, groups 万 and
/// 亿; one 零 for any run of zeros between non-zero digits, none at the end of a group; 整 after
/// 元 or 角 when no fen follow; a zero yuan part is omitted when there are jiao or fen.
pub fn capitals(fen: i64) -> String {
    let negative = fen < 0;
    let abs = fen.unsigned_abs();
    let (yuan, jiao, cents) = (abs / 100, (abs / 10) % 10, abs % 10);
    let mut out = String::new();
    if negative {
        out.push('负');
    }
    if yuan > 0 {
        out.push_str(&integer_capitals(yuan));
        out.push('元');
    }
    match (jiao, cents) {
        (0, 0) => {
            if yuan == 0 {
                out.push_str("零元");
            }
            out.push('整');
        }
        (j, 0) => {
            out.push(DIGITS[j as usize]);
            out.push_str("角整");
        }
        (0, c) => {
            if yuan > 0 {
                out.push('零');
            }
            out.push(DIGITS[c as usize]);
            out.push('分');
        }
        (j, c) => {
            out.push(DIGITS[j as usize]);
            out.push('角');
            out.push(DIGITS[c as usize]);
            out.push('分');
        }
    }
    out
}

/// A positive whole number in capitals, with 万/亿 groups.
fn integer_capitals(mut n: u64) -> String {
    const UNITS: [&str; 4] = ["", "拾", "佰", "仟"];
    const GROUPS: [&str; 5] = ["", "万", "亿", "万亿", "亿亿"];
    let mut groups = Vec::new();
    while n > 0 {
        groups.push(n % 10_000);
        n /= 10_000;
    }
    let mut out = String::new();
    // A zero is owed when digits were skipped since the last written one.
    let mut zero_pending = false;
    for (gi, &group) in groups.iter().enumerate().rev() {
        if group == 0 {
            zero_pending = zero_pending || !out.is_empty();
            continue;
        }
        for pos in (0..4).rev() {
            let d = (group / 10u64.pow(pos as u32)) % 10;
            if d == 0 {
                zero_pending = zero_pending || !out.is_empty();
                continue;
            }
            if zero_pending {
                out.push('零');
                zero_pending = false;
            }
            out.push(DIGITS[d as usize]);
            out.push_str(UNITS[pos]);
        }
        // Trailing zeros of a group stay pending: the next non-zero digit writes one 零.
        out.push_str(GROUPS[gi]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_grouping_and_two_decimals() {
        assert_eq!(format_yuan(0), "¥0.00");
        assert_eq!(format_yuan(5), "¥0.05");
        assert_eq!(format_yuan(123_456), "¥1,234.56");
        assert_eq!(format_yuan(100_000_000), "¥1,000,000.00");
        assert_eq!(format_yuan(-99), "-¥0.99");
        assert_eq!(format_yuan(i64::MIN), "-¥92,233,720,368,547,758.08");
        assert_eq!(format_decimal(123_456), "1234.56");
        assert_eq!(format_decimal(-5), "-0.05");
    }

    #[test]
    fn parses_typed_amounts_without_floats() {
        assert_eq!(parse_yuan("1234").unwrap(), 123_400);
        assert_eq!(parse_yuan(" 1,234.5 ").unwrap(), 123_450);
        assert_eq!(parse_yuan("¥0.01").unwrap(), 1);
        assert_eq!(parse_yuan(".5").unwrap(), 50);
        assert_eq!(parse_yuan("１２３４．５６").unwrap(), 123_456);
        assert_eq!(parse_yuan("500元").unwrap(), 50_000);
        // 0.1 + 0.2 in floats is 0.30000000000000004; here it is exact.
        assert_eq!(parse_yuan("0.1").unwrap() + parse_yuan("0.2").unwrap(), 30);
        for bad in [
            "",
            "0",
            "0.00",
            "-5",
            "1.234",
            "abc",
            "1e5",
            "1.2.3",
            "12345678901",
            ".",
        ] {
            assert!(parse_yuan(bad).is_err(), "{bad:?} must be refused");
        }
        assert_eq!(parse_yuan("9999999999.99").unwrap(), MAX_INPUT_FEN);
    }

    #[test]
    fn capitals_follow_the_financial_convention() {
        let cases = [
            (123_456, "壹仟贰佰叁拾肆元伍角陆分"),
            (100, "壹元整"),
            (0, "零元整"),
            (5, "伍分"),
            (50, "伍角整"),
            (1_005, "壹拾元零伍分"),
            (10_050, "壹佰元伍角整"),
            (100_000_005, "壹佰万元零伍分"),
            (1_000_100, "壹万零壹元整"),
            (10_010_000, "壹拾万零壹佰元整"),
            (100_000_000_000, "壹拾亿元整"),
            (10_000_100_000, "壹亿零壹仟元整"),
            (20_000_000, "贰拾万元整"),
            (1_001_000_000, "壹仟零壹万元整"),
            (60_708, "陆佰零柒元零捌分"),
            (-100, "负壹元整"),
        ];
        for (fen, want) in cases {
            assert_eq!(capitals(fen), want, "{fen} fen");
        }
    }
}
