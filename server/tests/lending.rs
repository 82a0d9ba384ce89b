//! Loans through the HTTP API: a referred application is decided in the console by a credit
//! officer of the borrower's bank and nobody else, and the customer's own loan functions
//! reach only the customer's own loans.

use axum::http::StatusCode;

use domain::clock::DAY;
use domain::identity::{Identity, Mobile};
use domain::loans::bureau::SimulatedBureau;
use domain::loans::tax::SimulatedTaxBureau;
use domain::loans::{Application, Loans, Purpose, Status};
use domain::pii::KeyRing;

mod common;

use common::{customer, databases, first_account, router_with_clock, staff};

#[tokio::test]
async fn a_referred_application_is_decided_by_a_credit_officer_of_its_bank_alone() {
    for t in databases().await {
        let (app, clock) = router_with_clock(&t);
        let keys = KeyRing::development();
        let ops = domain::ops::Ops {
            db: &t.db,
            clock: clock.as_ref(),
            keys: &keys,
        };
        domain::demo::seed_staff(&ops).await.unwrap();
        let mobile = "13912345671";
        let mut borrower = customer(&app, mobile, "37010219800101003").await;
        let (account, _) = first_account(&t, &mut borrower, &app).await;
        domain::ledger::deposit(
            &t.db,
            clock.as_ref(),
            &account,
            5_000_000,
            "柜面",
            "现金存入",
        )
        .await
        .unwrap();
        // A month with the bank: too short a relationship for the machine to decide.
        clock.advance(40 * DAY);
        let customer_id = Identity {
            db: &t.db,
            clock: clock.as_ref(),
            keys: &keys,
        }
        .find_by_mobile(&Mobile::parse(mobile).unwrap())
        .await
        .unwrap()
        .unwrap();
        let loans = Loans {
            db: &t.db,
            clock: clock.as_ref(),
            keys: &keys,
            bureau: &SimulatedBureau,
            tax: &SimulatedTaxBureau,
        };
        let loan = loans
            .apply(&Application {
                customer_id: customer_id.clone(),
                product_code: "XED".into(),
                amount: 500_000,
                months: 12,
                method: None,
                purpose: Purpose::Inputs,
                account_id: account.clone(),
                deposit_id: None,
                credit_code: None,
                guarantor_mobile: None,
                authorized: true,
                idempotency_key: "r1".into(),
            })
            .await
            .unwrap();
        assert_eq!(loan.status, Status::Referred, "{:?}", loan.reasons);
        let decide = format!("id={}&verdict=approve", loan.id);

        // Staff without the role, of this bank or another: not permitted.
        for login in ["b002.admin", "b001.admin"] {
            let mut member = staff(&app, &clock, login).await;
            let a = member.call(&app, "/ops/api/review_loan", &decide).await;
            assert_eq!(a.status, StatusCode::FORBIDDEN, "{login}: {}", a.body);
            let a = member.call(&app, "/ops/api/load_loan_referrals", "").await;
            assert_eq!(a.status, StatusCode::FORBIDDEN, "{login}: {}", a.body);
        }

        let mut officer = staff(&app, &clock, "b002.credit").await;
        let queue = officer.call(&app, "/ops/api/load_loan_referrals", "").await;
        assert_eq!(queue.status, StatusCode::OK, "{}", queue.body);
        let rows: serde_json::Value = serde_json::from_str(&queue.body).unwrap();
        assert_eq!(rows.as_array().unwrap().len(), 1);
        assert_eq!(rows[0]["id"], loan.id.as_str());
        assert_eq!(rows[0]["reasons"], serde_json::json!(["ShortRelationship"]));
        // The name is masked; nothing else of the customer is there.
        assert!(!queue.body.contains("37010219800101003"));
        let unknown = officer
            .call(
                &app,
                "/ops/api/review_loan",
                "id=no-such-loan&verdict=approve",
            )
            .await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.body);
        let a = officer.call(&app, "/ops/api/review_loan", &decide).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        // Decided once: a second decision finds it decided.
        let again = officer
            .call(
                &app,
                "/ops/api/review_loan",
                &format!("id={}&verdict=decline", loan.id),
            )
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
        let rows = officer.call(&app, "/ops/api/load_loan_referrals", "").await;
        assert_eq!(rows.body, "[]");

        let offered = domain::loans::book::get(&t.db, &customer_id, &loan.id)
            .await
            .unwrap();
        assert_eq!(offered.status, Status::Offered);
        let inbox =
            domain::notify::inbox(&t.db, &customer_id, 10, Some(domain::notify::Kind::Loan))
                .await
                .unwrap();
        assert_eq!(inbox.len(), 1);
        assert!(inbox[0].data.contains("Approved"), "{}", inbox[0].data);

        // Another customer reaches none of it.
        let mut stranger = customer(&app, "13912345672", "37010219800101004").await;
        for (path, form) in [
            ("/api/load_loan", format!("id={}", loan.id)),
            ("/api/send_loan_code", format!("id={}", loan.id)),
            ("/api/sign_loan", format!("id={}&code=123456", loan.id)),
            ("/api/draw_loan", format!("id={}&amount=100", loan.id)),
            (
                "/api/repay_credit_line",
                format!("id={}&amount=100", loan.id),
            ),
            ("/api/repay_loan", format!("id={}&how=due", loan.id)),
        ] {
            let a = stranger.call(&app, path, &form).await;
            assert_eq!(a.status, StatusCode::NOT_FOUND, "{path}: {}", a.body);
        }
        t.finish().await;
    }
}

