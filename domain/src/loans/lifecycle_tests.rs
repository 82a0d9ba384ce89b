//! A loan's life on both engines: apply, sign, disburse, repay, service, default.

use super::apply::Application;
use super::bureau::SimulatedBureau;
use super::repay::{Keep, Repayment};
use super::tax::SimulatedTaxBureau;
use super::*;
use crate::account::{AccountClass, Internal};
use crate::clock::{beijing_day_start, china_day_of, Clock, DAY, HOUR, MINUTE};
use crate::deposit::{Deposits, OpenRequest};
use crate::error::Refusal;
use crate::ledger::check_books;
use crate::pii::Field;
use crate::sms::outbox;
use crate::testing::{self, refusal};
use crate::transfer::tests::{code_in, World};
use crate::transfer::StepUp;
use crate::Error;

static BUREAU: SimulatedBureau = SimulatedBureau;
static TAX: SimulatedTaxBureau = SimulatedTaxBureau;

pub(super) fn loans(w: &World) -> Loans<'_> {
    Loans {
        db: &w.t.db,
        clock: &w.clock,
        keys: &w.keys,
        bureau: &BUREAU,
        tax: &TAX,
    }
}

fn deposits(w: &World) -> Deposits<'_> {
    Deposits {
        db: &w.t.db,
        clock: &w.clock,
    }
}

/// A 质押e贷 request for `amount` over 12 months, 等额本息, against `deposit`.
pub(super) fn pledge_application(
    c: &str,
    account: &str,
    deposit: &str,
    amount: i64,
    key: &str,
) -> Application {
    Application {
        customer_id: c.into(),
        product_code: "ZYED".into(),
        amount,
        months: 12,
        method: Some(Method::EqualInstalment),
        purpose: Purpose::Breeding,
        account_id: account.into(),
        deposit_id: Some(deposit.into()),
        credit_code: None,
        guarantor_mobile: None,
        authorized: true,
        idempotency_key: key.into(),
    }
}

/// The newest SMS code sent to customer `n`.
pub(super) async fn last_code(w: &World, n: u32) -> String {
    let mobile = crate::identity::Mobile::parse(&format!("1390000{n:04}")).unwrap();
    code_in(&outbox(&w.t.db, &mobile, 1).await.unwrap()[0].body)
}

/// Signs with an SMS code.
pub(super) async fn sign(w: &World, n: u32, c: &str, loan: &str) -> crate::Result<Loan> {
    loans(w).send_signing_code(&w.sms, c, loan).await?;
    let code = last_code(w, n).await;
    loans(w)
        .sign(c, loan, StepUp::Code(&code), "device-1")
        .await
}

/// 王建国 with ¥100,000 and a ¥50,000 three-month deposit.
pub(super) async fn saver(w: &World) -> (String, crate::account::Account, String) {
    let c = w.customer(1, "王建国", "B002").await;
    let a = w.funded(&c, AccountClass::One, 10_000_000).await;
    let d = deposits(w)
        .open(&OpenRequest {
            customer_id: c.clone(),
            source_account_id: a.id.clone(),
            product: "M3".into(),
            principal: 5_000_000,
            auto_renew: false,
            idempotency_key: "d1".into(),
        })
        .await
        .unwrap();
    (c, a, d.id)
}

pub(super) async fn count(w: &World, sql: &str, bind: &str) -> i64 {
    let row = sqlx::query(sql)
        .bind(bind)
        .fetch_one(w.t.db.pool())
        .await
        .unwrap();
    crate::db::get_i64(&row, "n").unwrap()
}

