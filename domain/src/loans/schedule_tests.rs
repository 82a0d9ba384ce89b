use super::apr::annual_rate;
use super::schedule::{interest_for_months, level_instalment, schedule};
use super::*;
use crate::{Error, Input};

fn terms(yuan: i64, rate_bp: i64, months: u32, method: Method) -> Terms {
    Terms::new(yuan * 100, rate_bp, months, method).expect("valid terms")
}

#[test]
fn equal_instalment_matches_published_figures() {
    // ¥1,000,000 over 30 years at 4.9 %: ¥5,307.27 a month, as every bank's calculator says.
    assert_eq!(level_instalment(100_000_000, 490, 360), 530_727);
    // ¥100,000 over a year at 4.35 %: ¥8,530.99; ¥500,000 over 20 years at 5.88 %: ¥3,547.63.
    assert_eq!(level_instalment(10_000_000, 435, 12), 853_099);
    assert_eq!(level_instalment(50_000_000, 588, 240), 354_763);

    let s = schedule(terms(1_000_000, 490, 360, Method::EqualInstalment));
    let first = s.instalments[0];
    assert_eq!((first.interest, first.principal), (408_333, 122_394));
    // Every instalment within a fen of the published one, the last (which absorbs the
    // rounding) within a few.
    for i in &s.instalments[..359] {
        assert!((i.amount() - 530_727).abs() <= 1, "{i:?}");
    }
    let last = s.instalments[359].amount();
    assert!((last - 530_727).abs() <= 3, "last instalment {last}");
    assert_eq!(s.total_interest(), s.total_repaid() - 100_000_000);
}

#[test]
fn equal_principal_matches_published_figures() {
    // ¥1,000,000 over 30 years at 4.9 %: ¥6,861.11 the first month, ¥11.34 less each month.
    let s = schedule(terms(1_000_000, 490, 360, Method::EqualPrincipal));
    let amounts: Vec<i64> = s.instalments.iter().map(Instalment::amount).collect();
    assert_eq!(amounts[0], 686_111);
    assert_eq!(amounts[0] - amounts[1], 1_134);
    // Half-up rounding of each month's interest makes some steps a fen longer, never more.
    for pair in amounts[..359].windows(2) {
        let step = pair[0] - pair[1];
        assert!((1_134..=1_135).contains(&step), "step {step}");
    }
    // The textbook total, P·r·(n+1)/2 = ¥737,041.67, to within a yuan of the fen-by-fen sum.
    assert!(
        (s.total_interest() - 73_704_167).abs() <= 100,
        "{}",
        s.total_interest()
    );
    assert!(s.instalments[..359].iter().all(|i| i.principal == 277_778));
}

#[test]
fn interest_first_pays_interest_monthly_or_quarterly_and_principal_last() {
    let monthly = schedule(terms(
        100_000,
        600,
        12,
        Method::InterestFirst(InterestEvery::Month),
    ));
    assert_eq!(monthly.instalments.len(), 12);
    assert!(monthly.instalments[..11]
        .iter()
        .all(|i| (i.principal, i.interest) == (0, 50_000)));
    assert_eq!(monthly.instalments[11].amount(), 10_050_000);
    assert_eq!(monthly.total_interest(), 600_000);

    // Seven months quarterly: interest for 3, 3 and 1 months.
    let quarterly = schedule(terms(
        100_000,
        600,
        7,
        Method::InterestFirst(InterestEvery::Quarter),
    ));
    let due: Vec<(u32, i64, i64)> = quarterly
        .instalments
        .iter()
        .map(|i| (i.month, i.principal, i.interest))
        .collect();
    assert_eq!(
        due,
        vec![(3, 0, 150_000), (6, 0, 150_000), (7, 10_000_000, 50_000)]
    );
}

#[test]
fn apr_by_irr() {
    // Interest on the balance each month: the APR is the nominal rate.
    for method in [
        Method::EqualInstalment,
        Method::EqualPrincipal,
        Method::InterestFirst(InterestEvery::Month),
    ] {
        assert_eq!(
            schedule(terms(200_000, 490, 36, method)).apr(),
            490,
            "{method:?}"
        );
    }
    // Quarterly interest is paid later than monthly: a little less a year.
    let quarterly = terms(
        100_000,
        600,
        12,
        Method::InterestFirst(InterestEvery::Quarter),
    );
    assert_eq!(schedule(quarterly).apr(), 597);
    // A "flat 10 %" instalment plan (¥12,000, twelve payments of ¥1,100) really costs 17.97 %.
    let flat: Vec<(u32, i64)> = (1..=12).map(|m| (m, 110_000)).collect();
    assert_eq!(annual_rate(1_200_000, &flat), 1_797);
    // No interest, no rate.
    assert_eq!(
        schedule(terms(1_200, 0, 12, Method::EqualInstalment)).apr(),
        0
    );
}

