use std::sync::Arc;

use super::*;
use crate::account::AccountClass;
use crate::clearing::{process_due, ClearingSimulator, Pass};
use crate::clock::{ManualClock, DAY, MINUTE};
use crate::ledger::{check_books, history, totals, HistoryFilter};
use crate::sms::{outbox, DevOutbox};
use crate::testing;

use crate::testing::refusal;

pub(crate) struct World {
    pub t: testing::TestDb,
    pub clock: ManualClock,
    pub keys: KeyRing,
    pub sms: DevOutbox,
    pub committer: Committer,
    pub code_free: CodeFreePolicy,
}

/// Two customers and an account each (see [`World::payer_and_payee`]).
pub(crate) struct Pair {
    pub a: String,
    pub b: String,
    pub a1: crate::account::Account,
    pub b1: crate::account::Account,
}

impl World {
    pub async fn new(t: testing::TestDb) -> World {
        crate::institution::seed(&t.db).await.unwrap();
        let clock = ManualClock::at(1_800_000_000_000);
        crate::account::seed_internal(&t.db, &clock).await.unwrap();
        let sms = DevOutbox::new(t.db.clone(), Arc::new(clock.clone()));
        let committer = Committer::start(t.db.clone());
        World {
            t,
            clock,
            keys: KeyRing::development(),
            sms,
            committer,
            code_free: CodeFreePolicy::default(),
        }
    }

    pub fn transfers(&self) -> Transfers<'_> {
        Transfers {
            db: &self.t.db,
            clock: &self.clock,
            keys: &self.keys,
            committer: &self.committer,
            code_free: self.code_free,
        }
    }

    pub fn accounts(&self) -> Accounts<'_> {
        Accounts {
            db: &self.t.db,
            clock: &self.clock,
        }
    }

    /// The payer and payee most tests need: 王建国 (B002) and 李晓梅 (B001), each with a class
    /// I account opened with the given balance.
    pub async fn payer_and_payee(&self, payer_fen: i64, payee_fen: i64) -> Pair {
        let a = self.customer(1, "王建国", "B002").await;
        let b = self.customer(2, "李晓梅", "B001").await;
        let a1 = self.funded(&a, AccountClass::One, payer_fen).await;
        let b1 = self.funded(&b, AccountClass::One, payee_fen).await;
        Pair { a, b, a1, b1 }
    }

    pub async fn customer(&self, n: u32, name: &str, bank: &str) -> String {
        testing::customer(&self.t.db, &self.clock, &self.keys, n, name, bank).await
    }

    /// An account with an opening balance.
    pub async fn funded(
        &self,
        customer: &str,
        class: AccountClass,
        fen: i64,
    ) -> crate::account::Account {
        let a = self.accounts().open(customer, class, "活期").await.unwrap();
        if fen > 0 {
            crate::ledger::deposit(&self.t.db, &self.clock, &a.id, fen, "现金存入", "开户存入")
                .await
                .unwrap();
        }
        self.accounts().get_owned(customer, &a.id).await.unwrap()
    }

    pub async fn balance(&self, customer: &str, account: &str) -> i64 {
        self.accounts()
            .get_owned(customer, account)
            .await
            .unwrap()
            .balance
    }

    async fn count(&self, sql: &str) -> i64 {
        let row = sqlx::query(sql).fetch_one(self.t.db.pool()).await.unwrap();
        crate::db::get_i64(&row, "n").unwrap()
    }

    async fn exec(&self, sql: &str) {
        sqlx::query(sql).execute(self.t.db.pool()).await.unwrap();
    }

    /// For tests of an older migration on a schema from before it: today's code reads and
    /// writes customer columns later migrations add (the code-free allowance, the year of
    /// birth), so the old schema borrows them while the test writes and gives them back before
    /// migrating.
    pub async fn lend_customer_columns(&self) {
        for (column, definition) in LATER_CUSTOMER_COLUMNS {
            self.exec(&format!(
                "ALTER TABLE customers ADD COLUMN {column} {definition}"
            ))
            .await;
        }
    }

    /// See [`World::lend_customer_columns`].
    pub async fn return_customer_columns(&self) {
        for (column, _) in LATER_CUSTOMER_COLUMNS {
            self.exec(&format!("ALTER TABLE customers DROP COLUMN {column}"))
                .await;
        }
    }
}

const LATER_CUSTOMER_COLUMNS: [(&str, &str); 4] = [
    ("codefree_day", "BIGINT NOT NULL DEFAULT 0"),
    ("codefree_amount", "BIGINT NOT NULL DEFAULT 0"),
    ("codefree_count", "BIGINT NOT NULL DEFAULT 0"),
    ("birth_year", "BIGINT"),
];

pub(crate) fn request(
    customer: &str,
    from: &str,
    payee: PayeeRef,
    fen: i64,
    key: &str,
) -> TransferRequest {
    TransferRequest {
        customer_id: customer.into(),
        from_account_id: from.into(),
        payee,
        payee_name: None,
        amount: fen,
        memo: String::new(),
        idempotency_key: key.into(),
    }
}