#[tokio::test]
async fn a_pledge_loan_is_applied_for_signed_paid_out_and_repaid() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        w.clock
            .set(beijing_day_start("2027-01-15").unwrap() + 9 * HOUR);
        let (c, a, d) = saver(&w).await;
        let l = loans(&w);

        // 90 % of ¥50,000 at most; no authorization, no application.
        assert_eq!(
            refusal(
                l.apply(&pledge_application(&c, &a.id, &d, 4_600_000, "k0"))
                    .await
            ),
            Refusal::OverPledgeValue { max: 4_500_000 }
        );
        let unauthorized = Application {
            authorized: false,
            ..pledge_application(&c, &a.id, &d, 4_000_000, "k0")
        };
        assert_eq!(
            refusal(l.apply(&unauthorized).await),
            Refusal::BureauAuthorizationMissing
        );
        let other_term = Application {
            months: 24,
            ..pledge_application(&c, &a.id, &d, 4_000_000, "k0")
        };
        assert!(matches!(
            l.apply(&other_term).await,
            Err(Error::Invalid {
                input: crate::Input::LoanTerm,
                ..
            })
        ));
        assert_eq!(
            count(
                &w,
                "SELECT COUNT(*) AS n FROM loans WHERE customer_id = $1",
                &c
            )
            .await,
            0,
            "a refused application writes nothing"
        );

        let loan = l
            .apply(&pledge_application(&c, &a.id, &d, 4_000_000, "k1"))
            .await
            .unwrap();
        assert_eq!(loan.status, Status::Offered);
        assert_eq!(
            (loan.principal, loan.rate_bp, loan.penalty_rate_bp),
            (4_000_000, 420, 630)
        );
        // The authorization was recorded and used.
        assert_eq!(
            count(
                &w,
                "SELECT COUNT(*) AS n FROM data_authorizations WHERE customer_id = $1 \
                 AND source = 'credit_bureau' AND used_at IS NOT NULL",
                &c
            )
            .await,
            1
        );
        // The same key again: the same application; a second one for the product waits.
        assert_eq!(
            l.apply(&pledge_application(&c, &a.id, &d, 4_000_000, "k1"))
                .await
                .unwrap()
                .id,
            loan.id
        );
        assert_eq!(
            refusal(
                l.apply(&pledge_application(&c, &a.id, &d, 4_000_000, "k2"))
                    .await
            ),
            Refusal::LoanApplicationOpen
        );

        // The contract names every term; its hash is of its text.
        let contract = l.contract(&c, &loan.id).await.unwrap();
        for part in [
            "人民币肆万元整",
            "4.20%",
            "6.30%",
            "等额本息",
            "第12期",
            "质押",
            "养殖",
        ] {
            assert!(contract.text.contains(part), "{part} in {}", contract.text);
        }
        assert_eq!(contract.sha256, contract::sha256_hex(&contract.text));
        assert_eq!(l.contract(&c, &loan.id).await.unwrap(), contract);

        // A text changed after the code was sent cannot be signed.
        l.send_signing_code(&w.sms, &c, &loan.id).await.unwrap();
        let code = last_code(&w, 1).await;
        let altered = contract.text.replace("4.20%", "2.20%");
        sqlx::query("UPDATE loan_contracts SET text_sealed = $1 WHERE id = $2")
            .bind(w.keys.seal(&c, Field::Contract, &altered).unwrap())
            .bind(&contract.id)
            .execute(w.t.db.pool())
            .await
            .unwrap();
        assert_eq!(
            refusal(l.sign(&c, &loan.id, StepUp::Code(&code), "device-1").await),
            Refusal::OtpBindingChanged
        );
        sqlx::query("UPDATE loan_contracts SET text_sealed = $1 WHERE id = $2")
            .bind(w.keys.seal(&c, Field::Contract, &contract.text).unwrap())
            .bind(&contract.id)
            .execute(w.t.db.pool())
            .await
            .unwrap();
        assert_eq!(w.balance(&c, &a.id).await, 5_000_000, "nothing paid out");

        w.clock.advance(MINUTE + 1);
        let active = sign(&w, 1, &c, &loan.id).await.unwrap();
        assert_eq!(active.status, Status::Active);
        assert_eq!(w.balance(&c, &a.id).await, 9_000_000);
        let v = l.verify_contract(&contract.id).await.unwrap();
        assert!(v.is_valid(), "{v:?}");
        assert_eq!(v.signatures[0].1, "sms");
        // Signing again (a double submit): refused, nothing paid twice.
        w.clock.advance(MINUTE + 1);
        assert_eq!(
            refusal(sign(&w, 1, &c, &loan.id).await),
            Refusal::LoanStateChanged
        );
        assert_eq!(w.balance(&c, &a.id).await, 9_000_000);

        // The deposit is pledged: no early withdrawal.
        assert_eq!(
            refusal(deposits(&w).withdraw_early(&c, &d).await),
            Refusal::DepositPledged
        );
        let schedule = book::schedule(&w.t.db, &loan.id).await.unwrap();
        assert_eq!(schedule.len(), 12);
        assert_eq!(schedule.iter().map(|d| d.principal).sum::<i64>(), 4_000_000);
        // ¥40,000 over 12 months at 4.2 %: ¥3,409.65 a month.
        assert_eq!(schedule[0].principal + schedule[0].interest, 340_965);
        assert_eq!(
            schedule[0].due_day,
            china_day_of(beijing_day_start("2027-02-15").unwrap())
        );
        // The servicing run finds the loan by its next due day.
        assert_eq!(active.next_due_day, Some(schedule[0].due_day));

        // Three days before the first due day: a reminder; on the day: collected.
        w.clock
            .set(beijing_day_start("2027-02-12").unwrap() + 2 * HOUR);
        let r = l.service(100).await.unwrap();
        assert_eq!((r.collected, r.reminders), (0, 1));
        assert_eq!(l.service(100).await.unwrap().reminders, 0, "once");
        w.clock
            .set(beijing_day_start("2027-02-15").unwrap() + 2 * HOUR);
        let r = l.service(100).await.unwrap();
        assert_eq!((r.collected, r.amount), (1, 340_965));
        assert_eq!(l.service(100).await.unwrap().collected, 0, "once a day");
        assert_eq!(w.balance(&c, &a.id).await, 9_000_000 - 340_965);
        let next = book::get(&w.t.db, &c, &loan.id).await.unwrap();
        assert_eq!(next.next_due_day, Some(schedule[1].due_day));

        // Repaying more principal than is owed is refused; everything repays it.
        assert_eq!(
            refusal(
                l.repay(
                    &c,
                    &loan.id,
                    Repayment::Early {
                        principal: 4_000_000,
                        keep: Keep::ShorterTerm
                    }
                )
                .await
            ),
            Refusal::RepaymentTooLarge {
                owed: 4_000_000 - schedule[0].principal
            }
        );
        w.clock.advance(10 * DAY);
        let full = l.repay(&c, &loan.id, Repayment::Full).await.unwrap();
        let owed = 4_000_000 - schedule[0].principal;
        assert_eq!(full.principal, owed);
        // Ten days' interest on what was left, by the day.
        assert_eq!(full.interest, accrual::interest_for_days(owed, 420, 10));
        assert_eq!(full.loan.status, Status::Repaid);
        assert_eq!(full.loan.next_due_day, None);
        assert_eq!(
            refusal(l.repay(&c, &loan.id, Repayment::Due).await),
            Refusal::LoanStateChanged
        );
        // The pledge is released.
        deposits(&w).withdraw_early(&c, &d).await.unwrap();
        // The loan's account is back to zero; the bank earned the interest.
        let row = sqlx::query("SELECT balance FROM accounts WHERE id = $1")
            .bind(full.loan.loan_account_id.as_deref().unwrap())
            .fetch_one(w.t.db.pool())
            .await
            .unwrap();
        assert_eq!(crate::db::get_i64(&row, "balance").unwrap(), 0);
        let row = sqlx::query("SELECT balance FROM accounts WHERE id = $1")
            .bind(Internal::LoanInterestIncome.id("B002"))
            .fetch_one(w.t.db.pool())
            .await
            .unwrap();
        assert_eq!(
            crate::db::get_i64(&row, "balance").unwrap(),
            schedule[0].interest + full.interest
        );
        assert_eq!(check_books(&w.t.db).await.unwrap(), Vec::<String>::new());
        assert_eq!(testing::customer_accounts_below_zero(&w.t.db).await, 0);
        w.t.finish().await;
    }
}

