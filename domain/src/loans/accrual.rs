//! Interest by the day and how a payment is shared out, exact in fen.
//!
//! A credit line's interest and a term loan's penalty interest accrue day by day: a day's
//! interest is the balance × the annual rate ÷ 360, rounded half up to the fen, and `n` days
//! on an unchanged balance are `n` such days. So what is owed does not depend on how often the
//! servicing run looked at the loan, only on the balances and the days.
//!
//! A payment pays the oldest instalment first and, within one, penalty interest, then
//! interest, then principal (the order the People's Bank's rules and the contract state).

use super::book::Due;
use crate::money::div_half_up;

/// One day's interest on `balance` at `rate_bp` a year, rounded half up.
pub fn daily_interest(balance: i64, rate_bp: i64) -> i64 {
    if balance <= 0 || rate_bp <= 0 {
        return 0;
    }
    div_half_up(i128::from(balance) * i128::from(rate_bp), 360 * 10_000) as i64
}

/// Interest for `days` days on an unchanged balance.
pub fn interest_for_days(balance: i64, rate_bp: i64, days: i64) -> i64 {
    daily_interest(balance, rate_bp).saturating_mul(days.max(0))
}

/// Brings an instalment's penalty interest up to `today`: overdue principal earns the penalty
/// rate from the day after it fell due, once the grace days have passed without it being paid
/// (paid within the grace days, nothing is charged). Whether it changed.
pub fn accrue_penalty(due: &mut Due, today: i64, penalty_bp: i64, grace_days: i64) -> bool {
    if due.paid_day.is_some() || due.principal_owed() <= 0 || today <= due.due_day + grace_days {
        return false;
    }
    let from = due.penalty_to_day.max(due.due_day);
    if today <= from {
        return false;
    }
    due.penalty += interest_for_days(due.principal_owed(), penalty_bp, today - from);
    due.penalty_to_day = today;
    true
}

/// What one payment did to one instalment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Share {
    pub number: u32,
    pub principal: i64,
    pub interest: i64,
    pub penalty: i64,
}

/// Shares `amount` out over `dues` (oldest first): penalty, interest, principal of each in
/// turn, changing what is paid of them. Marks an instalment paid on `today` when nothing of it
/// is left. Returns the shares and what was left of the amount.
pub fn allocate(dues: &mut [Due], mut amount: i64, today: i64) -> (Vec<Share>, i64) {
    let mut shares = Vec::new();
    for due in dues.iter_mut() {
        if amount <= 0 {
            break;
        }
        if due.paid_day.is_some() {
            continue;
        }
        let mut share = Share {
            number: due.number,
            ..Share::default()
        };
        let take = |owed: i64, amount: &mut i64| {
            let t = owed.min(*amount).max(0);
            *amount -= t;
            t
        };
        share.penalty = take(due.penalty - due.paid_penalty, &mut amount);
        share.interest = take(due.interest - due.paid_interest, &mut amount);
        share.principal = take(due.principal - due.paid_principal, &mut amount);
        due.paid_penalty += share.penalty;
        due.paid_interest += share.interest;
        due.paid_principal += share.principal;
        if due.outstanding() == 0 {
            due.paid_day = Some(today);
        }
        if share.penalty + share.interest + share.principal > 0 {
            shares.push(share);
        }
    }
    (shares, amount)
}

/// The parts of a payment summed: principal to the loan's account, the rest to the bank's
/// interest income.
pub fn totals(shares: &[Share]) -> (i64, i64) {
    shares.iter().fold((0, 0), |(p, i), s| {
        (p + s.principal, i + s.interest + s.penalty)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn due(number: u32, due_day: i64, principal: i64, interest: i64) -> Due {
        Due {
            number,
            month: number,
            due_day,
            principal,
            interest,
            paid_principal: 0,
            paid_interest: 0,
            penalty: 0,
            paid_penalty: 0,
            penalty_to_day: 0,
            paid_day: None,
        }
    }

    #[test]
    fn a_day_of_interest_is_rounded_half_up_and_days_multiply_it() {
        // ¥100,000 at 4.35 %: 100,000 × 0.0435 / 360 = ¥12.083… → ¥12.08 a day.
        assert_eq!(daily_interest(10_000_000, 435), 1_208);
        assert_eq!(interest_for_days(10_000_000, 435, 30), 36_240);
        // ¥1,000 at 3.6 %: exactly ¥0.10 a day; ¥1.25 at 3.6 %: 0.0125 fen → 0.
        assert_eq!(daily_interest(100_000, 360), 10);
        assert_eq!(daily_interest(125, 360), 0);
        // Half a fen rounds up: 5,000 fen at 3.6 % is 0.5 fen a day.
        assert_eq!(daily_interest(5_000, 360), 1);
        assert_eq!(interest_for_days(0, 435, 30), 0);
        assert_eq!(interest_for_days(10_000_000, 435, -3), 0);
    }

    #[test]
    fn penalty_starts_after_the_grace_days_and_counts_from_the_due_date() {
        let mut d = due(1, 100, 1_000_000, 5_000);
        // Within the three grace days: nothing.
        assert!(!accrue_penalty(&mut d, 103, 653, 3));
        assert_eq!(d.penalty, 0);
        // The fourth day: four days of penalty on ¥10,000 at 6.53 % (¥1.81 a day).
        assert!(accrue_penalty(&mut d, 104, 653, 3));
        assert_eq!(d.penalty, 4 * 181);
        // Again the same day: nothing more; two days later: two more days.
        assert!(!accrue_penalty(&mut d, 104, 653, 3));
        assert!(accrue_penalty(&mut d, 106, 653, 3));
        assert_eq!(d.penalty, 6 * 181);
        // Paid principal stops it.
        d.paid_principal = d.principal;
        assert!(!accrue_penalty(&mut d, 110, 653, 3));
    }

    #[test]
    fn a_payment_pays_the_oldest_instalment_penalty_first() {
        let mut dues = vec![due(1, 10, 80_000, 4_000), due(2, 40, 81_000, 3_000)];
        dues[0].penalty = 500;
        let (shares, left) = allocate(&mut dues, 90_000, 50);
        assert_eq!(left, 0);
        assert_eq!(
            shares,
            vec![
                Share {
                    number: 1,
                    principal: 80_000,
                    interest: 4_000,
                    penalty: 500
                },
                Share {
                    number: 2,
                    principal: 2_500,
                    interest: 3_000,
                    penalty: 0
                },
            ]
        );
        assert_eq!(dues[0].paid_day, Some(50));
        assert_eq!(dues[1].paid_day, None);
        assert_eq!(dues[1].outstanding(), 78_500);
        assert_eq!(totals(&shares), (82_500, 7_500));
        // More than everything: the rest comes back.
        let (_, left) = allocate(&mut dues, 100_000, 51);
        assert_eq!(left, 100_000 - 78_500);
        assert_eq!(dues[1].paid_day, Some(51));
    }
}