#[tokio::test]
async fn instant_transfers_move_money_with_balanced_entries_and_alerts() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let wang = w.customer(1, "王建国", "B002").await;
        let li = w.customer(2, "李晓梅", "B001").await;
        let wang_a = w.funded(&wang, AccountClass::One, 1_000_000).await;
        let wang_b = w.funded(&wang, AccountClass::Two, 0).await;
        let li_a = w.funded(&li, AccountClass::One, 0).await;
        let (_, customers_before) = totals(&w.t.db).await.unwrap();

        // To an own account.
        let own = w
            .transfers()
            .post(
                &request(
                    &wang,
                    &wang_a.id,
                    PayeeRef::OwnAccount(wang_b.id.clone()),
                    10_000,
                    "k1",
                ),
                None,
            )
            .await
            .unwrap();
        assert_eq!((own.kind, own.status), (Kind::Own, Status::Posted));
        // To another customer by card number (typed with spaces) and by mobile number.
        let spaced = format!("{} {}", &li_a.card_no[..6], &li_a.card_no[6..]);
        let by_card = w
            .transfers()
            .post(
                &request(&wang, &wang_a.id, PayeeRef::Card(spaced), 20_000, "k2"),
                None,
            )
            .await
            .unwrap();
        assert_eq!(by_card.kind, Kind::Intra);
        assert_eq!(by_card.payee_name_masked, "李**");
        assert_eq!(by_card.payee_bank_name, "济南农商银行");
        let by_mobile = w
            .transfers()
            .post(
                &request(
                    &wang,
                    &wang_a.id,
                    PayeeRef::Mobile("139 0000 0002".into()),
                    5_000,
                    "k3",
                ),
                None,
            )
            .await
            .unwrap();
        assert_eq!(by_mobile.payee_card_masked, card::mask(&li_a.card_no));

        assert_eq!(w.balance(&wang, &wang_a.id).await, 1_000_000 - 35_000);
        assert_eq!(w.balance(&wang, &wang_b.id).await, 10_000);
        assert_eq!(w.balance(&li, &li_a.id).await, 25_000);
        assert_eq!(
            totals(&w.t.db).await.unwrap(),
            (0, customers_before - 25_000 + 25_000)
        );
        assert_eq!(check_books(&w.t.db).await.unwrap(), Vec::<String>::new());

        // Statements: the payer sees the payee masked, the payee sees the payer masked.
        let li_history = history(&w.t.db, &li, &li_a.id, &HistoryFilter::default(), 0, 20)
            .await
            .unwrap();
        assert_eq!(li_history.items.len(), 2);
        assert!(li_history
            .items
            .iter()
            .all(|m| m.counterparty.starts_with("王** *")));
        assert_eq!(li_history.items[0].balance_after, 25_000);
        // Movement alerts for both sides: their postings.
        let li_inbox = crate::notify::inbox(&w.t.db, &li, 10, None).await.unwrap();
        assert_eq!(li_inbox.len(), 2);
        assert_eq!(crate::notify::unread(&w.t.db, &wang).await.unwrap(), 5);
        // The payee book remembers the other customer once (two transfers, one payee).
        let book = w.transfers().payees().list(&wang).await.unwrap();
        assert_eq!(book.len(), 1);
        assert_eq!(book[0].name_masked, "李**");
        // Paying a saved payee.
        w.transfers()
            .payees()
            .save(&wang, &book[0].id, "女儿")
            .await
            .unwrap();
        let saved = w
            .transfers()
            .post(
                &request(
                    &wang,
                    &wang_a.id,
                    PayeeRef::Saved(book[0].id.clone()),
                    100,
                    "k4",
                ),
                None,
            )
            .await
            .unwrap();
        assert_eq!(saved.kind, Kind::Intra);
        // Another customer's payee id is not found, and neither is their account.
        assert_eq!(
            refusal(
                w.transfers()
                    .post(
                        &request(&li, &li_a.id, PayeeRef::Saved(book[0].id.clone()), 100, "x"),
                        None
                    )
                    .await
            ),
            Refusal::PayeeNotFound
        );
        assert!(matches!(
            w.transfers()
                .post(
                    &request(
                        &li,
                        &wang_a.id,
                        PayeeRef::Card(li_a.card_no.clone()),
                        100,
                        "y"
                    ),
                    None
                )
                .await,
            Err(Error::NotFound(_))
        ));
        w.t.finish().await;
    }
}

#[tokio::test]
async fn refusals_leave_no_trace() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let a = w.customer(1, "王建国", "B002").await;
        let b = w.customer(2, "李晓梅", "B001").await;
        let a1 = w.funded(&a, AccountClass::One, 50_000).await;
        let a2 = w.funded(&a, AccountClass::Two, 1_500_000).await;
        let b1 = w.funded(&b, AccountClass::One, 0).await;
        let b2 = w.funded(&b, AccountClass::Two, 19_990_000).await;
        let entries_before = w.count("SELECT COUNT(*) AS n FROM journal_entries").await;

        // Overdraft.
        assert_eq!(
            refusal(
                w.transfers()
                    .post(
                        &request(&a, &a1.id, PayeeRef::Card(b1.card_no.clone()), 50_001, "o"),
                        None
                    )
                    .await
            ),
            Refusal::InsufficientFunds { available: 50_000 }
        );
        // Class II: ¥10,000 per transfer and per day.
        assert_eq!(
            refusal(
                w.transfers()
                    .post(
                        &request(
                            &a,
                            &a2.id,
                            PayeeRef::Card(b1.card_no.clone()),
                            1_000_001,
                            "p"
                        ),
                        None
                    )
                    .await
            ),
            Refusal::OverPerTransferLimit { max: 1_000_000 }
        );
        w.transfers()
            .post(
                &request(
                    &a,
                    &a2.id,
                    PayeeRef::OwnAccount(a1.id.clone()),
                    600_000,
                    "d1",
                ),
                None,
            )
            .await
            .unwrap();
        assert_eq!(
            refusal(
                w.transfers()
                    .post(
                        &request(
                            &a,
                            &a2.id,
                            PayeeRef::OwnAccount(a1.id.clone()),
                            500_000,
                            "d2"
                        ),
                        None
                    )
                    .await
            ),
            Refusal::OverDailyLimit { remaining: 400_000 }
        );
        // The next China day the limit is fresh again.
        w.clock.advance(DAY);
        w.transfers()
            .post(
                &request(
                    &a,
                    &a2.id,
                    PayeeRef::OwnAccount(a1.id.clone()),
                    500_000,
                    "d2",
                ),
                None,
            )
            .await
            .unwrap();
        // A class II payee at its ¥200,000 cap cannot receive more.
        assert_eq!(
            refusal(
                w.transfers()
                    .post(
                        &request(&a, &a1.id, PayeeRef::Card(b2.card_no.clone()), 10_001, "c"),
                        None
                    )
                    .await
            ),
            Refusal::PayeeCannotReceive
        );
        // To itself; bad card numbers; a zero amount.
        assert_eq!(
            refusal(
                w.transfers()
                    .post(
                        &request(&a, &a1.id, PayeeRef::OwnAccount(a1.id.clone()), 100, "s"),
                        None
                    )
                    .await
            ),
            Refusal::SameAccount
        );
        assert!(matches!(
            w.transfers()
                .post(
                    &request(&a, &a1.id, PayeeRef::Card("6230011234".into()), 100, "e"),
                    None
                )
                .await,
            Err(Error::Invalid {
                input: crate::Input::Card,
                ..
            })
        ));
        assert!(matches!(
            w.transfers()
                .post(
                    &request(&a, &a1.id, PayeeRef::Card(b1.card_no.clone()), 0, "z"),
                    None
                )
                .await,
            Err(Error::Invalid {
                input: crate::Input::Amount,
                ..
            })
        ));
        assert_eq!(
            refusal(
                w.transfers()
                    .post(
                        &request(&a, &a1.id, PayeeRef::Mobile("13912345678".into()), 100, "m"),
                        None
                    )
                    .await
            ),
            Refusal::PayeeNotFound
        );

        // Only the two own-account transfers left anything: 2 entries, 2 transfers.
        assert_eq!(
            w.count("SELECT COUNT(*) AS n FROM journal_entries").await,
            entries_before + 2
        );
        assert_eq!(w.count("SELECT COUNT(*) AS n FROM transfers").await, 2);
        assert_eq!(w.count("SELECT COUNT(*) AS n FROM payees").await, 0);
        assert_eq!(w.balance(&b, &b1.id).await, 0);
        assert_eq!(check_books(&w.t.db).await.unwrap(), Vec::<String>::new());
        w.t.finish().await;
    }
}