#[tokio::test]
async fn short_money_is_collected_in_part_and_a_defaulted_pledge_repays_the_loan() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        w.clock
            .set(beijing_day_start("2027-03-10").unwrap() + 9 * HOUR);
        let (c, a, d) = saver(&w).await;
        let l = loans(&w);
        let loan = l
            .apply(&pledge_application(&c, &a.id, &d, 4_500_000, "k1"))
            .await
            .unwrap();
        sign(&w, 1, &c, &loan.id).await.unwrap();
        // The customer spends all but ¥100.
        let spend = w.balance(&c, &a.id).await - 10_000;
        crate::ledger::withdraw(&w.t.db, &w.clock, &a.id, spend, "ATM", "取现")
            .await
            .unwrap();

        w.clock
            .set(beijing_day_start("2027-04-10").unwrap() + 2 * HOUR);
        let r = l.service(100).await.unwrap();
        assert_eq!((r.collected, r.amount), (1, 10_000), "what there was");
        assert_eq!(w.balance(&c, &a.id).await, 0);
        let inbox = crate::notify::inbox(&w.t.db, &c, 20, Some(crate::notify::Kind::Loan))
            .await
            .unwrap();
        let alert: servicing::LoanAlert = serde_json::from_str(&inbox[0].data).unwrap();
        assert_eq!(alert.stage, servicing::Stage::Due);
        assert_eq!(alert.number, 1);

        // Three grace days: no penalty, no enforcement; an overdue reminder.
        w.clock.advance(3 * DAY);
        let r = l.service(100).await.unwrap();
        assert_eq!((r.pledges_enforced, r.reminders), (0, 1));
        let first = book::schedule(&w.t.db, &loan.id).await.unwrap()[0].clone();
        assert_eq!(first.penalty, 0);

        // The fourth day: the deposit repays everything; the rest is the customer's.
        w.clock.advance(DAY);
        let r = l.service(100).await.unwrap();
        assert_eq!(r.pledges_enforced, 1);
        let repaid = book::get(&w.t.db, &c, &loan.id).await.unwrap();
        assert_eq!(repaid.status, Status::Repaid);
        let d = deposits(&w).get(&c, &d).await.unwrap();
        assert_eq!(
            (d.status, d.pledged_to),
            (crate::deposit::Status::Closed, None)
        );
        let penalty = book::schedule(&w.t.db, &loan.id).await.unwrap()[0].penalty;
        // Four days of penalty at 6.3 % on the first instalment's principal still owed.
        assert_eq!(
            penalty,
            accrual::interest_for_days(first.principal - first.paid_principal, 630, 4)
        );
        assert!(w.balance(&c, &a.id).await > 0);
        assert_eq!(check_books(&w.t.db).await.unwrap(), Vec::<String>::new());
        assert_eq!(testing::customer_accounts_below_zero(&w.t.db).await, 0);
        w.t.finish().await;
    }
}

