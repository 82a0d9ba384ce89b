use super::bureau::{CreditBureau, CreditReport, SimulatedBureau};
use super::decision::{credit_line, Decision, Reason, Relationship};
use super::products::{LoanKind, LoanOffer};
use crate::identity::ResidentId;

/// 信e贷 as the catalogue seeds it: ¥1,000 to ¥300,000 at 5.40 % (band 3.60–10.00 %).
fn xed() -> LoanOffer {
    LoanOffer {
        code: "XED".into(),
        kind: LoanKind::CreditLine,
        name_zh: "信e贷".into(),
        name_en: "Xin e-Loan".into(),
        min: 100_000,
        max: 30_000_000,
        terms: vec![12],
        methods: vec![],
        purposes: vec![],
        rate_bp: 540,
        floor_bp: 360,
        ceiling_bp: 1_000,
        default_bp: 540,
        pledge_pct: 0,
        grace_days: 3,
        penalty_pct: 150,
        local: false,
    }
}

/// A migrant worker's wages of ¥6,000 a month for three years, ¥8,000 usually on the account.
fn wage_earner() -> Relationship {
    Relationship {
        tenure_months: 36,
        average_balance: 800_000,
        monthly_inflow: 600_000,
        time_deposits: 0,
    }
}

fn clean() -> CreditReport {
    SimulatedBureau::report_for(0)
}

#[test]
fn a_steady_income_is_approved_at_six_months_of_it() {
    // 6 × 6,000 + 8,000 / 2 = 40,000.
    assert_eq!(
        credit_line(&xed(), &wage_earner(), &clean()),
        Decision::Approve {
            limit: 4_000_000,
            rate_bp: 540
        }
    );
    // Savings of ¥100,000 add three tenths and earn the loyalty discount: 70,000 at 5.10 %.
    let saver = Relationship {
        time_deposits: 10_000_000,
        ..wage_earner()
    };
    assert_eq!(
        credit_line(&xed(), &saver, &clean()),
        Decision::Approve {
            limit: 7_000_000,
            rate_bp: 510
        }
    );
    // Never more than the product lends; limits are whole thousands.
    let rich = Relationship {
        monthly_inflow: 10_000_000,
        ..wage_earner()
    };
    assert_eq!(
        credit_line(&xed(), &rich, &clean()),
        Decision::Approve {
            limit: 30_000_000,
            rate_bp: 540
        }
    );
    let odd = Relationship {
        monthly_inflow: 123_456,
        average_balance: 0,
        ..wage_earner()
    };
    assert!(matches!(
        credit_line(&xed(), &odd, &clean()),
        Decision::Approve { limit: 700_000, .. }
    ));
}

#[test]
fn the_report_declines_or_refers_with_its_reasons() {
    let reasons = |d: Decision| match d {
        Decision::Decline { reasons } => (false, reasons),
        Decision::Refer { reasons, .. } => (true, reasons),
        Decision::Approve { .. } => panic!("approved"),
    };
    let report = |sequence| SimulatedBureau::report_for(sequence);
    let w = wage_earner();
    assert_eq!(
        reasons(credit_line(&xed(), &w, &report(900))),
        (false, vec![Reason::JudgmentDefaulter])
    );
    assert_eq!(
        reasons(credit_line(&xed(), &w, &report(910))),
        (false, vec![Reason::OverdueNow])
    );
    assert_eq!(
        reasons(credit_line(&xed(), &w, &report(930))),
        (false, vec![Reason::OverdueSeries])
    );
    // Six months overdue in all, never three in a row, is declined too (累六).
    let six = CreditReport {
        overdue_months_24: 6,
        overdue_streak_24: 1,
        ..clean()
    };
    assert_eq!(
        reasons(credit_line(&xed(), &w, &six)),
        (false, vec![Reason::OverdueSeries])
    );
    // A person looks at the rest; the rate carries the risk.
    match credit_line(&xed(), &w, &report(950)) {
        Decision::Refer {
            limit,
            rate_bp,
            reasons,
        } => assert_eq!(
            (limit, rate_bp, reasons),
            (4_000_000, 590, vec![Reason::RecentLateMonths])
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        reasons(credit_line(&xed(), &w, &report(970))),
        (true, vec![Reason::ManyEnquiries])
    );
    // ¥4,000 of a ¥6,000 income goes to a mortgage elsewhere: (6,000 − 4,000) × 6 + 4,000.
    match credit_line(&xed(), &w, &report(985)) {
        Decision::Refer { limit, reasons, .. } => {
            assert_eq!((limit, reasons), (1_600_000, vec![Reason::DebtBurden]))
        }
        other => panic!("{other:?}"),
    }
    let newcomer = Relationship {
        tenure_months: 2,
        ..w
    };
    assert_eq!(
        reasons(credit_line(&xed(), &newcomer, &clean())),
        (true, vec![Reason::ShortRelationship])
    );
    // Nothing comes in and nothing stays: not even the smallest line.
    assert_eq!(
        reasons(credit_line(&xed(), &Relationship::default(), &clean())),
        (false, vec![Reason::TooLittleHistory])
    );
}

#[tokio::test]
async fn the_simulated_bureau_reads_the_id_s_sequence_digits() {
    let bureau = SimulatedBureau;
    assert!(bureau.is_simulator());
    let today = crate::identity::Date::new(2026, 12, 7).unwrap();
    // 370102198001019008: sequence 900, a judgment defaulter; …0011…: clean.
    for (id, defaulter) in [("37010219800101900", true), ("37010219800101001", false)] {
        let full = format!("{id}{}", crate::identity::check_char(id));
        let id = ResidentId::parse(&full, today).unwrap();
        let report = bureau.report(&id, "auth-1").await.unwrap();
        assert_eq!(report.judgment_defaulter, defaulter, "{full}");
    }
}
