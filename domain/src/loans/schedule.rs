//! Repayment schedules, exact in fen.
//!
//! Interest for a month is the outstanding principal × the annual rate ÷ 12, rounded half up
//! to the fen, every month on the principal still owed that month. Each instalment is rounded
//! half up on its own; the last one takes whatever principal is left, so the principal repaid
//! equals the principal lent to the fen whatever the rounding did before.

use num_bigint::BigInt;

use crate::money::div_half_up;
use crate::{Error, Input, Result};

/// Basis points in a year's rate spread over twelve months: a month's interest is
/// `principal × rate_bp ÷ MONTH_DENOMINATOR`.
const MONTH_DENOMINATOR: i128 = 12 * 10_000;

/// The longest term the schedules are drawn for: thirty years.
pub const MAX_MONTHS: u32 = 360;

/// The largest principal: ¥100,000,000 (no retail loan comes near it).
pub const MAX_PRINCIPAL_FEN: i64 = 10_000_000_000;

/// How a loan is paid back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Method {
    /// 等额本息: the same instalment every month, interest first, principal the rest.
    EqualInstalment,
    /// 等额本金: the same principal every month plus that month's interest, so each
    /// instalment is a little smaller than the one before.
    EqualPrincipal,
    /// 先息后本: interest only, monthly or quarterly, and the whole principal with the last.
    InterestFirst(InterestEvery),
}

/// How often 先息后本 pays its interest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum InterestEvery {
    Month,
    Quarter,
}

impl Method {
    pub const ALL: [Method; 4] = [
        Method::EqualInstalment,
        Method::EqualPrincipal,
        Method::InterestFirst(InterestEvery::Month),
        Method::InterestFirst(InterestEvery::Quarter),
    ];

    /// The method's name in links and forms (`?method=equal-instalment`).
    pub fn slug(self) -> &'static str {
        match self {
            Method::EqualInstalment => "equal-instalment",
            Method::EqualPrincipal => "equal-principal",
            Method::InterestFirst(InterestEvery::Month) => "interest-first",
            Method::InterestFirst(InterestEvery::Quarter) => "interest-first-quarterly",
        }
    }

    pub fn from_slug(slug: &str) -> Result<Method> {
        Method::ALL
            .into_iter()
            .find(|m| m.slug() == slug.trim())
            .ok_or_else(|| Error::invalid(Input::LoanMethod, format!("repayment method {slug:?}")))
    }
}

/// What a schedule is drawn from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Terms {
    /// Fen lent.
    pub principal: i64,
    /// Nominal annual rate in basis points (4.9 % = 490).
    pub rate_bp: i64,
    pub months: u32,
    pub method: Method,
}

impl Terms {
    /// Terms checked against what the schedules are drawn for: a principal of ¥1 up to
    /// [`MAX_PRINCIPAL_FEN`], a rate of 0 to 20 %, 1 to [`MAX_MONTHS`] months.
    pub fn new(principal: i64, rate_bp: i64, months: u32, method: Method) -> Result<Terms> {
        if !(100..=MAX_PRINCIPAL_FEN).contains(&principal) {
            return Err(Error::invalid(
                Input::LoanAmount,
                format!("loan principal {principal} fen"),
            ));
        }
        if !(0..=crate::ops::MAX_RATE_BP).contains(&rate_bp) {
            return Err(Error::invalid(
                Input::LoanRate,
                format!("loan rate {rate_bp} bp"),
            ));
        }
        if !(1..=MAX_MONTHS).contains(&months) {
            return Err(Error::invalid(
                Input::LoanTerm,
                format!("loan term {months} months"),
            ));
        }
        Ok(Terms {
            principal,
            rate_bp,
            months,
            method,
        })
    }
}

/// One payment of a schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Instalment {
    /// 1, 2, 3 … in the order they fall due.
    pub number: u32,
    /// The month after the loan was paid out in which it falls due (quarterly interest: 3, 6 …).
    pub month: u32,
    pub principal: i64,
    pub interest: i64,
    /// What is owed still after it is paid.
    pub balance_after: i64,
}

impl Instalment {
    /// What the customer pays: principal and interest.
    pub fn amount(&self) -> i64 {
        self.principal + self.interest
    }
}

/// A whole schedule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    pub terms: Terms,
    pub instalments: Vec<Instalment>,
}

impl Schedule {
    pub fn total_interest(&self) -> i64 {
        self.instalments.iter().map(|i| i.interest).sum()
    }

    pub fn total_repaid(&self) -> i64 {
        self.instalments.iter().map(Instalment::amount).sum()
    }

    /// The instalment as the customer knows it: the first (every 等额本息 instalment but the
    /// last is the same; 等额本金 starts here and falls).
    pub fn first_instalment(&self) -> i64 {
        self.instalments.first().map_or(0, Instalment::amount)
    }

    /// The annual percentage rate (年化利率) by the internal-rate-of-return method, in basis
    /// points (4.9 % = 490).
    pub fn apr(&self) -> i64 {
        let flows: Vec<(u32, i64)> = self
            .instalments
            .iter()
            .map(|i| (i.month, i.amount()))
            .collect();
        super::apr::annual_rate(self.terms.principal, &flows)
    }
}