#[tokio::test]
async fn early_repayment_shortens_the_term_or_lowers_the_instalment() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        w.clock
            .set(beijing_day_start("2027-01-05").unwrap() + 9 * HOUR);
        let (c, a, d) = saver(&w).await;
        let l = loans(&w);
        let loan = l
            .apply(&pledge_application(&c, &a.id, &d, 4_000_000, "k1"))
            .await
            .unwrap();
        sign(&w, 1, &c, &loan.id).await.unwrap();
        w.clock
            .set(beijing_day_start("2027-02-05").unwrap() + 2 * HOUR);
        l.service(100).await.unwrap();
        let before = book::schedule(&w.t.db, &loan.id).await.unwrap();
        let level = before[1].principal + before[1].interest;

        // ¥10,000 ahead, same instalment: fewer months.
        w.clock.advance(5 * DAY);
        let paid = l
            .repay(
                &c,
                &loan.id,
                Repayment::Early {
                    principal: 1_000_000,
                    keep: Keep::ShorterTerm,
                },
            )
            .await
            .unwrap();
        assert_eq!(paid.principal, 1_000_000);
        assert_eq!(paid.interest, accrual::interest_for_days(1_000_000, 420, 5));
        let shorter = book::schedule(&w.t.db, &loan.id).await.unwrap();
        let open: Vec<&Due> = shorter.iter().filter(|d| d.paid_day.is_none()).collect();
        assert!(open.len() < 11, "{} instalments left", open.len());
        assert!(open[0].principal + open[0].interest <= level);
        assert_eq!(shorter.iter().map(|d| d.principal).sum::<i64>(), 4_000_000);
        assert_eq!(open[0].due_day, before[1].due_day, "the next due day stays");

        // ¥5,000 more, same months: a smaller instalment.
        let months_left = open.len();
        let level = open[0].principal + open[0].interest;
        l.repay(
            &c,
            &loan.id,
            Repayment::Early {
                principal: 500_000,
                keep: Keep::LowerInstalment,
            },
        )
        .await
        .unwrap();
        let lower = book::schedule(&w.t.db, &loan.id).await.unwrap();
        let open: Vec<&Due> = lower.iter().filter(|d| d.paid_day.is_none()).collect();
        assert_eq!(open.len(), months_left);
        assert!(open[0].principal + open[0].interest < level);
        assert_eq!(lower.iter().map(|d| d.principal).sum::<i64>(), 4_000_000);
        assert_eq!(check_books(&w.t.db).await.unwrap(), Vec::<String>::new());
        w.t.finish().await;
    }
}

