use super::*;
use crate::account::{card::luhn_digit, AccountClass};
use crate::ledger::check_books;
use crate::testing;
use crate::transfer::tests::World;

use crate::testing::refusal;

/// A 10-digit household number with its check digit.
fn household(first9: &str) -> String {
    format!("{first9}{}", luhn_digit(first9))
}

fn card16(first15: &str) -> String {
    format!("{first15}{}", luhn_digit(first15))
}

struct Bills {
    w: World,
    sim: BillerSimulator,
}

impl Bills {
    async fn new(t: testing::TestDb) -> Bills {
        let w = World::new(t).await;
        let sim = BillerSimulator::new(w.t.db.clone(), std::sync::Arc::new(w.clock.clone()));
        Bills { w, sim }
    }

    fn payments(&self) -> Payments<'_> {
        Payments {
            db: &self.w.t.db,
            clock: &self.w.clock,
            gateway: &self.sim,
            keys: &self.w.keys,
            code_free: self.w.code_free,
        }
    }

    async fn settlement(&self, bank: &str) -> i64 {
        let row = sqlx::query("SELECT balance FROM accounts WHERE id = $1")
            .bind(Internal::BillerSettlement.id(bank))
            .fetch_one(self.w.t.db.pool())
            .await
            .unwrap();
        crate::db::get_i64(&row, "balance").unwrap()
    }
}

fn pay(customer: &str, from: &str, biller: &str, number: &str, fen: i64, key: &str) -> PayRequest {
    PayRequest {
        customer_id: customer.into(),
        from_account_id: from.into(),
        biller_id: biller.into(),
        household: number.into(),
        amount: fen,
        idempotency_key: key.into(),
        step_up_code: None,
    }
}

#[test]
fn sixteen_kinds_with_billers_in_every_city() {
    assert_eq!(Kind::ALL.len(), 16);
    let all = billers();
    let mut ids: Vec<&str> = all.iter().map(|b| b.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), all.len(), "biller ids are unique");
    for kind in Kind::ALL {
        assert_eq!(Kind::from_slug(kind.slug()), Some(kind));
        for city in CITIES {
            assert!(!billers_for(kind, city).is_empty(), "{kind:?} in {city}");
        }
    }
    // The six the seed names are there.
    for k in [
        Kind::Water,
        Kind::Electricity,
        Kind::Gas,
        Kind::Heating,
        Kind::Property,
        Kind::PartyDues,
    ] {
        assert!(Kind::ALL.contains(&k));
    }
    assert_eq!(
        billers_for(Kind::Water, "青岛")[0].name,
        "青岛市供排水有限公司"
    );
    assert_eq!(
        billers_for(Kind::MobileTopUp, "菏泽").len(),
        3,
        "three carriers, province-wide"
    );
}

#[test]
fn numbers_are_checked_per_kind() {
    let h = household("123456789");
    assert_eq!(normalise_number(Kind::Water, &h), Some(h.clone()));
    assert_eq!(
        normalise_number(Kind::Water, &format!("{} {}", &h[..5], &h[5..])),
        Some(h.clone())
    );
    let wrong_check = format!("{}{}", &h[..9], (h.as_bytes()[9] - b'0' + 1) % 10);
    assert_eq!(
        normalise_number(Kind::Water, &wrong_check),
        None,
        "check digit"
    );
    assert_eq!(normalise_number(Kind::Water, "12345"), None);
    assert!(normalise_number(Kind::MobileTopUp, "13912345678").is_some());
    assert!(normalise_number(Kind::MobileTopUp, "23912345678").is_none());
    assert!(normalise_number(Kind::FuelCard, &card16("100011234567890")).is_some());
    assert!(normalise_number(Kind::TrafficFine, "370102123456789").is_some());
    assert!(normalise_number(Kind::TrafficFine, "37010212345678").is_none());
    assert!(normalise_number(Kind::Tuition, "20260101").is_some());
    assert!(normalise_number(Kind::Tuition, "2026").is_none());
}

