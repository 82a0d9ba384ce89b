//! 保证e贷 on both engines: the guarantor invited by mobile number, reading and signing the
//! contract in their own login, the money paid out only then, told of overdue instalments;
//! declining, and a guarantor the bureau stops.

use super::apply::Application;
use super::guarantee::Answer;
use super::lifecycle_tests::{count, last_code, loans, sign};
use super::servicing::{LoanAlert, Stage};
use super::*;
use crate::account::AccountClass;
use crate::clock::{beijing_day_start, DAY, HOUR};
use crate::error::Refusal;
use crate::ledger::check_books;
use crate::notify::{inbox, Kind};
use crate::testing::{self, refusal};
use crate::transfer::tests::World;
use crate::transfer::StepUp;
use crate::{Error, Input};

/// A borrower (customer 3 at B001) with eight months of ¥6,000 wages.
async fn earner(w: &World) -> (String, crate::account::Account) {
    w.clock
        .set(beijing_day_start("2026-06-01").unwrap() + 9 * HOUR);
    let c = w.customer(3, "张丽华", "B001").await;
    let a = w.funded(&c, AccountClass::One, 0).await;
    for _ in 0..8 {
        w.clock.advance(30 * DAY);
        crate::ledger::deposit(&w.t.db, &w.clock, &a.id, 600_000, "某建筑公司", "工资")
            .await
            .unwrap();
    }
    w.clock.advance(DAY);
    (c, a)
}

fn guaranteed(c: &str, account: &str, guarantor: &str, key: &str) -> Application {
    Application {
        customer_id: c.into(),
        product_code: "BZED".into(),
        amount: 5_000_000,
        months: 12,
        method: Some(Method::EqualInstalment),
        purpose: Purpose::Breeding,
        account_id: account.into(),
        deposit_id: None,
        credit_code: None,
        guarantor_mobile: Some(guarantor.into()),
        authorized: true,
        idempotency_key: key.into(),
    }
}

/// The loan messages in a customer's inbox, newest first.
async fn alerts(w: &World, customer: &str) -> Vec<LoanAlert> {
    inbox(&w.t.db, customer, 20, Some(Kind::Loan))
        .await
        .unwrap()
        .iter()
        .map(|m| serde_json::from_str(&m.data).unwrap())
        .collect()
}

/// The guarantor answers yes with the code sent to their phone (customer `n`).
async fn accept(w: &World, n: u32, g: &str, loan: &str) -> crate::Result<Loan> {
    loans(w).send_guarantee_code(&w.sms, g, loan).await?;
    let code = last_code(w, n).await;
    loans(w)
        .answer_guarantee(
            g,
            loan,
            Answer::Accept { authorized: true },
            Some(StepUp::Code(&code)),
            "guarantor-phone",
        )
        .await
}