#[tokio::test]
async fn an_idempotency_key_posts_once_even_under_concurrent_retries() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let Pair { a, b, a1, b1 } = w.payer_and_payee(100_000, 0).await;
        let req = request(
            &a,
            &a1.id,
            PayeeRef::Card(b1.card_no.clone()),
            30_000,
            "double-click",
        );
        let transfers = w.transfers();
        let results = futures_join((0..6).map(|_| transfers.post(&req, None)).collect()).await;
        let ids: std::collections::BTreeSet<String> =
            results.into_iter().map(|r| r.unwrap().id).collect();
        assert_eq!(ids.len(), 1, "every retry gets the first transfer back");
        assert_eq!(w.balance(&b, &b1.id).await, 30_000);
        assert_eq!(w.count("SELECT COUNT(*) AS n FROM transfers").await, 1);
        // Later retries too, even though the balance could no longer pay it four times.
        for _ in 0..3 {
            assert_eq!(
                &w.transfers().post(&req, None).await.unwrap().id,
                ids.first().unwrap()
            );
        }
        // The same key for a different amount is refused, not answered with the old transfer.
        let mut other = req.clone();
        other.amount = 30_001;
        assert_eq!(
            refusal(w.transfers().post(&other, None).await),
            Refusal::IdempotencyKeyReused
        );
        assert_eq!(w.balance(&a, &a1.id).await, 70_000);
        w.t.finish().await;
    }
}

/// Runs futures concurrently on the current task (no extra crate needed).
pub(crate) async fn futures_join<F: std::future::Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut set = Vec::new();
    for f in futures {
        set.push(Box::pin(f));
    }
    let mut out: Vec<Option<F::Output>> = (0..set.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in set.iter_mut().enumerate() {
            if out[i].is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => out[i] = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    out.into_iter().map(Option::unwrap).collect()
}

/// The six digits after 验证码 in an SMS.
pub(crate) fn code_in(sms: &str) -> String {
    let (_, after) = sms.split_once("验证码").expect("a code in the SMS");
    after.trim_start().chars().take(6).collect()
}

#[tokio::test]
async fn large_transfers_need_a_code_bound_to_amount_and_payee() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let a = w.customer(1, "王建国", "B002").await;
        let b = w.customer(2, "李晓梅", "B001").await;
        let a1 = w.funded(&a, AccountClass::One, 1_000_000).await;
        let a2 = w.funded(&a, AccountClass::One, 0).await;
        let b1 = w.funded(&b, AccountClass::One, 0).await;
        let mut req = request(
            &a,
            &a1.id,
            PayeeRef::Card(b1.card_no.clone()),
            STEP_UP_FROM,
            "big",
        );
        assert!(w.transfers().quote(&req).await.unwrap().needs_step_up);
        req.amount = STEP_UP_FROM - 1;
        assert!(!w.transfers().quote(&req).await.unwrap().needs_step_up);
        // Own accounts never need it.
        let own = request(
            &a,
            &a1.id,
            PayeeRef::OwnAccount(a2.id.clone()),
            500_000,
            "own",
        );
        assert!(!w.transfers().quote(&own).await.unwrap().needs_step_up);

        req.amount = 300_000;
        assert_eq!(
            refusal(w.transfers().post(&req, None).await),
            Refusal::StepUpRequired
        );
        assert!(!w.transfers().step_up_code_live(&req).await.unwrap());
        assert!(w.transfers().send_step_up(&w.sms, &req).await.unwrap());
        let mobile = crate::identity::Mobile::parse("13900000001").unwrap();
        let sms = outbox(&w.t.db, &mobile, 1).await.unwrap()[0].body.clone();
        assert!(sms.contains("¥3,000.00") && sms.contains("李**"), "{sms}");
        let code = code_in(&sms);
        // The confirm page knows the code is out for this transfer, and only for this one.
        assert!(w.transfers().step_up_code_live(&req).await.unwrap());
        // Dynamic linking: the code for ¥3,000 does not authorise ¥3,500, and is void after.
        let mut changed = req.clone();
        changed.amount = 350_000;
        assert!(!w.transfers().step_up_code_live(&changed).await.unwrap());
        assert_eq!(
            refusal(
                w.transfers()
                    .post(&changed, Some(StepUp::Code(&code)))
                    .await
            ),
            Refusal::OtpBindingChanged
        );
        assert_eq!(
            refusal(w.transfers().post(&req, Some(StepUp::Code(&code))).await),
            Refusal::OtpExpired
        );
        assert!(!w.transfers().step_up_code_live(&req).await.unwrap());
        // A fresh code for the right amount and payee posts it.
        w.clock.advance(MINUTE);
        w.transfers().send_step_up(&w.sms, &req).await.unwrap();
        let sms = outbox(&w.t.db, &mobile, 1).await.unwrap()[0].body.clone();
        let t = w
            .transfers()
            .post(&req, Some(StepUp::Code(&code_in(&sms))))
            .await
            .unwrap();
        assert_eq!(t.amount, 300_000);
        assert_eq!(w.balance(&b, &b1.id).await, 300_000);
        w.t.finish().await;
    }
}

