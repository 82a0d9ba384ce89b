//! 养老金测算: an estimate of the monthly basic pension of the enterprise employees' basic
//! pension insurance, by the formula of 国务院《关于完善企业职工基本养老保险制度的决定》
//! (国发〔2005〕38号):
//!
//! * 基础养老金 = (W + W × I) ÷ 2 × N × 1%, where W is the average monthly wage the province
//!   publishes as the pension base (计发基数) for the year of retirement, I the customer's
//!   average contribution index (平均缴费指数, 0.6–3), N the years contributed (months count as
//!   twelfths);
//! * 个人账户养老金 = the personal account's balance ÷ the months divisor (计发月数) for the age
//!   at retirement, from the decision's appendix (139 at 60, 170 at 55, 195 at 50);
//! * the estimate is their sum. Transitional pensions for years before 1996 (过渡性养老金)
//!   depend on each province's own rules and are not included: the page says so.
//!
//! Everything is integer arithmetic in fen; each part is rounded half up to the fen once, at the
//! end, and the total is the sum of the rounded parts (what a pension slip shows).

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// 计发月数 by age at retirement, 40 to 70 (国发〔2005〕38号, appendix).
const MONTHS_DIVISOR: [(u32, i64); 31] = [
    (40, 233),
    (41, 230),
    (42, 226),
    (43, 223),
    (44, 220),
    (45, 216),
    (46, 212),
    (47, 207),
    (48, 204),
    (49, 199),
    (50, 195),
    (51, 190),
    (52, 185),
    (53, 180),
    (54, 175),
    (55, 170),
    (56, 164),
    (57, 158),
    (58, 152),
    (59, 145),
    (60, 139),
    (61, 132),
    (62, 125),
    (63, 117),
    (64, 109),
    (65, 101),
    (66, 93),
    (67, 84),
    (68, 75),
    (69, 65),
    (70, 56),
];

/// The months divisor for an age at retirement, if the table has that age.
pub fn months_divisor(age: u32) -> Option<i64> {
    MONTHS_DIVISOR
        .iter()
        .find(|(a, _)| *a == age)
        .map(|(_, m)| *m)
}

/// At least 15 years of contributions for a monthly pension (社会保险法 第十六条).
pub const MIN_MONTHS: i64 = 15 * 12;

/// What the estimate needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PensionInput {
    /// The province's published average monthly wage for pension purposes (fen).
    pub average_wage: i64,
    /// The average contribution index in hundredths (1.00 → 100), 60 to 300.
    pub index_hundredths: i64,
    /// Months of contributions.
    pub months: i64,
    /// The personal account's balance at retirement (fen).
    pub personal_account: i64,
    /// Age at retirement, 40 to 70.
    pub retirement_age: u32,
}

/// The estimate, part by part, with what went into it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PensionEstimate {
    pub basic: i64,
    pub personal: i64,
    pub total: i64,
    /// W × I: the customer's indexed average monthly wage (fen).
    pub indexed_wage: i64,
    pub months_divisor: i64,
    /// Fewer than 15 years: no monthly pension yet (the figure is what it would be).
    pub short_of_minimum: bool,
}

/// Integer division rounded half up, for non-negative numbers (the pension's figures fit `i64`).
fn div_half_up(num: i128, den: i128) -> i64 {
    crate::money::div_half_up(num, den) as i64
}

/// The estimate; refuses inputs outside the formula's range with the field's name.
pub fn estimate(i: &PensionInput) -> Result<PensionEstimate> {
    use crate::Input;
    let invalid = |input: Input, what: &str| Error::invalid(input, format!("pension {what}"));
    if !(1..=100_000_000).contains(&i.average_wage) {
        return Err(invalid(Input::PensionWage, "average wage"));
    }
    if !(60..=300).contains(&i.index_hundredths) {
        return Err(invalid(Input::PensionIndex, "contribution index"));
    }
    if !(1..=50 * 12).contains(&i.months) {
        return Err(invalid(Input::PensionYears, "months"));
    }
    if !(0..=10_000_000_000).contains(&i.personal_account) {
        return Err(invalid(Input::PensionAccount, "personal account"));
    }
    let divisor = months_divisor(i.retirement_age)
        .ok_or_else(|| invalid(Input::PensionAge, "retirement age"))?;
    let w = i128::from(i.average_wage);
    // (W + W × I/100) / 2 × (months / 12) × 1/100
    let basic = div_half_up(
        w * i128::from(100 + i.index_hundredths) * i128::from(i.months),
        2 * 100 * 12 * 100,
    );
    let personal = div_half_up(i128::from(i.personal_account), i128::from(divisor));
    let total = basic + personal;
    debug_assert!(total >= basic && total >= personal);
    Ok(PensionEstimate {
        basic,
        personal,
        total,
        indexed_wage: div_half_up(w * i128::from(i.index_hundredths), 100),
        months_divisor: divisor,
        short_of_minimum: i.months < MIN_MONTHS,
    })
}