#[tokio::test]
async fn an_exact_bill_is_paid_once_through_the_ledger() {
    for t in testing::databases().await {
        let b = Bills::new(t).await;
        let me = b.w.customer(1, "王建国", "B002").await;
        let acct = b.w.funded(&me, AccountClass::One, 500_000).await;
        let number = household("123456789");
        let bill = b.payments().lookup("property-济南", &number).await.unwrap();
        assert!(bill.due > 0 && !bill.period.is_empty(), "{bill:?}");
        assert!(bill.holder_masked.contains('*'));

        let wrong = pay(&me, &acct.id, "property-济南", &number, bill.due - 1, "k0");
        assert_eq!(
            refusal(b.payments().pay(&wrong).await),
            Refusal::BillAmountFixed { due: bill.due }
        );
        let req = pay(&me, &acct.id, "property-济南", &number, bill.due, "k1");
        let paid = b.payments().pay(&req).await.unwrap();
        assert_eq!(paid.status, Status::Paid);
        assert!(paid.biller_receipt.as_deref().unwrap().starts_with("SIM"));
        assert_eq!(b.w.balance(&me, &acct.id).await, 500_000 - bill.due);
        assert_eq!(b.settlement("B002").await, bill.due);

        // A retry (double click, refresh) answers with the same payment and moves nothing.
        let again = b.payments().pay(&req).await.unwrap();
        assert_eq!(again, paid);
        assert_eq!(b.w.balance(&me, &acct.id).await, 500_000 - bill.due);
        // The key belongs to that payment.
        let reused = pay(&me, &acct.id, "property-济南", &number, bill.due + 1, "k1");
        assert_eq!(
            refusal(b.payments().pay(&reused).await),
            Refusal::IdempotencyKeyReused
        );
        // The biller now shows nothing due; paying again is refused.
        assert_eq!(
            b.payments()
                .lookup("property-济南", &number)
                .await
                .unwrap()
                .due,
            0
        );
        let twice = pay(&me, &acct.id, "property-济南", &number, bill.due, "k2");
        assert_eq!(refusal(b.payments().pay(&twice).await), Refusal::NothingDue);

        let list = b.payments().list(&me, Some(Kind::Property)).await.unwrap();
        assert_eq!(list, vec![paid.clone()]);
        assert!(b
            .payments()
            .list(&me, Some(Kind::Water))
            .await
            .unwrap()
            .is_empty());
        assert!(matches!(
            b.payments().get("someone-else", &paid.id).await,
            Err(crate::Error::NotFound(_))
        ));
        assert!(check_books(&b.w.t.db).await.unwrap().is_empty());
        b.w.t.finish().await;
    }
}

#[tokio::test]
async fn partial_payments_and_top_up_denominations() {
    for t in testing::databases().await {
        let b = Bills::new(t).await;
        let me = b.w.customer(1, "王建国", "B002").await;
        let acct = b.w.funded(&me, AccountClass::One, 500_000).await;
        let number = household("223456789");
        let bill = b
            .payments()
            .lookup("electricity-济南", &number)
            .await
            .unwrap();
        assert_eq!(
            refusal(
                b.payments()
                    .pay(&pay(&me, &acct.id, "electricity-济南", &number, 50, "e0"))
                    .await
            ),
            Refusal::BillAmountOutOfRange {
                min: MIN_PARTIAL,
                max: MAX_PAYMENT
            }
        );
        b.payments()
            .pay(&pay(
                &me,
                &acct.id,
                "electricity-济南",
                &number,
                1_000,
                "e1",
            ))
            .await
            .unwrap();
        let after = b
            .payments()
            .lookup("electricity-济南", &number)
            .await
            .unwrap();
        assert_eq!(after.due, bill.due - 1_000, "part of the bill");

        let mobile = "13912345678";
        let top_up = b.payments().lookup("mobile-cmcc", mobile).await.unwrap();
        assert_eq!(
            (top_up.due, top_up.period.as_str()),
            (0, ""),
            "a top-up has no bill"
        );
        assert_eq!(
            refusal(
                b.payments()
                    .pay(&pay(&me, &acct.id, "mobile-cmcc", mobile, 2_500, "m0"))
                    .await
            ),
            Refusal::NotADenomination
        );
        let p = b
            .payments()
            .pay(&pay(&me, &acct.id, "mobile-cmcc", mobile, 5_000, "m1"))
            .await
            .unwrap();
        assert_eq!(p.status, Status::Paid);
        assert_eq!(b.w.balance(&me, &acct.id).await, 500_000 - 1_000 - 5_000);
        b.w.t.finish().await;
    }
}

#[tokio::test]
async fn wrong_numbers_and_short_funds_leave_no_trace() {
    for t in testing::databases().await {
        let b = Bills::new(t).await;
        let me = b.w.customer(1, "王建国", "B002").await;
        let acct = b.w.funded(&me, AccountClass::One, 1_000).await;
        assert_eq!(
            refusal(b.payments().lookup("water-济南", "12345").await),
            Refusal::BadBillNumber
        );
        assert_eq!(
            refusal(
                b.payments()
                    .lookup("water-济南", &household("023456789"))
                    .await
            ),
            Refusal::BillNotFound
        );
        assert!(matches!(
            b.payments()
                .lookup("water-北京", &household("123456789"))
                .await,
            Err(Error::NotFound(_))
        ));
        let number = household("123456789");
        let bill = b.payments().lookup("heating-济南", &number).await.unwrap();
        assert!(bill.due > 1_000);
        assert!(matches!(
            refusal(
                b.payments()
                    .pay(&pay(&me, &acct.id, "heating-济南", &number, bill.due, "h1"))
                    .await
            ),
            Refusal::InsufficientFunds { .. }
        ));
        assert!(
            b.payments().list(&me, None).await.unwrap().is_empty(),
            "no pending row left"
        );
        assert_eq!(b.w.balance(&me, &acct.id).await, 1_000);
        b.w.t.finish().await;
    }
}