/// A stolen session cannot send the daily limit as ¥1,999.99 transfers: past the day's
/// allowance without a code (¥5,000 or ten payments) every payment to someone else asks for
/// one, by whatever path it goes, and a step-up starts the allowance again.
#[tokio::test]
async fn small_transfers_past_the_allowance_need_a_code_too() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let a = w.customer(1, "王建国", "B002").await;
        let b = w.customer(2, "李晓梅", "B001").await;
        let a1 = w.funded(&a, AccountClass::One, 5_000_000).await;
        let a2 = w.funded(&a, AccountClass::One, 0).await;
        let b1 = w.funded(&b, AccountClass::One, 0).await;
        let small =
            |key: &str| request(&a, &a1.id, PayeeRef::Card(b1.card_no.clone()), 199_999, key);
        for key in ["s1", "s2"] {
            let q = w.transfers().quote(&small(key)).await.unwrap();
            assert_eq!((q.needs_step_up, q.step_up_reason), (false, None));
            w.transfers().post(&small(key), None).await.unwrap();
        }
        let q = w.transfers().quote(&small("s3")).await.unwrap();
        assert!(q.needs_step_up);
        assert_eq!(q.step_up_reason, Some(StepUpReason::EarlierPayments));
        assert_eq!(
            refusal(w.transfers().post(&small("s3"), None).await),
            Refusal::StepUpRequired,
            "the fast path to a card of ours"
        );
        // By mobile number (the planned path) the same.
        let mut by_mobile = small("s3m");
        by_mobile.payee = PayeeRef::Mobile("13900000002".into());
        assert_eq!(
            refusal(w.transfers().post(&by_mobile, None).await),
            Refusal::StepUpRequired
        );
        // Money between one's own accounts is never held up.
        let own = request(
            &a,
            &a1.id,
            PayeeRef::OwnAccount(a2.id.clone()),
            199_999,
            "own",
        );
        w.transfers().post(&own, None).await.unwrap();
        // The code, bound to this amount and payee, sends it and starts the allowance again.
        assert!(w
            .transfers()
            .send_step_up(&w.sms, &small("s3"))
            .await
            .unwrap());
        let mobile = crate::identity::Mobile::parse("13900000001").unwrap();
        let sms = outbox(&w.t.db, &mobile, 1).await.unwrap()[0].body.clone();
        w.transfers()
            .post(&small("s3"), Some(StepUp::Code(&code_in(&sms))))
            .await
            .unwrap();
        assert!(
            !w.transfers()
                .quote(&small("s4"))
                .await
                .unwrap()
                .needs_step_up
        );
        w.transfers().post(&small("s4"), None).await.unwrap();
        assert_eq!(w.balance(&b, &b1.id).await, 4 * 199_999);

        // Concurrent requests cannot all pass on what is left: ten at once, one fits.
        let sends = (0..10)
            .map(|n| {
                let req = small(&format!("c{n}"));
                let transfers = w.transfers();
                async move { transfers.post(&req, None).await }
            })
            .collect();
        let results = futures_join(sends).await;
        let sent = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(sent, 1, "{results:?}");
        for r in results.into_iter().filter(Result::is_err) {
            assert_eq!(refusal(r), Refusal::StepUpRequired);
        }
        assert_eq!(w.balance(&b, &b1.id).await, 5 * 199_999);
        // A new day, a new allowance.
        w.clock.advance(DAY);
        assert!(
            !w.transfers()
                .quote(&small("d2"))
                .await
                .unwrap()
                .needs_step_up
        );
        w.t.finish().await;
    }
}

#[tokio::test]
async fn a_passkey_confirms_a_large_transfer_for_its_amount_and_payee_only() {
    use crate::identity::passkey::{Passkeys, RelyingParty};
    use crate::testing::authenticator::SoftAuthenticator;
    for t in testing::databases().await {
        let w = World::new(t).await;
        let Pair { a, b, a1, b1 } = w.payer_and_payee(1_000_000, 0).await;
        let rp = RelyingParty::new("http://localhost:3400").unwrap();
        let req = request(
            &a,
            &a1.id,
            PayeeRef::Card(b1.card_no.clone()),
            300_000,
            "big",
        );
        // No passkey yet: the SMS code is the way.
        assert_eq!(
            refusal(w.transfers().start_passkey_step_up(&rp, &req).await),
            Refusal::PasskeyNotRegistered
        );
        let passkeys = Passkeys {
            db: &w.t.db,
            clock: &w.clock,
            rp: &rp,
        };
        let mut phone = SoftAuthenticator::new("http://localhost:3400", 9);
        let c = passkeys
            .start_registration(&a, "139****0001", "王*")
            .await
            .unwrap();
        passkeys
            .finish_registration(&a, &c.id, &phone.create(&c.options), "phone")
            .await
            .unwrap();

        // Confirmed for ¥3,000, posted as ¥3,500: refused, nothing moves.
        let c = w
            .transfers()
            .start_passkey_step_up(&rp, &req)
            .await
            .unwrap();
        let answer = phone.get(&c.options);
        let mut changed = req.clone();
        changed.amount = 350_000;
        let step_up = StepUp::Passkey {
            rp: &rp,
            challenge_id: &c.id,
            answer: &answer,
        };
        assert_eq!(
            refusal(w.transfers().post(&changed, Some(step_up)).await),
            Refusal::OtpBindingChanged
        );
        assert_eq!(w.balance(&b, &b1.id).await, 0);

        let c = w
            .transfers()
            .start_passkey_step_up(&rp, &req)
            .await
            .unwrap();
        let answer = phone.get(&c.options);
        let step_up = StepUp::Passkey {
            rp: &rp,
            challenge_id: &c.id,
            answer: &answer,
        };
        let t = w.transfers().post(&req, Some(step_up)).await.unwrap();
        assert_eq!(w.balance(&b, &b1.id).await, 300_000);
        // The same confirmation posted again (double click): the same transfer, once.
        let again = w.transfers().post(&req, Some(step_up)).await.unwrap();
        assert_eq!(again.id, t.id);
        assert_eq!(w.balance(&b, &b1.id).await, 300_000);
        w.t.finish().await;
    }
}

