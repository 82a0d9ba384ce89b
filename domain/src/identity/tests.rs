use std::sync::Arc;

use super::*;
use crate::audit::{verify, Verdict};
use crate::clock::ManualClock;
use crate::sms::{outbox, DevOutbox};
use crate::testing;

const TODAY: Date = Date {
    year: 2026,
    month: 11,
    day: 27,
};

use crate::testing::refusal;

struct World {
    t: testing::TestDb,
    clock: ManualClock,
    keys: KeyRing,
    sms: DevOutbox,
}

impl World {
    async fn new(t: testing::TestDb) -> World {
        crate::institution::seed(&t.db).await.unwrap();
        let clock = ManualClock::at(1_800_000_000_000);
        let sms = DevOutbox::new(t.db.clone(), Arc::new(clock.clone()));
        World {
            t,
            clock,
            keys: KeyRing::development(),
            sms,
        }
    }

    fn id(&self) -> Identity<'_> {
        Identity {
            db: &self.t.db,
            clock: &self.clock,
            keys: &self.keys,
        }
    }

    async fn code(&self, mobile: &Mobile, purpose: Purpose) -> String {
        self.clock.advance(otp::RESEND_AFTER);
        self.id()
            .otp()
            .issue(&self.sms, mobile, purpose, &Binding::none(), |c| {
                format!("验证码{c}")
            })
            .await
            .unwrap();
        outbox(&self.t.db, mobile, 1).await.unwrap()[0]
            .body
            .trim_start_matches("验证码")
            .to_string()
    }

    async fn register(&self, mobile: &str, id: &str) -> Result<String> {
        let mobile = Mobile::parse(mobile).unwrap();
        let otp_code = self.code(&mobile, Purpose::Register).await;
        self.id()
            .register(Registration {
                mobile,
                name: RealName::parse("王小明").unwrap(),
                resident_id: ResidentId::parse(id, TODAY).unwrap(),
                bank_code: "B002".into(),
                password: "wang2026pass".into(),
                accepted_terms: true,
                otp_code,
            })
            .await
    }
}

fn resident_id(birth: &str, seq: &str) -> String {
    let first17 = format!("370181{birth}{seq}");
    format!("{first17}{}", check_char(&first17))
}

#[tokio::test]
async fn register_seals_personal_data_and_signs_in() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let id = w
            .register("13812341234", &resident_id("19580301", "123"))
            .await
            .unwrap();

        let row = sqlx::query("SELECT * FROM customers WHERE id = $1")
            .bind(&id)
            .fetch_one(w.t.db.pool())
            .await
            .unwrap();
        for column in [
            "mobile_sealed",
            "resident_id_sealed",
            "name_sealed",
            "mobile_index",
        ] {
            let v: String = row.get(column);
            assert!(
                !v.contains("13812341234") && !v.contains("王小明") && !v.contains("19580301"),
                "{column}: {v}"
            );
        }
        let p = w.id().profile(&id).await.unwrap();
        assert_eq!(
            (p.mobile_masked.as_str(), p.name_masked.as_str()),
            ("138****1234", "王**")
        );
        assert_eq!(
            p.resident_id_masked,
            "3701**********1231".replace("1231", &resident_id("19580301", "123")[14..])
        );
        assert_eq!(p.bank_name, "章丘农商银行");

        let m = Mobile::parse("13812341234").unwrap();
        assert_eq!(w.id().check_password(&m, "wang2026pass").await.unwrap(), id);
        assert_eq!(w.id().mobile_of(&id).await.unwrap(), m);
        assert_eq!(w.id().reveal(&id, Field::Name).await.unwrap(), "王小明");
        let audit = crate::audit::for_subject(&w.t.db, &id, 10).await.unwrap();
        assert!(
            audit.iter().any(|a| a.action == "pii_revealed"),
            "reveals are audited"
        );
        assert!(audit.iter().any(|a| a.action == "register"));
        assert!(audit.iter().all(|a| !a.detail.contains("13812341234")));

        // The same number or ID cannot register twice.
        assert_eq!(
            refusal(
                w.register("13812341234", &resident_id("19700101", "456"))
                    .await
            ),
            Refusal::AlreadyRegistered
        );
        assert_eq!(
            refusal(
                w.register("13900000000", &resident_id("19580301", "123"))
                    .await
            ),
            Refusal::AlreadyRegistered
        );
        assert_eq!(
            verify(&w.t.db).await.unwrap(),
            Verdict::Intact { entries: 2 }
        );
        w.t.finish().await;
    }
}