#[tokio::test]
async fn a_biller_failing_after_the_debit_means_a_refund_the_customer_sees() {
    for t in testing::databases().await {
        let b = Bills::new(t).await;
        let me = b.w.customer(1, "王建国", "B002").await;
        let acct = b.w.funded(&me, AccountClass::One, 100_000).await;
        let number = household("923456789");
        let p = b
            .payments()
            .pay(&pay(&me, &acct.id, "water-济南", &number, 3_000, "w1"))
            .await
            .unwrap();
        assert_eq!(p.status, Status::Refunded);
        assert!(p.reason.contains("故障"), "{}", p.reason);
        assert!(p.refund_entry_id.is_some());
        assert_eq!(b.w.balance(&me, &acct.id).await, 100_000);
        assert_eq!(b.settlement("B002").await, 0);
        // Both movements are on the statement: the payment and the refund.
        let kinds: Vec<String> =
            sqlx::query("SELECT kind FROM journal_entries ORDER BY created_at, id")
                .fetch_all(b.w.t.db.pool())
                .await
                .unwrap()
                .iter()
                .map(|r| r.get("kind"))
                .filter(|k: &String| k.starts_with("bill"))
                .collect();
        assert_eq!(kinds, ["bill_payment", "bill_refund"]);
        assert!(check_books(&b.w.t.db).await.unwrap().is_empty());
        b.w.t.finish().await;
    }
}

/// Books the payment at the biller but loses the answer on the way back.
#[derive(Debug)]
struct LostAnswer(BillerSimulator);

impl BillerGateway for LostAnswer {
    fn lookup<'a>(&'a self, b: &'a Biller, h: &'a str) -> BoxFuture<'a, Result<Option<Bill>>> {
        self.0.lookup(b, h)
    }
    fn pay<'a>(
        &'a self,
        b: &'a Biller,
        h: &'a str,
        amount: i64,
        reference: &'a str,
    ) -> BoxFuture<'a, Result<BillerAnswer>> {
        Box::pin(async move {
            self.0.pay(b, h, amount, reference).await?;
            Err(Error::Internal("connection reset".into()))
        })
    }
    fn status<'a>(&'a self, b: &'a Biller, r: &'a str) -> BoxFuture<'a, Result<BillerStatus>> {
        self.0.status(b, r)
    }
    fn is_simulator(&self) -> bool {
        true
    }
}

#[tokio::test]
async fn a_lost_answer_stays_pending_until_the_worker_asks_the_biller() {
    for t in testing::databases().await {
        let b = Bills::new(t).await;
        let me = b.w.customer(1, "王建国", "B002").await;
        let acct = b.w.funded(&me, AccountClass::One, 100_000).await;

        // Never reached the biller: pending, then refunded by the worker.
        let silent = household("823456789");
        let p = b
            .payments()
            .pay(&pay(&me, &acct.id, "gas-济南", &silent, 2_000, "g1"))
            .await
            .unwrap();
        assert_eq!(p.status, Status::Pending);
        assert_eq!(
            b.w.balance(&me, &acct.id).await,
            98_000,
            "debited while pending"
        );

        // Booked at the biller, answer lost: pending, then paid by the worker.
        let lossy = LostAnswer(b.sim.clone());
        let booked_number = household("123456789");
        let booked = Payments {
            db: &b.w.t.db,
            clock: &b.w.clock,
            gateway: &lossy,
            keys: &b.w.keys,
            code_free: b.w.code_free,
        }
        .pay(&pay(&me, &acct.id, "gas-济南", &booked_number, 3_000, "g2"))
        .await
        .unwrap();
        assert_eq!(booked.status, Status::Pending);

        assert_eq!(
            b.payments().resolve_pending(60_000).await.unwrap(),
            0,
            "too recent"
        );
        b.w.clock.advance(60_000);
        assert_eq!(b.payments().resolve_pending(60_000).await.unwrap(), 2);
        let p = b.payments().get(&me, &p.id).await.unwrap();
        assert_eq!(p.status, Status::Refunded);
        let booked = b.payments().get(&me, &booked.id).await.unwrap();
        assert_eq!(booked.status, Status::Paid);
        assert!(booked.biller_receipt.is_some());
        assert_eq!(b.w.balance(&me, &acct.id).await, 97_000);
        // A second pass finds nothing; nothing is refunded twice.
        assert_eq!(b.payments().resolve_pending(0).await.unwrap(), 0);
        assert_eq!(b.w.balance(&me, &acct.id).await, 97_000);
        assert!(check_books(&b.w.t.db).await.unwrap().is_empty());
        b.w.t.finish().await;
    }
}

#[tokio::test]
async fn concurrent_retries_pay_once() {
    for t in testing::databases().await {
        let b = Bills::new(t).await;
        let me = b.w.customer(1, "王建国", "B002").await;
        let acct = b.w.funded(&me, AccountClass::One, 100_000).await;
        let req = pay(&me, &acct.id, "mobile-unicom", "13912345678", 10_000, "c1");
        let payments = b.payments();
        let (x, y, z) = tokio::join!(payments.pay(&req), payments.pay(&req), payments.pay(&req));
        let ids: Vec<String> = [x, y, z].into_iter().map(|r| r.unwrap().id).collect();
        assert!(ids.iter().all(|i| i == &ids[0]), "{ids:?}");
        assert_eq!(b.w.balance(&me, &acct.id).await, 90_000);
        b.w.t.finish().await;
    }
}