#[tokio::test]
async fn a_credit_line_is_drawn_and_repaid_with_interest_by_the_day() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        w.clock
            .set(beijing_day_start("2026-06-01").unwrap() + 9 * HOUR);
        let c = w.customer(3, "张丽华", "B001").await;
        let a = w.funded(&c, AccountClass::One, 0).await;
        // Eight months of ¥6,000 wages, the last yesterday.
        for _ in 0..8 {
            w.clock.advance(30 * DAY);
            crate::ledger::deposit(&w.t.db, &w.clock, &a.id, 600_000, "某建筑公司", "工资")
                .await
                .unwrap();
        }
        w.clock.advance(DAY);
        let l = loans(&w);
        let app = Application {
            customer_id: c.clone(),
            product_code: "XED".into(),
            amount: 10_000_000,
            months: 12,
            method: None,
            purpose: Purpose::Inputs,
            account_id: a.id.clone(),
            deposit_id: None,
            credit_code: None,
            guarantor_mobile: None,
            authorized: true,
            idempotency_key: "x1".into(),
        };
        let line = l.apply(&app).await.unwrap();
        assert_eq!(line.status, Status::Offered, "{:?}", line.reasons);
        // Six months' wages and half of what stayed: the limit is below what was asked.
        assert!(
            line.principal < 10_000_000 && line.principal >= 3_600_000,
            "{}",
            line.principal
        );
        let contract = l.contract(&c, &line.id).await.unwrap();
        assert!(contract.text.contains("按日计息"));
        sign(&w, 3, &c, &line.id).await.unwrap();
        let before = w.balance(&c, &a.id).await;

        l.draw(&c, &line.id, 1_000_000).await.unwrap();
        assert_eq!(w.balance(&c, &a.id).await, before + 1_000_000);
        assert_eq!(
            refusal(l.draw(&c, &line.id, line.principal).await),
            Refusal::OverCreditLimit {
                available: line.principal - 1_000_000
            }
        );
        // Ten days on ¥10,000 at the line's rate, by the day.
        w.clock.advance(10 * DAY);
        let daily = accrual::daily_interest(1_000_000, line.rate_bp);
        let current = book::get(&w.t.db, &c, &line.id).await.unwrap();
        assert_eq!(
            l.line_balance(&current).await.unwrap(),
            (1_000_000, 10 * daily)
        );
        assert_eq!(
            refusal(l.repay_line(&c, &line.id, 1_000_000 + 10 * daily + 1).await),
            Refusal::RepaymentTooLarge {
                owed: 1_000_000 + 10 * daily
            }
        );
        let repaid = l.repay_line(&c, &line.id, 500_000).await.unwrap();
        assert_eq!(
            (repaid.interest, repaid.principal),
            (10 * daily, 500_000 - 10 * daily)
        );
        let repaid_on = w.clock.china_day();

        // On the 20th the interest since is settled from the account.
        w.clock.set(beijing_day_start("2027-02-20").unwrap() + HOUR);
        let drawn = 1_000_000 - repaid.principal;
        let r = l.service(100).await.unwrap();
        assert_eq!(r.lines_settled, 1);
        assert_eq!(
            r.amount,
            (w.clock.china_day() - repaid_on) * accrual::daily_interest(drawn, line.rate_bp)
        );
        assert_eq!(l.service(100).await.unwrap().lines_settled, 0);
        assert_eq!(check_books(&w.t.db).await.unwrap(), Vec::<String>::new());

        // The line ends after its term: no more draws, the rest is collected.
        w.clock.set(beijing_day_start("2028-02-08").unwrap() + HOUR);
        assert_eq!(
            refusal(l.draw(&c, &line.id, 100_000).await),
            Refusal::CreditLineEnded
        );
        l.service(100).await.unwrap();
        let ended = book::get(&w.t.db, &c, &line.id).await.unwrap();
        assert_eq!(ended.status, Status::Repaid);
        assert_eq!(check_books(&w.t.db).await.unwrap(), Vec::<String>::new());
        w.t.finish().await;
    }
}

