//! 小额免密 with a ceiling: small payments to someone else need no SMS code, but only up to an
//! allowance per customer and China day, counted since the customer's last step-up. Without it
//! a stolen session could send the whole daily limit as ¥1,999.99 transfers, none of which
//! asks for anything.
//!
//! The allowance is kept on the customer's row (`customers.codefree_*`) and spent where the
//! money moves, in the same transaction and with a compare-and-set on what was read: the
//! transfer group commit for transfers, the payment's own transaction for bills. So
//! concurrent requests cannot all pass on the same remaining allowance.

use serde::{Deserialize, Serialize};

/// From this amount up every payment to someone else needs a step-up (an SMS code or a passkey
/// bound to its amount and payee).
pub const STEP_UP_FROM: i64 = 200_000;

/// How much may move without a code per China day (since the last step-up).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodeFreePolicy {
    /// Fen moved without a code.
    pub amount_per_day: i64,
    /// Payments made without a code.
    pub count_per_day: i64,
}

impl Default for CodeFreePolicy {
    /// ¥5,000 in at most 10 payments a day, the usual ceiling of 小额免密.
    fn default() -> Self {
        CodeFreePolicy {
            amount_per_day: 500_000,
            count_per_day: 10,
        }
    }
}

impl CodeFreePolicy {
    /// No ceiling: only for the benches, whose few customers send thousands of small transfers
    /// a day (the allowance is still counted and written, so its cost is measured).
    pub const UNLIMITED: CodeFreePolicy = CodeFreePolicy {
        amount_per_day: i64::MAX,
        count_per_day: i64::MAX,
    };
}

/// Why a payment needs a step-up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepUpReason {
    /// The amount is at or above [`STEP_UP_FROM`].
    Amount,
    /// The amount is small, but with the payments already made without a code today it would
    /// pass the day's allowance.
    EarlierPayments,
}

/// What a customer has moved without a code on one China day since their last step-up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CodeFreeUse {
    pub day: i64,
    pub amount: i64,
    pub count: i64,
}

impl CodeFreeUse {
    /// The use as it stands on `day` (nothing yet on a new day).
    pub fn on(self, day: i64) -> CodeFreeUse {
        if self.day == day {
            self
        } else {
            CodeFreeUse {
                day,
                amount: 0,
                count: 0,
            }
        }
    }

    /// Whether one more payment of `amount` fits the allowance on `day`.
    pub fn admits(self, policy: CodeFreePolicy, day: i64, amount: i64) -> bool {
        let used = self.on(day);
        used.count
            .checked_add(1)
            .is_some_and(|n| n <= policy.count_per_day)
            && used
                .amount
                .checked_add(amount)
                .is_some_and(|a| a <= policy.amount_per_day)
    }

    /// After a payment of `amount` without a code on `day`.
    pub fn spend(self, day: i64, amount: i64) -> CodeFreeUse {
        let used = self.on(day);
        CodeFreeUse {
            day,
            amount: used.amount.saturating_add(amount),
            count: used.count.saturating_add(1),
        }
    }

    /// After a payment confirmed by a step-up on `day`: the allowance starts again.
    pub fn after_step_up(day: i64) -> CodeFreeUse {
        CodeFreeUse {
            day,
            amount: 0,
            count: 0,
        }
    }
}

/// Whether a payment of `amount` needs a step-up, and why. Money moved between the customer's
/// own accounts never does.
pub fn step_up_reason(
    amount: i64,
    to_someone_else: bool,
    used: CodeFreeUse,
    policy: CodeFreePolicy,
    day: i64,
) -> Option<StepUpReason> {
    if !to_someone_else {
        None
    } else if amount >= STEP_UP_FROM {
        Some(StepUpReason::Amount)
    } else if !used.admits(policy, day, amount) {
        Some(StepUpReason::EarlierPayments)
    } else {
        None
    }
}

/// What one posted payment does to its customer's allowance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spend {
    /// Between the customer's own accounts: nothing.
    Nothing,
    /// Without a code: spends this much of the allowance (refused if it does not fit).
    CodeFree(i64),
    /// Confirmed by a step-up: the allowance starts again.
    SteppedUp,
}

impl Spend {
    /// The use after this payment on `day`, or `None` when it does not fit the allowance.
    pub fn apply(self, used: CodeFreeUse, policy: CodeFreePolicy, day: i64) -> Option<CodeFreeUse> {
        match self {
            Spend::Nothing => Some(used),
            Spend::CodeFree(amount) => used
                .admits(policy, day, amount)
                .then(|| used.spend(day, amount)),
            Spend::SteppedUp => Some(CodeFreeUse::after_step_up(day)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 20_000;

    #[test]
    fn small_payments_pass_until_the_allowance_is_spent() {
        let policy = CodeFreePolicy::default();
        let mut used = CodeFreeUse::default();
        // ¥1,999.99 twice fits ¥5,000; a third does not.
        for _ in 0..2 {
            assert_eq!(step_up_reason(199_999, true, used, policy, DAY), None);
            used = Spend::CodeFree(199_999).apply(used, policy, DAY).unwrap();
        }
        assert_eq!(
            step_up_reason(199_999, true, used, policy, DAY),
            Some(StepUpReason::EarlierPayments)
        );
        assert_eq!(Spend::CodeFree(199_999).apply(used, policy, DAY), None);
        assert_eq!(
            step_up_reason(100_003, true, used, policy, DAY),
            Some(StepUpReason::EarlierPayments)
        );
        assert_eq!(
            step_up_reason(100_002, true, used, policy, DAY),
            None,
            "exactly ¥5,000"
        );
        // Own accounts never; a new day starts again; a step-up starts again.
        assert_eq!(step_up_reason(199_999, false, used, policy, DAY), None);
        assert_eq!(step_up_reason(199_999, true, used, policy, DAY + 1), None);
        let after = Spend::SteppedUp.apply(used, policy, DAY).unwrap();
        assert_eq!(step_up_reason(199_999, true, after, policy, DAY), None);
        assert_eq!(
            step_up_reason(STEP_UP_FROM, true, after, policy, DAY),
            Some(StepUpReason::Amount)
        );
    }

    #[test]
    fn the_count_is_a_ceiling_too() {
        let policy = CodeFreePolicy::default();
        let mut used = CodeFreeUse::default();
        for _ in 0..10 {
            used = Spend::CodeFree(100).apply(used, policy, DAY).unwrap();
        }
        assert_eq!(
            step_up_reason(100, true, used, policy, DAY),
            Some(StepUpReason::EarlierPayments)
        );
        let unlimited = CodeFreePolicy::UNLIMITED;
        assert!(used.admits(unlimited, DAY, i64::MAX - 1_000));
    }
}