#[tokio::test]
async fn the_guarantor_signs_in_their_own_login_before_the_money_is_paid_out() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let (c, a) = earner(&w).await;
        // The guarantor banks at another of the province's banks.
        let g = w.customer(4, "李明", "B002").await;
        let stranger = w.customer(5, "陈某", "B001").await;
        let l = loans(&w);

        // Bad, unknown and own numbers are refused before any bureau is asked.
        let wrong = |m: &str, k: &str| guaranteed(&c, &a.id, m, k);
        assert!(matches!(
            l.apply(&wrong("123", "k0")).await,
            Err(Error::Invalid {
                input: Input::Mobile,
                ..
            })
        ));
        assert_eq!(
            refusal(l.apply(&wrong("13900009999", "k0")).await),
            Refusal::GuarantorNotFound
        );
        assert_eq!(
            refusal(l.apply(&wrong("13900000003", "k0")).await),
            Refusal::GuarantorIsBorrower
        );
        let asked = "SELECT COUNT(*) AS n FROM data_authorizations WHERE customer_id = $1";
        assert_eq!(count(&w, asked, &c).await, 0);
        assert_eq!(
            count(
                &w,
                "SELECT COUNT(*) AS n FROM loans WHERE customer_id = $1",
                &c
            )
            .await,
            0
        );

        let loan = l.apply(&wrong("13900000004", "k1")).await.unwrap();
        assert_eq!(loan.status, Status::Offered, "{:?}", loan.reasons);
        assert_eq!(loan.guarantor_id.as_deref(), Some(g.as_str()));
        // A guarantor doubles what the wages alone would lend: the whole ¥50,000.
        assert_eq!(loan.principal, 5_000_000);
        let contract = l.contract(&c, &loan.id).await.unwrap();
        assert!(contract.text.contains("保证人李明"), "{}", contract.text);
        assert!(contract.text.contains("连带责任保证"));

        // Nothing to see for the guarantor until the borrower signs.
        assert!(matches!(
            l.guaranteed(&g, &loan.id).await,
            Err(Error::NotFound(_))
        ));
        let balance = w.balance(&c, &a.id).await;
        let signed = sign(&w, 3, &c, &loan.id).await.unwrap();
        assert_eq!(signed.status, Status::Signed);
        assert_eq!(w.balance(&c, &a.id).await, balance, "not paid out yet");
        let asked_to = alerts(&w, &g).await;
        assert_eq!(asked_to.len(), 1);
        assert_eq!(
            (asked_to[0].stage, asked_to[0].to_guarantor),
            (Stage::GuaranteeAsked, true)
        );

        // The guarantor sees the same text; nobody else sees anything.
        let (seen, text) = l.guaranteed(&g, &loan.id).await.unwrap();
        assert_eq!(
            (seen.id.as_str(), text.sha256.as_str()),
            (loan.id.as_str(), contract.sha256.as_str())
        );
        assert_eq!(l.guarantees(&g).await.unwrap().len(), 1);
        assert!(matches!(
            l.guaranteed(&stranger, &loan.id).await,
            Err(Error::NotFound(_))
        ));
        assert!(matches!(
            l.send_guarantee_code(&w.sms, &stranger, &loan.id).await,
            Err(Error::NotFound(_))
        ));
        assert!(matches!(
            l.answer_guarantee(&stranger, &loan.id, Answer::Decline, None, "x")
                .await,
            Err(Error::NotFound(_))
        ));
        // The borrower cannot answer for the guarantor either.
        assert!(matches!(
            l.answer_guarantee(&c, &loan.id, Answer::Decline, None, "x")
                .await,
            Err(Error::NotFound(_))
        ));

        // Without the authorization, or without a step-up: refused, nothing written.
        assert_eq!(
            refusal(
                l.answer_guarantee(
                    &g,
                    &loan.id,
                    Answer::Accept { authorized: false },
                    None,
                    "x"
                )
                .await
            ),
            Refusal::BureauAuthorizationMissing
        );
        assert_eq!(
            refusal(
                l.answer_guarantee(&g, &loan.id, Answer::Accept { authorized: true }, None, "x")
                    .await
            ),
            Refusal::StepUpRequired
        );
        // The borrower's signing code does not sign the guarantee.
        let borrowers_code = last_code(&w, 3).await;
        assert!(l
            .answer_guarantee(
                &g,
                &loan.id,
                Answer::Accept { authorized: true },
                Some(StepUp::Code(&borrowers_code)),
                "x"
            )
            .await
            .is_err());
        assert_eq!(w.balance(&c, &a.id).await, balance);

        let active = accept(&w, 4, &g, &loan.id).await.unwrap();
        assert_eq!(active.status, Status::Active);
        assert_eq!(w.balance(&c, &a.id).await, balance + 5_000_000);
        let verified = l.verify_contract(&contract.id).await.unwrap();
        assert!(verified.is_valid());
        let mut roles: Vec<_> = verified.signatures.iter().map(|s| s.0.clone()).collect();
        roles.sort();
        assert_eq!(roles, vec!["borrower", "guarantor"]);
        assert_eq!(alerts(&w, &c).await[0].stage, Stage::GuaranteeAccepted);
        assert_eq!(
            count(&w, asked, &g).await,
            1,
            "the guarantor's own report, asked under their authorization"
        );
        // A second answer finds the loan paid out.
        assert_eq!(
            refusal(accept(&w, 4, &g, &loan.id).await),
            Refusal::LoanStateChanged
        );

        // The borrower spends everything; the first instalment goes overdue and the guarantor
        // hears of it.
        let spend = w.balance(&c, &a.id).await;
        crate::ledger::withdraw(&w.t.db, &w.clock, &a.id, spend, "ATM", "取现")
            .await
            .unwrap();
        w.clock.advance(32 * DAY);
        l.service(100).await.unwrap();
        let told = alerts(&w, &g).await;
        assert_eq!(
            (told[0].stage, told[0].to_guarantor, told[0].number),
            (Stage::Overdue, true, 1)
        );
        assert!(alerts(&w, &c)
            .await
            .iter()
            .any(|a| a.stage == Stage::Overdue && !a.to_guarantor));
        // Once per instalment, however often the run goes.
        l.service(100).await.unwrap();
        assert_eq!(alerts(&w, &g).await.len(), told.len());
        assert_eq!(check_books(&w.t.db).await.unwrap(), Vec::<String>::new());
        w.t.finish().await;
    }
}

#[tokio::test]
async fn a_guarantor_who_declines_or_whom_the_bureau_stops_ends_the_loan() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let (c, a) = earner(&w).await;
        let g = w.customer(4, "李明", "B002").await;
        // Sequence 900: a judgment defaulter in the simulated bureau.
        let defaulter = w.customer(900, "赵某", "B003").await;
        let l = loans(&w);

        let first = l
            .apply(&guaranteed(&c, &a.id, "13900000004", "k1"))
            .await
            .unwrap();
        sign(&w, 3, &c, &first.id).await.unwrap();
        let declined = l
            .answer_guarantee(&g, &first.id, Answer::Decline, None, "x")
            .await
            .unwrap();
        assert_eq!(declined.status, Status::Cancelled);
        assert_eq!(alerts(&w, &c).await[0].stage, Stage::GuaranteeRefused);
        assert_eq!(
            refusal(
                l.answer_guarantee(&g, &first.id, Answer::Decline, None, "x")
                    .await
            ),
            Refusal::LoanStateChanged
        );

        // A new application (the first is over) with a guarantor the bureau stops.
        let before = w.balance(&c, &a.id).await;
        w.clock.advance(2 * 60 * 1000);
        let second = l
            .apply(&guaranteed(&c, &a.id, "13900000900", "k2"))
            .await
            .unwrap();
        sign(&w, 3, &c, &second.id).await.unwrap();
        assert_eq!(
            refusal(accept(&w, 900, &defaulter, &second.id).await),
            Refusal::GuarantorIneligible
        );
        let ended = book::get(&w.t.db, &c, &second.id).await.unwrap();
        assert_eq!(ended.status, Status::Declined);
        assert_eq!(ended.reasons, vec![decision::Reason::GuarantorIneligible]);
        assert_eq!(w.balance(&c, &a.id).await, before);
        assert_eq!(check_books(&w.t.db).await.unwrap(), Vec::<String>::new());
        w.t.finish().await;
    }
}
