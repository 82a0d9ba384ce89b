use super::decision::{Decision, Reason};
use super::products::{LoanKind, LoanOffer};
use super::tax::{check_char, tax_loan, CreditCode, SimulatedTaxBureau, TaxBureau, TaxRating};
use crate::{Error, Input};

/// 税e贷 as the catalogue seeds it: ¥10,000 to ¥1,000,000 at 6.00 %.
fn sed() -> LoanOffer {
    LoanOffer {
        code: "SED".into(),
        kind: LoanKind::Tax,
        name_zh: "税e贷".into(),
        name_en: "Tax e-Loan".into(),
        min: 1_000_000,
        max: 100_000_000,
        terms: vec![6, 12],
        methods: vec![],
        purposes: vec![],
        rate_bp: 600,
        floor_bp: 400,
        ceiling_bp: 1_000,
        default_bp: 600,
        pledge_pct: 0,
        grace_days: 3,
        penalty_pct: 150,
        local: false,
    }
}

#[test]
fn credit_codes_are_checked_by_their_last_character() {
    // Codes as printed on real business licences.
    for good in [
        "91350100M000100Y43",
        "91110000600037341L",
        " 91110000600037341l ",
    ] {
        assert!(CreditCode::parse(good).is_ok(), "{good}");
    }
    assert_eq!(check_char("91350100M000100Y4"), Some('3'));
    for bad in [
        "91350100M000100Y44",
        "91350100M000100Y4",
        "91350100M000100Y4I",
        "9135010OM000100Y43",
        "",
    ] {
        assert!(
            matches!(
                CreditCode::parse(bad),
                Err(Error::Invalid {
                    input: Input::CreditCode,
                    ..
                })
            ),
            "{bad}"
        );
    }
}

#[test]
fn five_times_last_year_s_tax_within_a_tenth_of_sales() {
    // ¥36,000 of tax on ¥360,000 of sales, rated A: min(180,000, 36,000) = ¥36,000.
    let a = SimulatedTaxBureau::records_for(0, 2026);
    assert_eq!(a.rating, TaxRating::A);
    assert_eq!(
        tax_loan(&sed(), &a),
        Decision::Approve {
            limit: 3_600_000,
            rate_bp: 600
        }
    );
    // Rated B: a quarter less, rounded down to whole thousands (¥40,000 → ¥30,000).
    let b = SimulatedTaxBureau::records_for(5_004, 2026);
    assert_eq!(b.rating, TaxRating::B);
    assert_eq!(
        tax_loan(&sed(), &b),
        Decision::Approve {
            limit: 3_000_000,
            rate_bp: 600
        }
    );
    let reasons = |d: Decision| match d {
        Decision::Decline { reasons } => (false, reasons),
        Decision::Refer { reasons, .. } => (true, reasons),
        Decision::Approve { .. } => panic!("approved"),
    };
    for (sequence, expected) in [
        (9_000, (false, vec![Reason::PoorTaxRating])),
        (9_200, (false, vec![Reason::PoorTaxRating])),
        (9_400, (false, vec![Reason::TaxArrears])),
        (9_600, (true, vec![Reason::NewBusiness])),
    ] {
        let records = SimulatedTaxBureau::records_for(sequence, 2026);
        assert_eq!(reasons(tax_loan(&sed(), &records)), expected, "{sequence}");
    }
    // A product lending more than the tax supports declines.
    let big = LoanOffer {
        min: 10_000_000,
        ..sed()
    };
    assert_eq!(
        reasons(tax_loan(&big, &a)),
        (false, vec![Reason::TooLittleTax])
    );
}

#[tokio::test]
async fn the_simulated_bureau_reads_the_code_s_sequence() {
    let bureau = SimulatedTaxBureau;
    assert!(bureau.is_simulator());
    for (first17, rating) in [
        ("91370100123450001", TaxRating::A),
        ("91370100123459000", TaxRating::D),
        ("91370100123459600", TaxRating::M),
    ] {
        let code = format!("{first17}{}", check_char(first17).unwrap());
        let code = CreditCode::parse(&code).unwrap();
        assert_eq!(
            bureau.records(&code, "auth-1").await.unwrap().rating,
            rating
        );
    }
}