#[test]
fn zero_rate_and_small_loans_still_repay_exactly() {
    let s = schedule(terms(1_000, 0, 7, Method::EqualInstalment));
    assert_eq!(s.total_interest(), 0);
    assert_eq!(s.total_repaid(), 100_000);
    // ¥1 over thirty years: most months repay nothing, none repays less than nothing.
    let s = schedule(Terms::new(100, 2_000, 360, Method::EqualPrincipal).unwrap());
    assert!(s
        .instalments
        .iter()
        .all(|i| i.principal >= 0 && i.interest >= 0));
    assert_eq!(s.instalments.iter().map(|i| i.principal).sum::<i64>(), 100);
}

#[test]
fn interest_rounds_half_up() {
    // ¥100 at 6 % for a month is exactly 50 fen; ¥1.01 at 6 % is 0.505 fen → 1 fen.
    assert_eq!(interest_for_months(10_000, 600, 1), 50);
    assert_eq!(interest_for_months(101, 600, 1), 1);
    assert_eq!(interest_for_months(100, 600, 1), 1);
    assert_eq!(interest_for_months(99, 600, 1), 0);
}

/// For thousands of terms of every method: the principal repaid is the principal lent to the
/// fen, the balance falls to zero and never below, each period's interest is what the balance
/// owed earned, no part is negative, and 等额本息's instalments stay within a fen of each other
/// (the last within two).
#[test]
fn every_schedule_repays_exactly_what_was_lent() {
    // A fixed linear congruential sequence: the same cases every run.
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = |below: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % below
    };
    for case in 0..2_000 {
        // Mostly small loans, now and then a large one.
        let scale = 1 + next(10_000);
        let principal = 100 + next(schedule::MAX_PRINCIPAL_FEN as u64 / scale) as i64;
        let rate_bp = next(2_001) as i64;
        let months = 1 + next(u64::from(schedule::MAX_MONTHS)) as u32;
        let method = Method::ALL[case % Method::ALL.len()];
        let t = Terms::new(principal, rate_bp, months, method).expect("in range");
        let s = schedule(t);
        let repaid: i64 = s.instalments.iter().map(|i| i.principal).sum();
        assert_eq!(repaid, principal, "{t:?}");
        assert_eq!(s.instalments.last().unwrap().balance_after, 0, "{t:?}");
        assert_eq!(s.instalments.last().unwrap().month, months, "{t:?}");
        let (mut balance, mut paid_to) = (principal, 0);
        for i in &s.instalments {
            assert!(i.principal >= 0 && i.interest >= 0, "{t:?} {i:?}");
            // Interest is owed on what was outstanding over the months since the last payment.
            let owed = interest_for_months(balance, rate_bp, i.month - paid_to);
            assert_eq!(i.interest, owed, "{t:?} {i:?}");
            balance -= i.principal;
            paid_to = i.month;
            assert_eq!(i.balance_after, balance, "{t:?} {i:?}");
        }
        if method == Method::EqualInstalment && months > 1 {
            let level = s.instalments[0].amount();
            assert!(
                s.instalments[..s.instalments.len() - 1]
                    .iter()
                    .all(|i| (i.amount() - level).abs() <= 1),
                "{t:?}"
            );
            // Rounding is taken up month by month: the last is within a couple of fen too.
            let last = s.instalments.last().unwrap().amount();
            assert!(
                (last - level).abs() <= 2,
                "{t:?}: last {last}, level {level}"
            );
        }
    }
}

#[test]
fn terms_outside_the_ranges_are_refused_by_field() {
    let input = |r: crate::Result<Terms>| match r {
        Err(Error::Invalid { input, .. }) => input,
        other => panic!("expected a refusal, got {other:?}"),
    };
    let m = Method::EqualInstalment;
    assert_eq!(input(Terms::new(99, 490, 12, m)), Input::LoanAmount);
    assert_eq!(
        input(Terms::new(schedule::MAX_PRINCIPAL_FEN + 1, 490, 12, m)),
        Input::LoanAmount
    );
    assert_eq!(input(Terms::new(10_000, -1, 12, m)), Input::LoanRate);
    assert_eq!(input(Terms::new(10_000, 2_001, 12, m)), Input::LoanRate);
    assert_eq!(input(Terms::new(10_000, 490, 0, m)), Input::LoanTerm);
    assert_eq!(input(Terms::new(10_000, 490, 361, m)), Input::LoanTerm);
    match Method::from_slug("balloon") {
        Err(Error::Invalid { input, .. }) => assert_eq!(input, Input::LoanMethod),
        other => panic!("{other:?}"),
    }
    for m in Method::ALL {
        assert_eq!(Method::from_slug(m.slug()).unwrap(), m);
    }
}