/// The clearing worker's pacing in these tests: 30 seconds before a transfer is sent.
const PASS: Pass = Pass {
    delay: 30_000,
    lease: 60_000,
    batch: 10,
};

#[tokio::test]
async fn interbank_transfers_settle_or_come_back_refunded() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let a = w.customer(1, "王建国", "B002").await;
        let a1 = w.funded(&a, AccountClass::One, 100_000).await;
        let network = ClearingSimulator::with_demo_directory();
        let (zhang_card, zhang) = network.directory()[0].clone();
        let mut ok = request(
            &a,
            &a1.id,
            PayeeRef::Card(zhang_card.clone()),
            10_000,
            "ib1",
        );
        // Another bank's payee needs the name.
        assert!(matches!(
            w.transfers().quote(&ok).await,
            Err(Error::Invalid {
                input: crate::Input::PayeeName,
                ..
            })
        ));
        ok.payee_name = Some(zhang.clone());
        let mut wrong_name = request(
            &a,
            &a1.id,
            PayeeRef::Card(zhang_card.clone()),
            20_000,
            "ib2",
        );
        wrong_name.payee_name = Some("张三".into());
        let sent = w.transfers().post(&ok, None).await.unwrap();
        let returned = w.transfers().post(&wrong_name, None).await.unwrap();
        assert_eq!((sent.kind, sent.status), (Kind::Interbank, Status::Pending));
        assert_eq!(sent.payee_bank_name, "中国工商银行");
        assert_eq!(w.balance(&a, &a1.id).await, 70_000);

        // Not yet due: the worker waits for the configured delay.
        assert_eq!(
            process_due(&w.t.db, &w.clock, &w.keys, &network, &PASS)
                .await
                .unwrap(),
            0
        );
        w.clock.advance(31_000);
        assert_eq!(
            process_due(&w.t.db, &w.clock, &w.keys, &network, &PASS)
                .await
                .unwrap(),
            2
        );
        assert_eq!(
            process_due(&w.t.db, &w.clock, &w.keys, &network, &PASS)
                .await
                .unwrap(),
            0
        );

        let sent = w.transfers().get(&a, &sent.id).await.unwrap();
        assert_eq!(sent.status, Status::Settled);
        let returned = w.transfers().get(&a, &returned.id).await.unwrap();
        assert_eq!(returned.status, Status::Returned);
        assert_eq!(returned.status_reason, "name_mismatch");
        // The refund is back, with its own statement line and alert.
        assert_eq!(w.balance(&a, &a1.id).await, 90_000);
        let lines = history(&w.t.db, &a, &a1.id, &HistoryFilter::default(), 0, 20)
            .await
            .unwrap();
        assert_eq!(lines.items[0].kind, "transfer_return");
        assert_eq!(lines.items[0].amount, 20_000);
        assert_eq!(check_books(&w.t.db).await.unwrap(), Vec::<String>::new());
        assert_eq!(totals(&w.t.db).await.unwrap().0, 0);
        // The saved name lets the payee book pay again without typing it.
        let book = w.transfers().payees().list(&a).await.unwrap();
        assert_eq!(book.len(), 1);
        assert!(!book[0].in_network);
        let again = w
            .transfers()
            .post(
                &request(&a, &a1.id, PayeeRef::Saved(book[0].id.clone()), 100, "ib3"),
                None,
            )
            .await
            .unwrap();
        assert_eq!(again.status, Status::Pending);
        // Unknown card at another bank: returned as no such account.
        let stranger = crate::clearing::OTHER_BANKS[1].0;
        let payload = format!("{stranger}999999999999");
        let card = format!("{payload}{}", card::luhn_digit(&payload));
        let mut unknown = request(&a, &a1.id, PayeeRef::Card(card), 100, "ib4");
        unknown.payee_name = Some("赵六".into());
        let unknown = w.transfers().post(&unknown, None).await.unwrap();
        w.clock.advance(31_000);
        process_due(&w.t.db, &w.clock, &w.keys, &network, &PASS)
            .await
            .unwrap();
        let unknown = w.transfers().get(&a, &unknown.id).await.unwrap();
        assert_eq!(
            (unknown.status, unknown.status_reason.as_str()),
            (Status::Returned, "no_such_account")
        );
        w.t.finish().await;
    }
}