#[tokio::test]
async fn saved_numbers_carry_the_customers_own_labels() {
    for t in testing::databases().await {
        let b = Bills::new(t).await;
        let me = b.w.customer(1, "王建国", "B002").await;
        let other = b.w.customer(2, "李晓梅", "B001").await;
        let h = Households {
            db: &b.w.t.db,
            clock: &b.w.clock,
        };
        let saved = h
            .save(&me, "electricity-济南", "12345 67897", " 老家电费 ")
            .await
            .unwrap();
        assert_eq!(
            (saved.label.as_str(), saved.number.as_str()),
            ("老家电费", "1234567897")
        );
        assert_eq!(saved.kind, Kind::Electricity);
        // The same number again renames it rather than saving it twice.
        let renamed = h
            .save(&me, "electricity-济南", "1234567897", "爸妈家电费")
            .await
            .unwrap();
        assert_eq!(renamed.id, saved.id);
        assert_eq!(h.list(&me).await.unwrap(), vec![renamed.clone()]);
        assert!(h.list(&other).await.unwrap().is_empty(), "mine only");

        assert_eq!(
            refusal(h.save(&me, "electricity-济南", "1234567890", "x").await),
            Refusal::BadBillNumber
        );
        for bad in [
            "",
            "   ",
            "这个标签实在是太长了已经超过了二十个字的限制",
            "a\u{7}b",
        ] {
            assert!(
                matches!(
                    h.save(&me, "water-济南", "1234567897", bad).await,
                    Err(Error::Invalid {
                        input: crate::Input::HouseholdLabel,
                        ..
                    })
                ),
                "{bad:?}"
            );
        }
        assert!(matches!(
            h.remove(&other, &renamed.id).await,
            Err(Error::NotFound(_))
        ));
        h.remove(&me, &renamed.id).await.unwrap();
        assert!(h.list(&me).await.unwrap().is_empty());
        b.w.t.finish().await;
    }
}

/// A resident ID of 济南 with sequence `seq` and its check character.
fn resident_id(seq: u32) -> String {
    let first17 = format!("37010219500101{seq:03}");
    format!("{first17}{}", crate::identity::check_char(&first17))
}

/// A payment-notice number with its Luhn check digit.
fn notice(first19: &str) -> String {
    format!("{first19}{}", luhn_digit(first19))
}

#[test]
fn social_kinds_have_billers_and_checked_numbers() {
    for kind in Kind::SOCIAL {
        assert_eq!(Kind::from_slug(kind.slug()), Some(kind));
        assert!(kind.is_social() && !Kind::ALL.contains(&kind));
        for city in CITIES {
            assert_eq!(billers_for(kind, city).len(), 1, "{kind:?} in {city}");
        }
    }
    let id = resident_id(123);
    assert_eq!(
        normalise_number(Kind::ResidentPension, &id),
        Some(id.clone())
    );
    // A check character of X may be typed in lower case; a wrong check character is refused.
    let x = (0..1000)
        .map(resident_id)
        .find(|i| i.ends_with('X'))
        .unwrap();
    assert_eq!(
        normalise_number(Kind::ResidentMedical, &x.to_lowercase()),
        Some(x.clone())
    );
    let wrong = format!("{}{}", &id[..17], if id.ends_with('1') { '2' } else { '1' });
    assert_eq!(normalise_number(Kind::ResidentPension, &wrong), None);
    assert_eq!(normalise_number(Kind::ResidentPension, &id[..17]), None);
    // Notice numbers: 20 digits, the last a Luhn check digit over the first 19.
    let n = notice("3701022026000012345");
    assert_eq!(normalise_number(Kind::NonTax, &n), Some(n.clone()));
    assert_eq!(
        normalise_number(Kind::NonTax, &format!("{} {}", &n[..10], &n[10..])),
        Some(n.clone())
    );
    let bad = format!("{}{}", &n[..19], (n.as_bytes()[19] - b'0' + 1) % 10);
    assert_eq!(normalise_number(Kind::NonTax, &bad), None, "check digit");
    assert_eq!(normalise_number(Kind::NonTax, &n[..19]), None);
    assert_eq!(normalise_number(Kind::NonTax, &id), None);
}

