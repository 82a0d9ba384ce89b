//! The annual percentage rate (年化利率) of a schedule by the internal-rate-of-return method:
//! the monthly rate at which the instalments, discounted month by month, are worth exactly the
//! principal, times twelve. It equals the nominal rate for a loan charging interest on the
//! balance each month, and shows what an instalment plan really costs when it does not.
//!
//! The rate is found in `f64` by bisection: it is a figure shown to the customer, never an
//! amount of money, and every amount it is computed from stays in fen.

/// The APR in basis points, rounded half up, of lending `principal` and being repaid
/// `flows` (month after the loan, amount in fen). Zero when the repayments do not exceed the
/// principal.
pub fn annual_rate(principal: i64, flows: &[(u32, i64)]) -> i64 {
    let repaid: i64 = flows.iter().map(|&(_, amount)| amount).sum();
    if principal <= 0 || repaid <= principal {
        return 0;
    }
    let principal = principal as f64;
    // Present value of the repayments less the principal: falls as the rate rises.
    let surplus = |monthly: f64| -> f64 {
        flows
            .iter()
            .map(|&(month, amount)| amount as f64 / (1.0 + monthly).powi(month as i32))
            .sum::<f64>()
            - principal
    };
    let (mut low, mut high) = (0.0_f64, 1.0_f64);
    while surplus(high) > 0.0 && high < 1e6 {
        high *= 2.0;
    }
    // 100 halvings take the interval far below a hundredth of a basis point.
    for _ in 0..100 {
        let mid = (low + high) / 2.0;
        if surplus(mid) > 0.0 {
            low = mid;
        } else {
            high = mid;
        }
    }
    ((low + high) / 2.0 * 12.0 * 10_000.0).round() as i64
}