#[tokio::test]
async fn a_judgment_defaulter_is_declined_and_one_signing_pays_once() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        w.clock
            .set(beijing_day_start("2027-01-15").unwrap() + 9 * HOUR);
        // Sequence 900: a judgment defaulter in the simulated bureau.
        let c = w.customer(900, "赵某", "B002").await;
        let a = w.funded(&c, AccountClass::One, 10_000_000).await;
        let d = deposits(&w)
            .open(&OpenRequest {
                customer_id: c.clone(),
                source_account_id: a.id.clone(),
                product: "M3".into(),
                principal: 5_000_000,
                auto_renew: false,
                idempotency_key: "d1".into(),
            })
            .await
            .unwrap();
        let declined = loans(&w)
            .apply(&pledge_application(&c, &a.id, &d.id, 1_000_000, "k1"))
            .await
            .unwrap();
        assert_eq!(declined.status, Status::Declined);
        assert_eq!(declined.reasons, vec![decision::Reason::JudgmentDefaulter]);
        assert_eq!(
            refusal(loans(&w).contract(&c, &declined.id).await),
            Refusal::LoanStateChanged
        );

        // Two signings of one offer at once (two nodes): one disbursement.
        let (c2, a2, d2) = saver(&w).await;
        let loan = loans(&w)
            .apply(&pledge_application(&c2, &a2.id, &d2, 2_000_000, "k1"))
            .await
            .unwrap();
        loans(&w)
            .send_signing_code(&w.sms, &c2, &loan.id)
            .await
            .unwrap();
        let code = last_code(&w, 1).await;
        let l = loans(&w);
        let (x, y) = tokio::join!(
            l.sign(&c2, &loan.id, StepUp::Code(&code), "device-1"),
            l.sign(&c2, &loan.id, StepUp::Code(&code), "device-2"),
        );
        assert_eq!(usize::from(x.is_ok()) + usize::from(y.is_ok()), 1);
        assert_eq!(w.balance(&c2, &a2.id).await, 5_000_000 + 2_000_000);
        // Two servicing runs at once on the due day: collected once.
        w.clock.advance(31 * DAY);
        let (r1, r2) = tokio::join!(l.service(10), l.service(10));
        assert_eq!(r1.unwrap().collected + r2.unwrap().collected, 1);
        assert_eq!(check_books(&w.t.db).await.unwrap(), Vec::<String>::new());
        w.t.finish().await;
    }
}