#[tokio::test]
async fn resident_insurance_is_paid_by_the_year_and_a_notice_once() {
    for t in testing::databases().await {
        let b = Bills::new(t).await;
        let me = b.w.customer(1, "王建国", "B002").await;
        let acct = b.w.funded(&me, AccountClass::One, 2_000_000).await;
        // The test clock is mid-January 2027: the 2027 contributions are being collected.
        let mother = resident_id(124);
        let pension = b
            .payments()
            .lookup("resident-pension-济南", &mother)
            .await
            .unwrap();
        assert_eq!((pension.due, pension.period.as_str()), (30_000, "2027年度"));
        assert!(pension.detail.contains("3701**********124"), "{pension:?}");
        // Not a grade; then a grade, once a year.
        let off = pay(
            &me,
            &acct.id,
            "resident-pension-济南",
            &mother,
            70_000,
            "p0",
        );
        assert_eq!(
            refusal(b.payments().pay(&off).await),
            Refusal::NotADenomination
        );
        let p = pay(
            &me,
            &acct.id,
            "resident-pension-济南",
            &mother,
            100_000,
            "p1",
        );
        assert_eq!(b.payments().pay(&p).await.unwrap().status, Status::Paid);
        let after = b
            .payments()
            .lookup("resident-pension-济南", &mother)
            .await
            .unwrap();
        assert_eq!(after.due, 0);
        let again = pay(
            &me,
            &acct.id,
            "resident-pension-济南",
            &mother,
            100_000,
            "p2",
        );
        assert_eq!(refusal(b.payments().pay(&again).await), Refusal::NothingDue);
        // From September the next year's collection is open.
        b.w.clock.advance(240 * crate::clock::DAY);
        let next = b
            .payments()
            .lookup("resident-pension-济南", &mother)
            .await
            .unwrap();
        assert_eq!((next.due, next.period.as_str()), (30_000, "2028年度"));

        // Medical: exactly the yearly contribution.
        let medical = b
            .payments()
            .lookup("resident-medical-济南", &mother)
            .await
            .unwrap();
        assert_eq!(medical.due, 40_000);
        let m = pay(
            &me,
            &acct.id,
            "resident-medical-济南",
            &mother,
            40_000,
            "m1",
        );
        assert_eq!(b.payments().pay(&m).await.unwrap().status, Status::Paid);
        assert_eq!(
            b.payments()
                .lookup("resident-medical-济南", &mother)
                .await
                .unwrap()
                .due,
            0
        );
        // No insurance record: the bureau does not know the person.
        assert_eq!(
            refusal(
                b.payments()
                    .lookup("resident-medical-济南", &resident_id(995))
                    .await
            ),
            Refusal::BillNotFound
        );

        // A notice is paid once, exactly.
        let n = notice("3701022026000012345");
        let bill = b.payments().lookup("non-tax-sd", &n).await.unwrap();
        assert!(bill.due >= 5_000 && bill.due % 100 == 0, "{bill:?}");
        let req = pay(&me, &acct.id, "non-tax-sd", &n, bill.due, "n1");
        assert_eq!(b.payments().pay(&req).await.unwrap().status, Status::Paid);
        let twice = pay(&me, &acct.id, "non-tax-sd", &n, bill.due, "n2");
        assert_eq!(refusal(b.payments().pay(&twice).await), Refusal::NothingDue);
        assert_eq!(
            b.w.balance(&me, &acct.id).await,
            2_000_000 - 100_000 - 40_000 - bill.due
        );
        assert_eq!(check_books(&b.w.t.db).await.unwrap(), Vec::<String>::new());
        b.w.t.finish().await;
    }
}

#[tokio::test]
async fn a_due_bill_on_a_saved_number_is_reminded_once_per_period() {
    use crate::clock::DAY;
    use crate::notify;
    for t in testing::databases().await {
        let b = Bills::new(t).await;
        let me = b.w.customer(1, "王建国", "B002").await;
        let acct = b.w.funded(&me, AccountClass::One, 500_000).await;
        let saved = Households {
            db: &b.w.t.db,
            clock: &b.w.clock,
        };
        let number = household("223456789");
        saved
            .save(&me, "electricity-济南", &number, "老家电费")
            .await
            .unwrap();
        // A top-up has no bill: never a reminder.
        saved
            .save(&me, "mobile-cmcc", "13912345678", "爸妈话费")
            .await
            .unwrap();
        let remind = || reminders::remind_due(&b.w.t.db, &b.w.clock, &b.sim, &b.w.keys, 50);
        assert_eq!(remind().await.unwrap(), 1);
        let reminders_in_inbox = || async {
            notify::inbox(&b.w.t.db, &me, 50, None)
                .await
                .unwrap()
                .into_iter()
                .filter(|n| n.kind == notify::Kind::BillDue)
                .collect::<Vec<_>>()
        };
        let inbox = reminders_in_inbox().await;
        assert_eq!(inbox.len(), 1);
        let alert: reminders::BillDueAlert = serde_json::from_str(&inbox[0].data).unwrap();
        let bill = b
            .payments()
            .lookup("electricity-济南", &number)
            .await
            .unwrap();
        assert_eq!(
            (alert.label.as_str(), alert.due, alert.period.as_str()),
            ("老家电费", bill.due, bill.period.as_str())
        );
        // Asked once a day; the same period is never reminded twice.
        assert_eq!(remind().await.unwrap(), 0);
        b.w.clock.advance(DAY);
        assert_eq!(remind().await.unwrap(), 0);
        // Paid: nothing due, nothing more.
        let paid = pay(&me, &acct.id, "electricity-济南", &number, bill.due, "r1");
        b.payments().pay(&paid).await.unwrap();
        b.w.clock.advance(DAY);
        assert_eq!(remind().await.unwrap(), 0);
        assert_eq!(reminders_in_inbox().await.len(), 1);
        b.w.t.finish().await;
    }
}

