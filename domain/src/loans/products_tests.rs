use super::products::{offer, offers, LoanKind, Purpose};
use super::schedule::{InterestEvery, Method};
use crate::clock::DAY;
use crate::{institution, testing, Error, Input};

async fn set_rate(db: &crate::Db, bank: &str, code: &str, from: i64, rate_bp: i64) {
    sqlx::query(
        "INSERT INTO loan_rates (bank_code, product_code, effective_from, rate_bp, set_by, created_at) \
         VALUES ($1, $2, $3, $4, 'test', 0)",
    )
    .bind(bank)
    .bind(code)
    .bind(from)
    .bind(rate_bp)
    .execute(db.pool())
    .await
    .unwrap();
}

fn refused_on(r: crate::Result<crate::loans::Terms>) -> Input {
    match r {
        Err(Error::Invalid { input, .. }) => input,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn the_catalogue_offers_four_loans_at_the_bank_s_rate() {
    for t in testing::databases().await {
        institution::seed(&t.db).await.unwrap();
        let now = 1_800_000_000_000;
        let all = offers(&t.db, "B001", now).await.unwrap();
        let kinds: Vec<(String, LoanKind)> = all.iter().map(|o| (o.code.clone(), o.kind)).collect();
        assert_eq!(
            kinds,
            vec![
                ("BZED".to_string(), LoanKind::Guaranteed),
                ("SED".to_string(), LoanKind::Tax),
                ("XED".to_string(), LoanKind::CreditLine),
                ("ZYED".to_string(), LoanKind::Pledged),
            ]
        );
        let xed = all.iter().find(|o| o.code == "XED").unwrap();
        assert!(xed.methods.is_empty(), "a credit line has no instalments");
        assert_eq!(xed.rate_bp, xed.default_bp);
        let zyed = offer(&t.db, "B001", "ZYED", now).await.unwrap();
        assert_eq!(zyed.pledge_pct, 90);
        assert_eq!(zyed.terms, vec![3, 6, 12]);

        // A bank's own rate from a day on; one still to come is not in effect yet; another
        // bank keeps the default.
        set_rate(&t.db, "B001", "BZED", now - DAY, 520).await;
        set_rate(&t.db, "B001", "BZED", now + DAY, 500).await;
        assert_eq!(
            offer(&t.db, "B001", "BZED", now).await.unwrap().rate_bp,
            520
        );
        assert_eq!(
            offer(&t.db, "B001", "BZED", now + 2 * DAY)
                .await
                .unwrap()
                .rate_bp,
            500
        );
        assert_eq!(
            offer(&t.db, "B002", "BZED", now).await.unwrap().rate_bp,
            580
        );
        assert!(matches!(
            offer(&t.db, "B001", "NOPE", now).await,
            Err(Error::NotFound(_))
        ));
        t.finish().await;
    }
}

#[tokio::test]
async fn a_request_outside_the_product_is_refused_by_field() {
    for t in testing::databases().await {
        institution::seed(&t.db).await.unwrap();
        let now = 1_800_000_000_000;
        let bzed = offer(&t.db, "B001", "BZED", now).await.unwrap();
        let ok = bzed
            .terms_for(5_000_000, 12, Method::EqualInstalment, Purpose::Breeding)
            .unwrap();
        assert_eq!((ok.principal, ok.rate_bp, ok.months), (5_000_000, 580, 12));
        let quarterly = Method::InterestFirst(InterestEvery::Quarter);
        assert!(bzed
            .terms_for(1_000_000, 6, quarterly, Purpose::Planting)
            .is_ok());
        for (amount, months, method, purpose, field) in [
            (
                999_999,
                12,
                Method::EqualInstalment,
                Purpose::Planting,
                Input::LoanAmount,
            ),
            (
                50_000_001,
                12,
                Method::EqualInstalment,
                Purpose::Planting,
                Input::LoanAmount,
            ),
            (
                5_000_000,
                18,
                Method::EqualInstalment,
                Purpose::Planting,
                Input::LoanTerm,
            ),
            (
                5_000_000,
                12,
                Method::EqualInstalment,
                Purpose::Household,
                Input::LoanPurpose,
            ),
        ] {
            assert_eq!(
                refused_on(bzed.terms_for(amount, months, method, purpose)),
                field,
                "{amount} {months} {purpose:?}"
            );
        }
        let sed = offer(&t.db, "B001", "SED", now).await.unwrap();
        assert_eq!(
            refused_on(sed.terms_for(5_000_000, 12, Method::EqualPrincipal, Purpose::Business)),
            Input::LoanMethod
        );
        // Overdue principal costs the contract rate × 1.5, rounded half up.
        assert_eq!(bzed.penalty_rate_bp(580), 870);
        assert_eq!(bzed.penalty_rate_bp(435), 653);
        t.finish().await;
    }
}