#[tokio::test]
async fn registration_rules() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let mobile = Mobile::parse("13600000001").unwrap();
        let base = Registration {
            mobile: mobile.clone(),
            name: RealName::parse("李四").unwrap(),
            resident_id: ResidentId::parse(&resident_id("19900101", "222"), TODAY).unwrap(),
            bank_code: "B010".into(),
            password: "li4pass1990x".into(),
            accepted_terms: true,
            otp_code: "000000".into(),
        };
        let no_terms = Registration {
            accepted_terms: false,
            ..base.clone()
        };
        assert_eq!(
            refusal(w.id().register(no_terms).await),
            Refusal::TermsNotAccepted
        );
        let weak = Registration {
            password: "x19900101".into(),
            ..base.clone()
        };
        assert!(
            matches!(
                refusal(w.id().register(weak).await),
                Refusal::WeakPassword(_)
            ),
            "birth date in password"
        );
        assert_eq!(
            refusal(w.id().register(base.clone()).await),
            Refusal::OtpExpired,
            "no code was sent"
        );
        let bad_bank = Registration {
            bank_code: "B999".into(),
            ..base.clone()
        };
        assert!(matches!(
            w.id().register(bad_bank).await,
            Err(Error::Invalid {
                input: crate::Input::Bank,
                ..
            })
        ));
        let code = w.code(&mobile, Purpose::Register).await;
        w.id()
            .register(Registration {
                otp_code: code,
                ..base
            })
            .await
            .unwrap();
        w.t.finish().await;
    }
}

#[tokio::test]
async fn five_wrong_passwords_lock_with_growing_durations_and_reset_unlocks() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let rid = resident_id("19801212", "333");
        let id = w.register("13712345678", &rid).await.unwrap();
        let m = Mobile::parse("13712345678").unwrap();
        for remaining in (1..MAX_FAILED_LOGINS).rev() {
            assert_eq!(
                refusal(w.id().check_password(&m, "wrong-pass-1").await),
                Refusal::BadCredentials { remaining }
            );
        }
        let first_lock = w.clock.now() + 15 * MINUTE;
        assert_eq!(
            refusal(w.id().check_password(&m, "wrong-pass-1").await),
            Refusal::Locked { until: first_lock }
        );
        assert_eq!(
            refusal(w.id().check_password(&m, "wang2026pass").await),
            Refusal::Locked { until: first_lock },
            "even the right password"
        );

        w.clock.advance(15 * MINUTE);
        for _ in 0..MAX_FAILED_LOGINS - 1 {
            assert!(matches!(
                refusal(w.id().check_password(&m, "wrong-pass-1").await),
                Refusal::BadCredentials { .. }
            ));
        }
        assert_eq!(
            refusal(w.id().check_password(&m, "wrong-pass-1").await),
            Refusal::Locked {
                until: w.clock.now() + HOUR
            },
            "second lock lasts longer"
        );

        // SMS-verified reset unlocks at once.
        let code = w.code(&m, Purpose::ResetPassword).await;
        assert_eq!(
            w.id()
                .reset_password(&m, &code, &rid, "newpass2026")
                .await
                .unwrap(),
            id
        );
        assert_eq!(w.id().check_password(&m, "newpass2026").await.unwrap(), id);
        assert_eq!(
            refusal(w.id().check_password(&m, "wang2026pass").await),
            Refusal::BadCredentials { remaining: 4 }
        );

        // An unknown number answers exactly like a known one with a wrong password: the same
        // tries left, the same lock, the same longer second lock.
        let unknown = Mobile::parse("13000000000").unwrap();
        let known = Mobile::parse("13712345678").unwrap();
        w.id().check_password(&known, "newpass2026").await.unwrap();
        for remaining in (1..MAX_FAILED_LOGINS).rev() {
            for m in [&unknown, &known] {
                assert_eq!(
                    refusal(w.id().check_password(m, "whatever1").await),
                    Refusal::BadCredentials { remaining },
                    "{m:?}"
                );
            }
        }
        let lock = Refusal::Locked {
            until: w.clock.now() + 15 * MINUTE,
        };
        for m in [&unknown, &known] {
            assert_eq!(refusal(w.id().check_password(m, "whatever1").await), lock);
            assert_eq!(refusal(w.id().check_password(m, "whatever1").await), lock);
        }
        w.clock.advance(15 * MINUTE);
        for m in [&unknown, &known] {
            for _ in 0..MAX_FAILED_LOGINS - 1 {
                assert!(matches!(
                    refusal(w.id().check_password(m, "whatever1").await),
                    Refusal::BadCredentials { .. }
                ));
            }
            assert_eq!(
                refusal(w.id().check_password(m, "whatever1").await),
                Refusal::Locked {
                    until: w.clock.now() + HOUR
                },
                "{m:?}"
            );
        }
        let actions: Vec<String> = crate::audit::for_subject(&w.t.db, &id, 50)
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.action)
            .collect();
        assert_eq!(actions.iter().filter(|a| *a == "locked").count(), 4);
        assert!(actions.contains(&"password_reset".to_string()));
        w.t.finish().await;
    }
}