#[tokio::test]
async fn autopay_pays_within_the_monthly_cap_and_reminds_otherwise() {
    use crate::clock::DAY;
    use crate::notify;
    use autopay::AutoPays;
    use reminders::{AutoPayOutcome, BillDueAlert};
    for t in testing::databases().await {
        let b = Bills::new(t).await;
        let me = b.w.customer(1, "王建国", "B002").await;
        let other = b.w.customer(2, "李晓梅", "B001").await;
        let acct = b.w.funded(&me, AccountClass::One, 500_000).await;
        let theirs = b.w.funded(&other, AccountClass::One, 0).await;
        let saved = Households {
            db: &b.w.t.db,
            clock: &b.w.clock,
        };
        let pays = AutoPays {
            db: &b.w.t.db,
            clock: &b.w.clock,
            keys: &b.w.keys,
        };
        let elec_no = household("323456789");
        let prop_no = household("423456789");
        let elec = saved
            .save(&me, "electricity-济南", &elec_no, "家里电费")
            .await
            .unwrap();
        let prop = saved
            .save(&me, "property-济南", &prop_no, "物业费")
            .await
            .unwrap();
        let phone = saved
            .save(&me, "mobile-cmcc", "13912345678", "话费")
            .await
            .unwrap();
        // Not for top-ups; only from the customer's own account; a cap within the limits.
        assert_eq!(
            refusal(pays.set(&me, &phone.id, &acct.id, 10_000, None).await),
            Refusal::AutoPayNotAvailable
        );
        assert!(matches!(
            pays.set(&me, &elec.id, &theirs.id, 10_000, None).await,
            Err(Error::NotFound(_))
        ));
        assert!(matches!(
            pays.set(&other, &elec.id, &theirs.id, 10_000, None).await,
            Err(Error::NotFound(_))
        ));
        assert_eq!(
            refusal(pays.set(&me, &elec.id, &acct.id, 0, None).await),
            Refusal::BillAmountOutOfRange {
                min: MIN_PARTIAL,
                max: MAX_PAYMENT
            }
        );
        // A new mandate lets money leave every month: it needs a code bound to number and cap.
        assert_eq!(
            refusal(pays.set(&me, &elec.id, &acct.id, 1_000_000, None).await),
            Refusal::StepUpRequired
        );
        let (bills, customer, mandates) = (&b, &me, &pays);
        let mandate = move |household: &str, cap: i64| {
            let household = household.to_string();
            async move {
                bills.w.clock.advance(crate::identity::otp::RESEND_AFTER);
                mandates
                    .send_step_up(&bills.w.sms, customer, &household, cap)
                    .await
                    .unwrap();
                let mobile = crate::identity::Mobile::parse("13900000001").unwrap();
                let sms = crate::sms::outbox(&bills.w.t.db, &mobile, 1).await.unwrap()[0]
                    .body
                    .clone();
                crate::transfer::tests::code_in(&sms)
            }
        };
        let code = mandate(&elec.id, 1_000_000).await;
        assert_eq!(
            refusal(
                pays.set(&me, &elec.id, &acct.id, 2_000_000, Some(&code))
                    .await
            ),
            Refusal::OtpBindingChanged,
            "a code for ¥10,000 a month does not allow ¥20,000"
        );
        let code = mandate(&elec.id, 1_000_000).await;
        pays.set(&me, &elec.id, &acct.id, 1_000_000, Some(&code))
            .await
            .unwrap();
        // Lower needs nothing; higher needs a code again.
        pays.set(&me, &elec.id, &acct.id, 900_000, None)
            .await
            .unwrap();
        assert_eq!(
            refusal(pays.set(&me, &elec.id, &acct.id, 1_000_000, None).await),
            Refusal::StepUpRequired
        );
        let code = mandate(&elec.id, 1_000_000).await;
        pays.set(&me, &elec.id, &acct.id, 1_000_000, Some(&code))
            .await
            .unwrap();
        let code = mandate(&prop.id, 100).await;
        pays.set(&me, &prop.id, &acct.id, 100, Some(&code))
            .await
            .unwrap();
        assert_eq!(pays.list(&me).await.unwrap().len(), 2);
        let elec_bill = b
            .payments()
            .lookup("electricity-济南", &elec_no)
            .await
            .unwrap();

        assert_eq!(
            reminders::remind_due(&b.w.t.db, &b.w.clock, &b.sim, &b.w.keys, 50)
                .await
                .unwrap(),
            2
        );
        let alerts: Vec<BillDueAlert> = notify::inbox(&b.w.t.db, &me, 50, None)
            .await
            .unwrap()
            .into_iter()
            .filter(|n| n.kind == notify::Kind::BillDue)
            .map(|n| serde_json::from_str(&n.data).unwrap())
            .collect();
        let of = |h: &str| alerts.iter().find(|a| a.household_id == h).unwrap();
        let AutoPayOutcome::Paid { payment_id } = &of(&elec.id).autopay else {
            panic!("{:?}", of(&elec.id));
        };
        let paid = b.payments().get(&me, payment_id).await.unwrap();
        assert_eq!((paid.status, paid.amount), (Status::Paid, elec_bill.due));
        assert_eq!(of(&prop.id).autopay, AutoPayOutcome::OverCap { cap: 100 });
        assert_eq!(b.w.balance(&me, &acct.id).await, 500_000 - elec_bill.due);
        // The next day: the electricity bill is paid, the property bill was reminded of.
        b.w.clock.advance(DAY);
        assert_eq!(
            reminders::remind_due(&b.w.t.db, &b.w.clock, &b.sim, &b.w.keys, 50)
                .await
                .unwrap(),
            0
        );
        assert_eq!(b.w.balance(&me, &acct.id).await, 500_000 - elec_bill.due);
        // Removing the saved number turns its automatic payment off.
        saved.remove(&me, &elec.id).await.unwrap();
        assert_eq!(pays.list(&me).await.unwrap().len(), 1);
        assert_eq!(check_books(&b.w.t.db).await.unwrap(), Vec::<String>::new());
        b.w.t.finish().await;
    }
}