/// Reads an index typed as "1", "0.8" or "1.25" into hundredths.
pub fn parse_index(s: &str) -> Result<i64> {
    let s = s.trim();
    let bad = || {
        Error::invalid(
            crate::Input::PensionIndex,
            "pension contribution index".into(),
        )
    };
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty() || whole.len() > 1 || frac.len() > 2 {
        return Err(bad());
    }
    if !whole
        .chars()
        .chain(frac.chars())
        .all(|c| c.is_ascii_digit())
    {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let frac: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
    Ok(whole * 100 + frac)
}

#[cfg(test)]
// Amounts in the worked examples are written yuan_fen (2_400_00 = ¥2,400.00).
#[allow(clippy::inconsistent_digit_grouping)]
mod tests {
    use super::*;

    fn input(wage_yuan: i64, index: i64, months: i64, account_yuan: i64, age: u32) -> PensionInput {
        PensionInput {
            average_wage: wage_yuan * 100,
            index_hundredths: index,
            months,
            personal_account: account_yuan * 100,
            retirement_age: age,
        }
    }

    /// Worked by hand from the 国发〔2005〕38号 formula: W = ¥8,000, I = 1.0, 30 years,
    /// ¥150,000 in the personal account, retiring at 60:
    /// basic = (8000 + 8000) / 2 × 30 × 1% = 2400.00; personal = 150000 / 139 = 1079.136… →
    /// 1079.14; total 3479.14.
    #[test]
    fn thirty_years_at_the_average_wage_retiring_at_sixty() {
        let e = estimate(&input(8_000, 100, 360, 150_000, 60)).unwrap();
        assert_eq!(e.basic, 2_400_00);
        assert_eq!(e.personal, 1_079_14);
        assert_eq!(e.total, 3_479_14);
        assert_eq!(e.months_divisor, 139);
        assert_eq!(e.indexed_wage, 8_000_00);
        assert!(!e.short_of_minimum);
    }

    /// W = ¥7,000, I = 0.8, 25 years 6 months, ¥98,000, retiring at 55:
    /// basic = (7000 + 5600) / 2 × 25.5 × 1% = 1606.50; personal = 98000 / 170 = 576.470… →
    /// 576.47; total 2182.97.
    #[test]
    fn partial_years_a_lower_index_and_retiring_at_fifty_five() {
        let e = estimate(&input(7_000, 80, 306, 98_000, 55)).unwrap();
        assert_eq!(e.basic, 1_606_50);
        assert_eq!(e.personal, 576_47);
        assert_eq!(e.total, 2_182_97);
        assert_eq!(e.indexed_wage, 5_600_00);
    }

    /// W = ¥6,500, I = 0.6 (the floor), 15 years exactly, ¥30,000, retiring at 50:
    /// basic = (6500 + 3900) / 2 × 15 × 1% = 780.00; personal = 30000 / 195 = 153.846… →
    /// 153.85; total 933.85. One month less is short of the 15-year minimum.
    #[test]
    fn the_minimum_fifteen_years() {
        let e = estimate(&input(6_500, 60, 180, 30_000, 50)).unwrap();
        assert_eq!((e.basic, e.personal, e.total), (780_00, 153_85, 933_85));
        assert!(!e.short_of_minimum);
        assert!(
            estimate(&input(6_500, 60, 179, 30_000, 50))
                .unwrap()
                .short_of_minimum
        );
    }

    #[test]
    fn half_fen_rounds_up_once_per_part() {
        // 9,661 fen / 139 = 69.50… fen → 70; 138 fen / 139 = 0.99… → 1.
        let mut i = input(8_000, 100, 360, 0, 60);
        i.personal_account = 69 * 139 + 70;
        assert_eq!(estimate(&i).unwrap().personal, 70);
        i.personal_account = 138;
        assert_eq!(estimate(&i).unwrap().personal, 1);
    }

    #[test]
    fn the_divisor_table_falls_as_age_rises() {
        assert_eq!(months_divisor(50), Some(195));
        assert_eq!(months_divisor(55), Some(170));
        assert_eq!(months_divisor(60), Some(139));
        assert_eq!(months_divisor(39), None);
        assert_eq!(months_divisor(71), None);
        for w in MONTHS_DIVISOR.windows(2) {
            assert_eq!(w[1].0, w[0].0 + 1);
            assert!(w[1].1 < w[0].1);
        }
    }

    #[test]
    fn out_of_range_inputs_are_refused() {
        assert!(estimate(&input(8_000, 59, 360, 0, 60)).is_err());
        assert!(estimate(&input(8_000, 301, 360, 0, 60)).is_err());
        assert!(estimate(&input(0, 100, 360, 0, 60)).is_err());
        assert!(estimate(&input(8_000, 100, 0, 0, 60)).is_err());
        assert!(estimate(&input(8_000, 100, 360, 0, 75)).is_err());
        assert!(estimate(&input(8_000, 100, 360, -1, 60)).is_err());
    }

    #[test]
    fn indexes_parse_to_hundredths() {
        assert_eq!(parse_index("1").unwrap(), 100);
        assert_eq!(parse_index("0.8").unwrap(), 80);
        assert_eq!(parse_index(" 1.25 ").unwrap(), 125);
        for bad in ["", ".5", "1.234", "12", "a", "1,2", "-1"] {
            assert!(parse_index(bad).is_err(), "{bad:?}");
        }
    }
}
