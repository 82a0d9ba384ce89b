//! The annual percentage rate (年化利率) of a schedule by the internal-rate-of-return method:
//! the monthly rate at which the instalments, discounted month by month, are worth exactly the
//! principal, times twelve. It equals the nominal rate for a loan charging interest on the
//! balance each month, and shows what an instalment plan really costs when it does not.
//!
//! Found without floating point: whether the repayments discounted at a candidate rate are
//! worth at least the principal is decided exactly in big integers, and a binary search over
//! whole basis points finds the rounded rate.

use num_bigint::BigInt;

/// A candidate annual rate `h` in half basis points is a monthly rate of `h / HALF_BP_MONTH`.
const HALF_BP_MONTH: i64 = 2 * 12 * 10_000;

/// The APR in basis points, rounded half up, of lending `principal` and being repaid
/// `flows` (month after the loan, amount in fen). Zero when the repayments do not exceed the
/// principal.
pub fn annual_rate(principal: i64, flows: &[(u32, i64)]) -> i64 {
    let repaid: i64 = flows.iter().map(|&(_, amount)| amount).sum();
    if principal <= 0 || repaid <= principal {
        return 0;
    }
    // The true rate x (in basis points) rounds to r exactly when x ≥ r − ½: the answer is the
    // largest r whose rate r − ½ still leaves the repayments worth at least the principal.
    let worth_it = |r: i64| covers(principal, flows, 2 * r - 1);
    let mut low = 0; // covered: any positive repayment beyond the principal covers −½ bp.
    let mut high = 2_400; // 24 %, doubled until it no longer covers.
    while worth_it(high) {
        low = high;
        high *= 2;
    }
    while high - low > 1 {
        let mid = (low + high) / 2;
        if worth_it(mid) {
            low = mid;
        } else {
            high = mid;
        }
    }
    low
}

/// Whether the flows discounted at the monthly rate `half_bp / HALF_BP_MONTH` are worth at
/// least `principal`: with y = HALF_BP_MONTH, x = y + half_bp and N the last month, whether
/// Σ amount·y^m·x^(N−m) ≥ principal·x^N: Σ amount / (x/y)^m ≥ principal multiplied through
/// by x^N.
fn covers(principal: i64, flows: &[(u32, i64)], half_bp: i64) -> bool {
    let last = flows.iter().map(|&(month, _)| month).max().unwrap_or(0);
    let (y, x) = (
        BigInt::from(HALF_BP_MONTH),
        BigInt::from(HALF_BP_MONTH + half_bp),
    );
    let mut by_month = vec![0_i64; last as usize + 1];
    for &(month, amount) in flows {
        by_month[month as usize] += amount;
    }
    // Horner over the months: after month m, sum = Σ_{k≤m} amount_k·y^k·x^(m−k).
    let (mut sum, mut y_power) = (BigInt::from(0), BigInt::from(1));
    for amount in by_month.iter().skip(1) {
        y_power *= &y;
        sum = sum * &x + &y_power * *amount;
    }
    sum >= BigInt::from(principal) * x.pow(last)
}