/// Bills are money leaving like transfers: ¥2,000 and up, or past the day's allowance without
/// a code (shared with transfers), a payment needs an SMS code bound to biller, number and
/// amount; a stolen session cannot pay ¥3,000 of electricity or fuel cards without one.
#[tokio::test]
async fn bills_fall_under_the_step_up_rules_of_transfers() {
    use crate::transfer::{PayeeRef, StepUpReason};
    for t in testing::databases().await {
        let b = Bills::new(t).await;
        let me = b.w.customer(1, "王建国", "B002").await;
        let other = b.w.customer(2, "李晓梅", "B001").await;
        let acct = b.w.funded(&me, AccountClass::One, 5_000_000).await;
        let theirs = b.w.funded(&other, AccountClass::One, 0).await;
        let number = household("123456780");
        let code_for = |req: PayRequest| {
            let b = &b;
            async move {
                b.w.clock.advance(crate::identity::otp::RESEND_AFTER);
                b.payments().send_step_up(&b.w.sms, &req).await.unwrap();
                let mobile = crate::identity::Mobile::parse("13900000001").unwrap();
                let sms = crate::sms::outbox(&b.w.t.db, &mobile, 1).await.unwrap()[0]
                    .body
                    .clone();
                assert!(sms.contains("尾号"), "{sms}");
                crate::transfer::tests::code_in(&sms)
            }
        };

        let big = pay(&me, &acct.id, "electricity-济南", &number, 300_000, "e1");
        assert_eq!(
            b.payments().step_up_reason(&big).await.unwrap(),
            Some(StepUpReason::Amount)
        );
        assert_eq!(
            refusal(b.payments().pay(&big).await),
            Refusal::StepUpRequired
        );
        let code = code_for(big.clone()).await;
        // Dynamic linking: another amount or number is not what the code allows.
        let mut other_amount = big.clone();
        other_amount.amount = 310_000;
        other_amount.step_up_code = Some(code.clone());
        assert_eq!(
            refusal(b.payments().pay(&other_amount).await),
            Refusal::OtpBindingChanged
        );
        let code = code_for(big.clone()).await;
        let mut confirmed = big.clone();
        confirmed.step_up_code = Some(code);
        assert_eq!(b.payments().pay(&confirmed).await.unwrap().amount, 300_000);

        // Small bills spend the allowance transfers spend too: a ¥1,999.99 transfer and two
        // ¥1,500 bills fit ¥5,000, a third bill does not.
        b.w.transfers()
            .post(
                &crate::transfer::tests::request(
                    &me,
                    &acct.id,
                    PayeeRef::Card(theirs.card_no.clone()),
                    199_999,
                    "t1",
                ),
                None,
            )
            .await
            .unwrap();
        for key in ["s1", "s2"] {
            b.payments()
                .pay(&pay(&me, &acct.id, "water-济南", &number, 150_000, key))
                .await
                .unwrap();
        }
        let third = pay(&me, &acct.id, "water-济南", &number, 150_000, "s3");
        assert_eq!(
            b.payments().step_up_reason(&third).await.unwrap(),
            Some(StepUpReason::EarlierPayments)
        );
        assert_eq!(
            refusal(b.payments().pay(&third).await),
            Refusal::StepUpRequired
        );
        let code = code_for(third.clone()).await;
        let mut confirmed = third.clone();
        confirmed.step_up_code = Some(code);
        b.payments().pay(&confirmed).await.unwrap();
        // … which starts the allowance again, for transfers as well.
        assert!(
            !b.w.transfers()
                .quote(&crate::transfer::tests::request(
                    &me,
                    &acct.id,
                    PayeeRef::Card(theirs.card_no.clone()),
                    199_999,
                    "t2",
                ))
                .await
                .unwrap()
                .needs_step_up
        );
        assert_eq!(check_books(&b.w.t.db).await.unwrap(), Vec::<String>::new());
        b.w.t.finish().await;
    }
}