#[tokio::test]
async fn the_loans_desk_prices_loans_within_the_band_and_shows_each_bank_its_portfolio() {
    for t in databases().await {
        let (app, clock) = router_with_clock(&t);
        let keys = KeyRing::development();
        let ops = domain::ops::Ops {
            db: &t.db,
            clock: clock.as_ref(),
            keys: &keys,
        };
        domain::demo::seed_staff(&ops).await.unwrap();
        let json = |body: &str| serde_json::from_str::<serde_json::Value>(body).unwrap();
        let today = domain::clock::beijing_date(domain::clock::Clock::now(clock.as_ref()));
        let bzed = |sheet: &serde_json::Value| {
            sheet["loans"]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["code"] == "BZED")
                .unwrap()
                .clone()
        };

        // A bank's product manager prices 保证e贷 within the union's band, from today.
        let mut pm = staff(&app, &clock, "b001.approver").await;
        let sheet = json(&pm.call(&app, "/ops/api/load_rate_sheet", "").await.body);
        assert_eq!(sheet["loans"].as_array().unwrap().len(), 4);
        assert_eq!(bzed(&sheet)["rate"], "5.80%");
        let out_of_band = pm
            .call(
                &app,
                "/ops/api/schedule_product_rate",
                &format!("code=BZED&rate=12&from={today}&book=loan"),
            )
            .await;
        assert_eq!(out_of_band.status.as_u16(), 422, "{}", out_of_band.body);
        assert!(out_of_band.body.contains("10.00%"), "{}", out_of_band.body);
        let a = pm
            .call(
                &app,
                "/ops/api/schedule_product_rate",
                &format!("code=BZED&rate=5.20&from={today}&book=loan"),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        let sheet = json(&pm.call(&app, "/ops/api/load_rate_sheet", "").await.body);
        assert_eq!(bzed(&sheet)["rate"], "5.20%");
        // Another bank's customers still borrow at the default.
        let b002 = domain::loans::products::offer(
            &t.db,
            "B002",
            "BZED",
            domain::clock::Clock::now(clock.as_ref()),
        )
        .await
        .unwrap();
        assert_eq!(b002.rate_bp, 580);
        // The union moves bands, not a bank's rate; an editor neither.
        let mut union = staff(&app, &clock, "p000.approver").await;
        let below = union
            .call(
                &app,
                "/ops/api/set_product_band",
                "code=BZED&floor=5.50&ceiling=9&default=6&book=loan",
            )
            .await;
        assert_eq!(below.status.as_u16(), 409, "{}", below.body);
        let a = union
            .call(
                &app,
                "/ops/api/set_product_band",
                "code=BZED&floor=4&ceiling=9&default=6&book=loan",
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        let mut editor = staff(&app, &clock, "b002.editor").await;
        let a = editor
            .call(
                &app,
                "/ops/api/schedule_product_rate",
                &format!("code=BZED&rate=5&from={today}&book=loan"),
            )
            .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);

        // The portfolio: a credit officer sees their own bank's, an editor nothing.
        let a = editor.call(&app, "/ops/api/load_loan_portfolio", "").await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
        let mut officer = staff(&app, &clock, "b002.credit").await;
        let a = officer.call(&app, "/ops/api/load_loan_portfolio", "").await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        let rows = json(&a.body);
        assert_eq!(rows.as_array().unwrap().len(), 1);
        assert_eq!(rows[0]["bank"], "章丘农商银行");
        assert_eq!(rows[0]["outstanding"], "¥0.00");
    }
}