#[tokio::test]
async fn history_filters_and_pages() {
    for t in testing::databases().await {
        let mut w = World::new(t).await;
        // Twenty-five small payments to page through, none confirmed by a code.
        w.code_free = CodeFreePolicy::UNLIMITED;
        let Pair { a, b, a1, b1 } = w.payer_and_payee(1_000_000, 1_000_000).await;
        let start = w.clock.now() + 1;
        for i in 0..25 {
            w.clock.advance(MINUTE);
            w.transfers()
                .post(
                    &request(
                        &a,
                        &a1.id,
                        PayeeRef::Card(b1.card_no.clone()),
                        100 * (i + 1),
                        &format!("h{i}"),
                    ),
                    None,
                )
                .await
                .unwrap();
        }
        w.clock.advance(MINUTE);
        w.transfers()
            .post(
                &request(
                    &b,
                    &b1.id,
                    PayeeRef::Card(a1.card_no.clone()),
                    7_777,
                    "back",
                ),
                None,
            )
            .await
            .unwrap();
        let all = HistoryFilter::default();
        let p0 = history(&w.t.db, &a, &a1.id, &all, 0, 20).await.unwrap();
        let p1 = history(&w.t.db, &a, &a1.id, &all, 1, 20).await.unwrap();
        // 25 out, 1 in, 1 opening deposit.
        assert_eq!(
            (p0.items.len(), p0.has_more, p1.items.len(), p1.has_more),
            (20, true, 7, false)
        );
        assert_eq!(p0.items[0].amount, 7_777);
        let incoming = HistoryFilter {
            incoming: Some(true),
            from: Some(start),
            ..Default::default()
        };
        assert_eq!(
            history(&w.t.db, &a, &a1.id, &incoming, 0, 20)
                .await
                .unwrap()
                .items
                .len(),
            1
        );
        let range = HistoryFilter {
            incoming: Some(false),
            min_amount: Some(1_000),
            max_amount: Some(1_500),
            ..Default::default()
        };
        let amounts: Vec<i64> = history(&w.t.db, &a, &a1.id, &range, 0, 20)
            .await
            .unwrap()
            .items
            .iter()
            .map(|m| m.amount)
            .collect();
        assert_eq!(
            amounts,
            vec![-1_500, -1_400, -1_300, -1_200, -1_100, -1_000]
        );
        let by_name = HistoryFilter {
            counterparty: Some("李**".into()),
            until: Some(start + 3 * MINUTE + 1),
            ..Default::default()
        };
        assert_eq!(
            history(&w.t.db, &a, &a1.id, &by_name, 0, 20)
                .await
                .unwrap()
                .items
                .len(),
            3
        );
        // Another customer's account: nothing, not its movements.
        assert!(history(&w.t.db, &b, &a1.id, &all, 0, 20)
            .await
            .unwrap()
            .items
            .is_empty());
        w.t.finish().await;
    }
}

#[tokio::test]
async fn monthly_statements_add_up_and_export_as_csv() {
    use crate::ledger::statement::{monthly, monthly_flows, Month};
    for t in testing::databases().await {
        let w = World::new(t).await;
        let a = w.customer(1, "王建国", "B002").await;
        let b = w.customer(2, "李晓梅", "B001").await;
        // 2027-01-10 Beijing: opening deposit; in February two transfers out, one in.
        w.clock
            .set(crate::clock::beijing_day_start("2027-01-10").unwrap());
        let a1 = w.funded(&a, AccountClass::One, 100_000).await;
        let b1 = w.funded(&b, AccountClass::One, 50_000).await;
        w.clock
            .set(crate::clock::beijing_day_start("2027-02-03").unwrap() + 3_600_000);
        for (i, fen) in [1_000, 2_500].into_iter().enumerate() {
            let mut r = request(
                &a,
                &a1.id,
                PayeeRef::Card(b1.card_no.clone()),
                fen,
                &format!("s{i}"),
            );
            r.memo = "=SUM(A1)".into();
            w.transfers().post(&r, None).await.unwrap();
        }
        w.transfers()
            .post(
                &request(&b, &b1.id, PayeeRef::Card(a1.card_no.clone()), 700, "back"),
                None,
            )
            .await
            .unwrap();
        let feb = monthly(&w.t.db, &a, &a1.id, Month::parse("2027-02").unwrap())
            .await
            .unwrap();
        assert_eq!(
            (feb.opening, feb.total_in, feb.total_out, feb.closing),
            (100_000, 700, 3_500, 97_200)
        );
        assert_eq!(feb.lines.len(), 3);
        let jan = monthly(&w.t.db, &a, &a1.id, Month::parse("2027-01").unwrap())
            .await
            .unwrap();
        assert_eq!((jan.opening, jan.closing, jan.lines.len()), (0, 100_000, 1));
        let csv = feb.to_csv();
        assert!(csv.starts_with('\u{feff}'));
        assert!(
            csv.contains("期初余额,1000.00") && csv.contains("期末余额,972.00"),
            "{csv}"
        );
        assert!(
            csv.contains("2027-02-03 01:00,'=SUM(A1),李** *"),
            "formulas are defused: {csv}"
        );
        // Not another customer's.
        assert!(
            monthly(&w.t.db, &b, &a1.id, Month::parse("2027-02").unwrap())
                .await
                .is_err()
        );
        // The chart's months: the same totals, empty months as zero, oldest first.
        let feb_month = Month::parse("2027-02").unwrap();
        let flows = monthly_flows(&w.t.db, &a, &a1.id, feb_month.next(), 4)
            .await
            .unwrap();
        let seen: Vec<_> = flows
            .iter()
            .map(|f| (f.month.label(), f.total_in, f.total_out))
            .collect();
        assert_eq!(
            seen,
            vec![
                ("2026-12".to_string(), 0, 0),
                ("2027-01".to_string(), 100_000, 0),
                ("2027-02".to_string(), 700, 3_500),
                ("2027-03".to_string(), 0, 0),
            ]
        );
        // Another customer's account is not found for them.
        assert!(matches!(
            monthly_flows(&w.t.db, &b, &a1.id, feb_month, 6).await,
            Err(Error::NotFound(_))
        ));
        w.t.finish().await;
    }
}