/// A reset by SMS code alone is what a swapped SIM card would give a thief: it also needs the
/// last four digits of one of the customer's cards or the resident ID, and it ends every
/// session, forgets every remembered browser and asks for a review of the passkeys.
#[tokio::test]
async fn a_password_reset_needs_a_second_proof_and_ends_everything_else() {
    use crate::identity::session;
    for t in testing::databases().await {
        let w = World::new(t).await;
        let rid = resident_id("19700303", "555");
        let id = w.register("13712345600", &rid).await.unwrap();
        let m = Mobile::parse("13712345600").unwrap();
        let policy = session::SessionPolicy::default();
        let token = session::create(&w.t.db, &w.clock, &id, "browser-1", "Firefox", policy)
            .await
            .unwrap();
        session::remember_device(&w.t.db, &w.clock, &id, "browser-1", "Firefox")
            .await
            .unwrap();
        let card = crate::account::Accounts {
            db: &w.t.db,
            clock: &w.clock,
        }
        .open(&id, crate::account::AccountClass::Two, "电子账户")
        .await
        .unwrap()
        .card_no;
        sqlx::query(
            "INSERT INTO passkeys (id, customer_id, credential_id, label, credential, created_at) \
             VALUES ('pk1', $1, 'cred1', '我的手机', '{}', 0)",
        )
        .bind(&id)
        .execute(w.t.db.pool())
        .await
        .unwrap();

        let code = w.code(&m, Purpose::ResetPassword).await;
        for wrong in ["", "0000", "12345", &resident_id("19700303", "556")] {
            let wrong = if wrong == "0000" && card.ends_with("0000") {
                "1111"
            } else {
                wrong
            };
            assert_eq!(
                refusal(w.id().reset_password(&m, &code, wrong, "newpass2026").await),
                Refusal::ResetProofWrong,
                "{wrong:?}"
            );
        }
        // The code was not spent by the wrong proofs; the card's last four digits prove it.
        w.id()
            .reset_password(&m, &code, &card[card.len() - 4..], "newpass2026")
            .await
            .unwrap();
        assert_eq!(
            refusal(session::authenticate(&w.t.db, &w.clock, &token, policy).await),
            Refusal::SignedOut,
            "every session ended"
        );
        assert!(!session::is_known_device(&w.t.db, &id, "browser-1")
            .await
            .unwrap());
        assert!(w.id().passkey_review_due(&id).await.unwrap());
        w.id().passkeys_reviewed(&id).await.unwrap();
        assert!(!w.id().passkey_review_due(&id).await.unwrap());
        // The resident ID proves it too.
        let code = w.code(&m, Purpose::ResetPassword).await;
        w.id()
            .reset_password(&m, &code, &rid, "newpass2027")
            .await
            .unwrap();
        assert_eq!(w.id().check_password(&m, "newpass2027").await.unwrap(), id);
        w.t.finish().await;
    }
}