/// Interest on `balance` for `months` months at `rate_bp` a year, rounded half up to the fen.
pub fn interest_for_months(balance: i64, rate_bp: i64, months: u32) -> i64 {
    div_half_up(
        i128::from(balance) * i128::from(rate_bp) * i128::from(months),
        MONTH_DENOMINATOR,
    ) as i64
}

/// The schedule of `terms`.
pub fn schedule(terms: Terms) -> Schedule {
    let instalments = match terms.method {
        Method::EqualInstalment => equal_instalment(terms),
        Method::EqualPrincipal => equal_principal(terms),
        Method::InterestFirst(every) => interest_first(terms, every),
    };
    Schedule { terms, instalments }
}

/// 等额本息's monthly instalment, `P·r·(1+r)^n / ((1+r)^n − 1)` with `r` the monthly rate,
/// computed exactly as a fraction of big integers and rounded half up once.
pub fn level_instalment(principal: i64, rate_bp: i64, months: u32) -> i64 {
    let growth = Growth::new(rate_bp, months);
    growth.level(principal, months)
}

/// The powers `(T + b)^m` and `T^m` for m = 0 … n (r = b / T), so that the level instalment
/// of any balance over any remaining term is one exact division.
struct Growth {
    rate_bp: i64,
    grown: Vec<BigInt>,
    base: Vec<BigInt>,
}

impl Growth {
    fn new(rate_bp: i64, months: u32) -> Growth {
        let (t, tb) = (
            BigInt::from(MONTH_DENOMINATOR),
            BigInt::from(MONTH_DENOMINATOR + i128::from(rate_bp)),
        );
        let (mut grown, mut base) = (vec![BigInt::from(1)], vec![BigInt::from(1)]);
        for m in 1..=months as usize {
            grown.push(&grown[m - 1] * &tb);
            base.push(&base[m - 1] * &t);
        }
        Growth {
            rate_bp,
            grown,
            base,
        }
    }

    /// The level instalment that repays `balance` over `months`, rounded half up:
    /// `B·b·(T+b)^m / (T·((T+b)^m − T^m))`.
    fn level(&self, balance: i64, months: u32) -> i64 {
        let m = months as usize;
        if self.rate_bp == 0 {
            return div_half_up(i128::from(balance), i128::from(months)) as i64;
        }
        let numerator = BigInt::from(balance) * self.rate_bp * &self.grown[m];
        let denominator = (&self.grown[m] - &self.base[m]) * MONTH_DENOMINATOR;
        let rounded: BigInt = (numerator * 2 + &denominator) / (denominator * 2);
        i64::try_from(rounded).expect("an instalment is at most the balance plus its interest")
    }
}

/// Each month's instalment is the level instalment of the balance still owed over the months
/// left: a fraction of a fen rounded one month is taken up the next instead of growing with
/// the loan's interest for years, so instalments stay within a fen of each other and the last
/// is within a fen or two of the rest.
fn equal_instalment(terms: Terms) -> Vec<Instalment> {
    let growth = Growth::new(terms.rate_bp, terms.months);
    monthly(terms, |month, balance, interest| {
        growth.level(balance, terms.months - month + 1) - interest
    })
}

fn equal_principal(terms: Terms) -> Vec<Instalment> {
    let share = div_half_up(i128::from(terms.principal), i128::from(terms.months)) as i64;
    monthly(terms, |_, _, _| share)
}

/// A schedule paid every month: each month's interest on the balance, the principal part
/// `principal(month, balance, interest)` (never below nothing nor above the balance), and the
/// last month whatever principal is left.
fn monthly(terms: Terms, principal: impl Fn(u32, i64, i64) -> i64) -> Vec<Instalment> {
    let mut balance = terms.principal;
    (1..=terms.months)
        .map(|month| {
            let interest = interest_for_months(balance, terms.rate_bp, 1);
            let principal = if month == terms.months {
                balance
            } else {
                principal(month, balance, interest).clamp(0, balance)
            };
            balance -= principal;
            Instalment {
                number: month,
                month,
                principal,
                interest,
                balance_after: balance,
            }
        })
        .collect()
}

fn interest_first(terms: Terms, every: InterestEvery) -> Vec<Instalment> {
    let period = match every {
        InterestEvery::Month => 1,
        InterestEvery::Quarter => 3,
    };
    let mut instalments = Vec::new();
    let mut paid_to = 0;
    while paid_to < terms.months {
        // The last period may be shorter: a 7-month loan pays quarterly at 3, 6 and 7.
        let month = (paid_to + period).min(terms.months);
        let last = month == terms.months;
        let principal = if last { terms.principal } else { 0 };
        instalments.push(Instalment {
            number: instalments.len() as u32 + 1,
            month,
            principal,
            interest: interest_for_months(terms.principal, terms.rate_bp, month - paid_to),
            balance_after: terms.principal - principal,
        });
        paid_to = month;
    }
    instalments
}