#[tokio::test]
async fn a_batch_that_read_stale_balances_writes_nothing() {
    use crate::ledger::{Batch, EntryKind, Leg, NewEntry};
    for t in testing::databases().await {
        let w = World::new(t).await;
        let Pair { a, b, a1, b1 } = w.payer_and_payee(10_000, 0).await;
        let entry = NewEntry {
            id: crate::id::new_id(),
            kind: EntryKind::Transfer,
            memo: String::new(),
            legs: vec![
                Leg::debit(&a1.id, 6_000, "李**"),
                Leg::credit(&b1.id, 6_000, "王**"),
            ],
        };
        let mut tx = w.t.db.pool().begin().await.unwrap();
        let (now, day) = (w.clock.now(), w.clock.china_day());
        let mut batch = Batch::load(&mut tx, now, day, [&entry]).await.unwrap();
        // A change the batch did not see (in its own transaction, as no other writer could
        // get past its locks): the compare-and-set must notice instead of overwriting it.
        sqlx::query("UPDATE accounts SET balance = balance - 5000 WHERE id = $1")
            .bind(&a1.id)
            .execute(&mut *tx)
            .await
            .unwrap();
        batch.apply(&entry).unwrap();
        let err = batch.flush(&mut tx).await.unwrap_err();
        assert!(matches!(err, Error::Contended(_)), "{err:?}");
        assert!(err.is_transient(), "the committer retries it");
        tx.rollback().await.unwrap();
        assert_eq!(w.balance(&a, &a1.id).await, 10_000);
        assert_eq!(w.balance(&b, &b1.id).await, 0);

        // In memory, a refused entry changes nothing for the entries after it.
        let mut tx = w.t.db.pool().begin().await.unwrap();
        let too_much = NewEntry {
            id: crate::id::new_id(),
            legs: vec![
                Leg::debit(&a1.id, 10_001, "李**"),
                Leg::credit(&b1.id, 10_001, "王**"),
            ],
            ..entry.clone()
        };
        let mut batch = Batch::load(&mut tx, now, day, [&entry, &too_much])
            .await
            .unwrap();
        assert!(matches!(
            batch.apply(&too_much),
            Err(Error::Refused(Refusal::InsufficientFunds {
                available: 10_000
            }))
        ));
        let posted = batch.apply(&entry).unwrap();
        assert_eq!(posted[0].balance_after, 4_000);
        batch.flush(&mut tx).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(w.balance(&a, &a1.id).await, 4_000);
        assert_eq!(w.balance(&b, &b1.id).await, 6_000);
        assert!(crate::ledger::check_books(&w.t.db)
            .await
            .unwrap()
            .is_empty());
        w.t.finish().await;
    }
}

/// Card transfers below the step-up threshold are read and checked by the group commit: all of
/// one batch together, each against what the ones before it left.
#[tokio::test]
async fn a_batch_checks_its_card_transfers_together() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let Pair { a, b, a1, b1 } = w.payer_and_payee(100_000, 0).await;
        let nobody = card::generate("B001").unwrap();
        let entries_before = w.count("SELECT COUNT(*) AS n FROM journal_entries").await;
        let to_b = PayeeRef::Card(b1.card_no.clone());
        let requests = [
            request(&a, &a1.id, to_b.clone(), 30_000, "first"),
            request(&a, &a1.id, to_b.clone(), 30_000, "second"),
            // Passes the read (¥1,000 there) but not what the two before it left (¥400).
            request(&a, &a1.id, to_b.clone(), 50_000, "third"),
            request(&a, &a1.id, PayeeRef::Card(a1.card_no.clone()), 100, "self"),
            request(&a, &a1.id, PayeeRef::Card(nobody), 100, "nobody"),
            // Someone else's account.
            request(&b, &a1.id, to_b.clone(), 100, "theft"),
            // A double submit of the first, in the same batch.
            request(&a, &a1.id, to_b.clone(), 30_000, "first"),
        ];
        // Polled together on one thread: all are queued before the writer runs.
        let transfers = w.transfers();
        let r = |i: usize| transfers.post(&requests[i], None);
        let all = tokio::join!(r(0), r(1), r(2), r(3), r(4), r(5), r(6));
        let results = [all.0, all.1, all.2, all.3, all.4, all.5, all.6];
        let first = results[0].as_ref().unwrap();
        assert_eq!(first.kind, Kind::Intra);
        assert_eq!(first.status, Status::Posted);
        assert_eq!(first.payee_name_masked, "李**");
        assert!(results[1].is_ok());
        assert!(matches!(
            &results[2],
            Err(Error::Refused(Refusal::InsufficientFunds {
                available: 40_000
            }))
        ));
        assert!(matches!(
            &results[3],
            Err(Error::Refused(Refusal::SameAccount))
        ));
        assert!(matches!(
            &results[4],
            Err(Error::Refused(Refusal::PayeeNotFound))
        ));
        assert!(matches!(&results[5], Err(Error::NotFound(_))));
        assert_eq!(results[6].as_ref().unwrap().id, first.id);

        assert_eq!(w.balance(&a, &a1.id).await, 40_000);
        assert_eq!(w.balance(&b, &b1.id).await, 60_000);
        assert_eq!(w.count("SELECT COUNT(*) AS n FROM transfers").await, 2);
        assert_eq!(
            w.count("SELECT COUNT(*) AS n FROM journal_entries").await,
            entries_before + 2
        );
        assert_eq!(check_books(&w.t.db).await.unwrap(), Vec::<String>::new());
        // The receipt as stored is the receipt the caller got.
        assert_eq!(&transfers.get(&a, &first.id).await.unwrap(), first);
        w.t.finish().await;
    }
}

/// The group commit never posts an unread transfer that would need a step-up: only smaller
/// ones are sent unread, and it refuses one that slips through rather than post it unconfirmed.
#[tokio::test]
async fn an_unread_transfer_needing_a_step_up_is_refused_by_the_batch() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let Pair { a, b: _, a1, b1 } = w.payer_and_payee(1_000_000, 0).await;
        let req = request(
            &a,
            &a1.id,
            PayeeRef::Card(b1.card_no.clone()),
            STEP_UP_FROM,
            "unread",
        );
        let outcome = w
            .committer
            .submit(committer::Job {
                code_free: w.code_free,
                now: w.clock.now(),
                china_day: w.clock.china_day(),
                customer_id: a.clone(),
                key: "unread".into(),
                work: committer::Work::ToOurCard {
                    fingerprint: super::fingerprint(&req),
                    req,
                    card_no: b1.card_no.clone(),
                },
            })
            .await
            .unwrap();
        assert!(
            matches!(
                outcome,
                committer::Outcome::Failed(Error::Refused(Refusal::StepUpRequired))
            ),
            "{outcome:?}"
        );
        assert_eq!(w.balance(&a, &a1.id).await, 1_000_000);
        assert_eq!(w.count("SELECT COUNT(*) AS n FROM transfers").await, 0);
        w.t.finish().await;
    }
}