#[tokio::test]
async fn key_rotation_reseals_without_losing_data() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let id = w
            .register("13512345678", &resident_id("19661128", "444"))
            .await
            .unwrap();
        let k = |s: u8| base64::Engine::encode(&base64::engine::general_purpose::STANDARD, [s; 32]);
        // The new ring keeps the old key (dev1) readable and seals with new2; same index key.
        let rotated = KeyRing::new(&format!("dev1:{},new2:{}", k(1), k(3)), "new2", &k(2)).unwrap();
        let after = Identity {
            db: &w.t.db,
            clock: &w.clock,
            keys: &rotated,
        };
        assert_eq!(
            after.reveal(&id, Field::Name).await.unwrap(),
            "王小明",
            "old values readable at once"
        );
        // A saved payee from another bank, its typed name sealed under the old key; and one
        // of our network with nothing sealed, which rotation must leave alone.
        let sealed_payee = w.keys.seal(&id, Field::Name, "张三").unwrap();
        for (pid, card, sealed) in [
            ("p1", "6222020016020001182", sealed_payee.as_str()),
            ("p2", "6230020000000000017", ""),
        ] {
            sqlx::query(
                "INSERT INTO payees (id, customer_id, card_no, name_masked, name_sealed, bank_name, in_network, last_used_at) \
                 VALUES ($1, $2, $3, '张*', $4, '工商银行', 0, 0)",
            )
            .bind(pid)
            .bind(&id)
            .bind(card)
            .bind(sealed)
            .execute(w.t.db.pool())
            .await
            .unwrap();
        }
        // Bounded passes: one row of each table at a time, until nothing is left.
        assert_eq!(
            crate::pii::rotate::pass(&w.t.db, &rotated, 1)
                .await
                .unwrap(),
            2
        );
        assert_eq!(
            crate::pii::rotate::pass(&w.t.db, &rotated, 1)
                .await
                .unwrap(),
            0,
            "nothing left to rotate"
        );
        let payee: String = sqlx::query("SELECT name_sealed FROM payees WHERE id = 'p1'")
            .fetch_one(w.t.db.pool())
            .await
            .unwrap()
            .get(0);
        assert!(payee.starts_with("v1:new2:"), "{payee}");
        assert_eq!(rotated.open(&id, Field::Name, &payee).unwrap(), "张三");
        let untouched: String = sqlx::query("SELECT name_sealed FROM payees WHERE id = 'p2'")
            .fetch_one(w.t.db.pool())
            .await
            .unwrap()
            .get(0);
        assert_eq!(untouched, "");
        assert_eq!(crate::pii::rotate::all(&w.t.db, &rotated).await.unwrap(), 0);
        let sealed: String = sqlx::query("SELECT name_sealed FROM customers")
            .fetch_one(w.t.db.pool())
            .await
            .unwrap()
            .get(0);
        assert!(sealed.starts_with("v1:new2:"));
        assert_eq!(
            after.reveal(&id, Field::ResidentId).await.unwrap(),
            resident_id("19661128", "444")
        );
        let m = Mobile::parse("13512345678").unwrap();
        assert_eq!(
            after.check_password(&m, "wang2026pass").await.unwrap(),
            id,
            "lookups still work"
        );
        w.t.finish().await;
    }
}

#[tokio::test]
async fn sign_in_needs_a_code_only_for_a_named_risk() {
    use super::risk::{assess, Signal, DORMANT_AFTER};
    for t in testing::databases().await {
        let w = World::new(t).await;
        let id = w
            .register("13512340001", &resident_id("19700101", "123"))
            .await
            .unwrap();
        let m = Mobile::parse("13512340001").unwrap();
        let signals = || assess(&w.t.db, &w.clock, &id, "browser-a");
        assert_eq!(signals().await.unwrap(), vec![Signal::NewDevice]);
        session::remember_device(&w.t.db, &w.clock, &id, "browser-a", "Firefox")
            .await
            .unwrap();
        assert_eq!(
            signals().await.unwrap(),
            vec![],
            "a proven browser: password only"
        );

        // Someone guesses: three wrong passwords, then the right one on a known browser.
        for _ in 0..3 {
            w.id().check_password(&m, "guess-123456").await.unwrap_err();
        }
        w.id().check_password(&m, "wang2026pass").await.unwrap();
        assert_eq!(signals().await.unwrap(), vec![Signal::RecentFailures]);
        // A completed sign-in (audited) ends that; two failures are still ordinary typos.
        crate::audit::append(
            &w.t.db,
            &w.clock,
            crate::audit::Entry {
                actor: &id,
                action: crate::audit::Action::LoginSucceeded,
                subject: &id,
                detail: serde_json::json!({}),
            },
        )
        .await
        .unwrap();
        for _ in 0..2 {
            w.id().check_password(&m, "guess-123456").await.unwrap_err();
        }
        assert_eq!(signals().await.unwrap(), vec![]);
        // Failures older than a day no longer count.
        w.id().check_password(&m, "guess-123456").await.unwrap_err();
        assert_eq!(signals().await.unwrap(), vec![Signal::RecentFailures]);
        w.clock.advance(crate::clock::DAY + 1);
        assert_eq!(signals().await.unwrap(), vec![]);

        // A browser left unused for three months is asked again.
        w.clock.advance(DORMANT_AFTER);
        assert_eq!(signals().await.unwrap(), vec![Signal::DormantDevice]);
        session::remember_device(&w.t.db, &w.clock, &id, "browser-a", "Firefox")
            .await
            .unwrap();
        assert_eq!(signals().await.unwrap(), vec![]);
        w.t.finish().await;
    }
}