#[tokio::test]
async fn two_workers_settle_each_pending_payment_once() {
    for t in testing::databases().await {
        let b = Bills::new(t).await;
        let me = b.w.customer(1, "王建国", "B002").await;
        let acct = b.w.funded(&me, AccountClass::One, 100_000).await;
        // Three that never reached the biller (refunded) and three whose answer was lost
        // (paid), all pending.
        let lossy = LostAnswer(b.sim.clone());
        let through_lossy = Payments {
            db: &b.w.t.db,
            clock: &b.w.clock,
            gateway: &lossy,
            keys: &b.w.keys,
            code_free: b.w.code_free,
        };
        for i in 0..3 {
            let silent = household(&format!("82345678{i}"));
            let p = pay(&me, &acct.id, "gas-济南", &silent, 1_000, &format!("s{i}"));
            assert_eq!(b.payments().pay(&p).await.unwrap().status, Status::Pending);
            let booked = household(&format!("12345678{i}"));
            let p = pay(&me, &acct.id, "gas-济南", &booked, 2_000, &format!("b{i}"));
            assert_eq!(through_lossy.pay(&p).await.unwrap().status, Status::Pending);
        }
        assert_eq!(b.w.balance(&me, &acct.id).await, 100_000 - 9_000);
        b.w.clock.advance(60_000);
        let other = b.w.t.db.as_another_node();
        let there = Payments {
            db: &other,
            ..b.payments()
        };
        let here = b.payments();
        let (here_settled, there_settled) =
            tokio::join!(here.resolve_pending(0), there.resolve_pending(0));
        assert_eq!(here_settled.unwrap() + there_settled.unwrap(), 6);
        // The three refunds came back once each.
        assert_eq!(b.w.balance(&me, &acct.id).await, 100_000 - 6_000);
        let refunds =
            sqlx::query("SELECT COUNT(*) AS n FROM journal_entries WHERE kind = 'bill_refund'")
                .fetch_one(b.w.t.db.pool())
                .await
                .unwrap();
        assert_eq!(crate::db::get_i64(&refunds, "n").unwrap(), 3);
        assert_eq!(check_books(&b.w.t.db).await.unwrap(), Vec::<String>::new());
        b.w.t.finish().await;
    }
}

#[tokio::test]
async fn two_workers_pay_an_automatic_payment_once() {
    use crate::notify;
    use autopay::AutoPays;
    for t in testing::databases().await {
        let b = Bills::new(t).await;
        let me = b.w.customer(1, "王建国", "B002").await;
        let acct = b.w.funded(&me, AccountClass::One, 500_000).await;
        let number = household("323456789");
        let elec = Households {
            db: &b.w.t.db,
            clock: &b.w.clock,
        }
        .save(&me, "electricity-济南", &number, "家里电费")
        .await
        .unwrap();
        let pays = AutoPays {
            db: &b.w.t.db,
            clock: &b.w.clock,
            keys: &b.w.keys,
        };
        pays.send_step_up(&b.w.sms, &me, &elec.id, 1_000_000)
            .await
            .unwrap();
        let mobile = crate::identity::Mobile::parse("13900000001").unwrap();
        let sms = crate::sms::outbox(&b.w.t.db, &mobile, 1).await.unwrap()[0]
            .body
            .clone();
        let code = crate::transfer::tests::code_in(&sms);
        pays.set(&me, &elec.id, &acct.id, 1_000_000, Some(&code))
            .await
            .unwrap();
        let due = b
            .payments()
            .lookup("electricity-济南", &number)
            .await
            .unwrap()
            .due;

        let other = b.w.t.db.as_another_node();
        let (here, there) = tokio::join!(
            reminders::remind_due(&b.w.t.db, &b.w.clock, &b.sim, &b.w.keys, 50),
            reminders::remind_due(&other, &b.w.clock, &b.sim, &b.w.keys, 50),
        );
        assert_eq!(here.unwrap() + there.unwrap(), 1);
        assert_eq!(b.w.balance(&me, &acct.id).await, 500_000 - due);
        let paid = sqlx::query("SELECT COUNT(*) AS n FROM bill_payments WHERE status = 'paid'")
            .fetch_one(b.w.t.db.pool())
            .await
            .unwrap();
        assert_eq!(crate::db::get_i64(&paid, "n").unwrap(), 1);
        let reminders = notify::inbox(&b.w.t.db, &me, 50, None)
            .await
            .unwrap()
            .into_iter()
            .filter(|n| n.kind == notify::Kind::BillDue)
            .count();
        assert_eq!(reminders, 1);
        assert_eq!(check_books(&b.w.t.db).await.unwrap(), Vec::<String>::new());
        b.w.t.finish().await;
    }
}