/// Migration 20261128000014 rebuilds postings and transfers without their foreign keys: what
/// was there stays (the transfer, its receipt, its key, its postings by account), and the
/// books' check finds the rows naming nothing that the foreign keys used to refuse.
#[tokio::test]
async fn postings_and_transfers_keep_their_rows_without_foreign_keys() {
    for t in testing::databases_before(20_261_128_000_014).await {
        let w = World::new(t).await;
        w.lend_customer_columns().await;
        let p = w.payer_and_payee(100_000, 0).await;
        let to = PayeeRef::Card(p.b1.card_no.clone());
        let req = request(&p.a, &p.a1.id, to, 30_000, "fk-1");
        let sent = w.transfers().post(&req, None).await.unwrap();
        w.return_customer_columns().await;

        w.t.db.migrate().await.unwrap();
        assert_eq!(w.transfers().get(&p.a, &sent.id).await.unwrap(), sent);
        // A retry still finds it by its key and posts nothing.
        assert_eq!(w.transfers().post(&req, None).await.unwrap(), sent);
        assert_eq!(w.balance(&p.a, &p.a1.id).await, 70_000);
        assert_eq!(w.balance(&p.b, &p.b1.id).await, 30_000);
        let page = history(&w.t.db, &p.b, &p.b1.id, &HistoryFilter::default(), 0, 10)
            .await
            .unwrap();
        assert_eq!(page.items.len(), 1, "{page:?}");
        assert_eq!(check_books(&w.t.db).await.unwrap(), Vec::<String>::new());

        sqlx::query(
            "INSERT INTO postings (id, entry_id, account_id, amount, balance_after, counterparty, \
             memo, created_at) VALUES ('orphan-posting', 'no-such-entry', 'no-such-account', 1, 1, '', '', 0)",
        )
        .execute(w.t.db.pool())
        .await
        .unwrap();
        // One transfer row per thing it can name that is not there: its paying account, its
        // customer, the account it paid.
        for (id, customer, from, to) in [
            ("no-payer", p.a.as_str(), "no-such-account", None),
            ("no-customer", "no-such-customer", p.a1.id.as_str(), None),
            (
                "no-payee",
                p.a.as_str(),
                p.a1.id.as_str(),
                Some("no-such-account"),
            ),
        ] {
            sqlx::query(
                "INSERT INTO transfers (id, customer_id, idempotency_key, fingerprint, kind, \
                 from_account_id, to_account_id, payee_card, payee_name_masked, payee_bank_name, \
                 amount, memo, status, entry_id, created_at, updated_at) \
                 VALUES ($1, $2, $1, '', 'intra', $3, $4, '', '', '', 1, '', 'posted', 'no-such-entry', 0, 0)",
            )
            .bind(id)
            .bind(customer)
            .bind(from)
            .bind(to)
            .execute(w.t.db.pool())
            .await
            .unwrap();
        }
        let problems = check_books(&w.t.db).await.unwrap();
        for expected in [
            "posting without its journal entry or account: orphan-posting",
            "transfer without its customer or accounts: no-payer",
            "transfer without its customer or accounts: no-customer",
            "transfer without its customer or accounts: no-payee",
        ] {
            assert!(problems.iter().any(|p| p == expected), "{problems:?}");
        }
    }
}

/// Makes the database itself refuse a transfer whose memo is "poison", as a constraint or a
/// full disk would refuse one row: a failure the batch cannot foresee.
async fn poison_memo(w: &World) {
    let statements: &[&str] = match w.t.db.kind() {
        crate::db::DbKind::Sqlite => &["CREATE TRIGGER poison BEFORE INSERT ON transfers \
             WHEN NEW.memo = 'poison' BEGIN SELECT RAISE(ABORT, 'poisoned row'); END"],
        crate::db::DbKind::Postgres => &[
            "CREATE FUNCTION poison() RETURNS trigger AS $$ BEGIN \
             IF NEW.memo = 'poison' THEN RAISE EXCEPTION 'poisoned row'; END IF; \
             RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER poison BEFORE INSERT ON transfers FOR EACH ROW EXECUTE FUNCTION poison()",
        ],
    };
    for sql in statements {
        w.exec(sql).await;
    }
}

#[tokio::test]
async fn a_batch_that_fails_is_posted_one_transfer_at_a_time() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let Pair { a, b, a1, b1 } = w.payer_and_payee(1_000_000, 0).await;
        poison_memo(&w).await;
        let to_card = |fen, key: &str, memo: &str| {
            let mut req = request(&a, &a1.id, PayeeRef::Card(b1.card_no.clone()), fen, key);
            req.memo = memo.into();
            req
        };
        let requests = [
            to_card(100, "k1", ""),
            to_card(200, "k2", "poison"),
            to_card(300, "k3", ""),
        ];
        // One batch with all three, handed to the writer as its queue would.
        let mut batch = Vec::new();
        let mut answers = Vec::new();
        for req in &requests {
            let job = w
                .transfers()
                .job(req, &req.idempotency_key, None)
                .await
                .unwrap();
            let (reply, answer) = tokio::sync::oneshot::channel();
            batch.push((job, reply));
            answers.push(answer);
        }
        committer::process(&w.t.db, &mut None, batch).await;
        let mut outcomes = Vec::new();
        for answer in answers {
            outcomes.push(answer.await.unwrap());
        }
        assert!(matches!(&outcomes[0], committer::Outcome::Posted(t) if t.amount == 100));
        assert!(
            matches!(&outcomes[1], committer::Outcome::Failed(Error::Database(_))),
            "{:?}",
            outcomes[1]
        );
        assert!(matches!(&outcomes[2], committer::Outcome::Posted(t) if t.amount == 300));
        // The poisoned one left nothing behind: no row, no money moved.
        assert_eq!(w.balance(&a, &a1.id).await, 1_000_000 - 400);
        assert_eq!(w.balance(&b, &b1.id).await, 400);
        assert_eq!(
            w.count("SELECT COUNT(*) AS n FROM transfers WHERE idempotency_key = 'k2'")
                .await,
            0
        );
        assert_eq!(check_books(&w.t.db).await.unwrap(), Vec::<String>::new());
        w.t.finish().await;
    }
}
