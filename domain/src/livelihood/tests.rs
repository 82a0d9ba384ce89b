use super::simulator::{BureauSimulator, LATEST};
use super::*;
use crate::clock::{ManualClock, DAY, MINUTE, SECOND};
use crate::sms::{outbox, DevOutbox};
use crate::testing;
use crate::transfer::tests::code_in;

use crate::testing::refusal;

struct World {
    t: testing::TestDb,
    clock: ManualClock,
    keys: KeyRing,
    sms: DevOutbox,
    bureau: BureauSimulator,
}

impl World {
    async fn new(t: testing::TestDb) -> World {
        crate::institution::seed(&t.db).await.unwrap();
        let clock = ManualClock::at(1_800_000_000_000);
        let sms = DevOutbox::new(t.db.clone(), std::sync::Arc::new(clock.clone()));
        World {
            t,
            clock,
            keys: KeyRing::development(),
            sms,
            bureau: BureauSimulator::new(),
        }
    }

    fn cards(&self) -> ECards<'_> {
        ECards {
            db: &self.t.db,
            clock: &self.clock,
            keys: &self.keys,
            bureau: &self.bureau,
        }
    }

    /// A customer whose resident ID ends in sequence code `n` (see the simulator's rules).
    async fn customer(&self, n: u32) -> String {
        testing::customer(&self.t.db, &self.clock, &self.keys, n, "王建国", "B002").await
    }

    async fn send(&self, customer: &str, kind: CardKind, session: &str) -> String {
        self.cards()
            .send_sign_up_code(&self.sms, customer, kind, session)
            .await
            .unwrap();
        let mobile = Identity {
            db: &self.t.db,
            clock: &self.clock,
            keys: &self.keys,
        }
        .mobile_of(customer)
        .await
        .unwrap();
        let sent = outbox(&self.t.db, &mobile, 1).await.unwrap();
        code_in(&sent[0].body)
    }

    async fn audited(&self, action: &str) -> i64 {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM audit_log WHERE action = $1")
            .bind(action)
            .fetch_one(self.t.db.pool())
            .await
            .unwrap();
        crate::db::get_i64(&row, "n").unwrap()
    }
}

#[tokio::test]
async fn sign_up_needs_the_code_bound_to_this_card_and_session() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let c = w.customer(1).await;
        let code = w.send(&c, CardKind::SocialSecurity, "session-1").await;
        // The code from another session (a stolen cookie elsewhere) does not sign up, and voids
        // the code.
        assert_eq!(
            refusal(
                w.cards()
                    .sign_up(&c, CardKind::SocialSecurity, "session-2", &code)
                    .await
            ),
            Refusal::OtpBindingChanged
        );
        assert_eq!(
            refusal(
                w.cards()
                    .sign_up(&c, CardKind::SocialSecurity, "session-1", &code)
                    .await
            ),
            Refusal::OtpExpired
        );
        // Nor does a code sent for the other card.
        w.clock.advance(MINUTE);
        let medical = w.send(&c, CardKind::Medical, "session-1").await;
        assert_eq!(
            refusal(
                w.cards()
                    .sign_up(&c, CardKind::SocialSecurity, "session-1", &medical)
                    .await
            ),
            Refusal::OtpBindingChanged
        );
        assert_eq!(
            w.cards()
                .active(&c, CardKind::SocialSecurity)
                .await
                .unwrap(),
            None
        );
        w.clock.advance(MINUTE);
        let code = w.send(&c, CardKind::SocialSecurity, "session-1").await;
        let card = w
            .cards()
            .sign_up(
                &c,
                CardKind::SocialSecurity,
                "session-1",
                &format!(" {code} "),
            )
            .await
            .unwrap();
        assert_eq!(card.status, CardStatus::Active);
        assert_eq!(card.issuer, "济南市人力资源和社会保障局");
        assert_eq!(card.card_no_masked.chars().count(), 9);
        assert!(card.card_no_masked.contains("******"));
        assert_eq!(
            w.cards()
                .active(&c, CardKind::SocialSecurity)
                .await
                .unwrap(),
            Some(card.clone())
        );
        // Once: a second sign-up or a second code is refused with a clear reason.
        assert_eq!(
            refusal(
                w.cards()
                    .sign_up(&c, CardKind::SocialSecurity, "session-1", &code)
                    .await
            ),
            Refusal::CardAlreadyActive
        );
        assert_eq!(
            refusal(
                w.cards()
                    .send_sign_up_code(&w.sms, &c, CardKind::SocialSecurity, "session-1")
                    .await
            ),
            Refusal::CardAlreadyActive
        );
        assert_eq!(w.audited("ecard_signed_up").await, 1);
        // The database holds at most one active card per kind, whatever races.
        let dup = sqlx::query(
            "INSERT INTO ecards (id, customer_id, kind, card_ref, card_no_masked, issuer, status, signed_up_at) \
             VALUES ('x', $1, 'essc', 'E00aa', 'A', 'B', 'active', 0)",
        )
        .bind(&c)
        .execute(w.t.db.pool())
        .await;
        assert!(dup.is_err());
        w.t.finish().await;
    }
}

#[tokio::test]
async fn codes_verify_with_the_bureau_key_for_one_minute_and_stop_at_unbinding() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let c = w.customer(3).await;
        assert_eq!(
            refusal(w.cards().code(&c, CardKind::SocialSecurity).await),
            Refusal::CardNotActive
        );
        let code = w.send(&c, CardKind::SocialSecurity, "s").await;
        w.cards()
            .sign_up(&c, CardKind::SocialSecurity, "s", &code)
            .await
            .unwrap();
        let key = w.bureau.verifying_key();
        let qr = w.cards().code(&c, CardKind::SocialSecurity).await.unwrap();
        assert_eq!(qr.expires_at - qr.issued_at, code::LIFETIME);
        let claims = code::verify(&key, &qr.text, w.clock.now()).unwrap();
        assert_eq!(claims.kind, CardKind::SocialSecurity);
        // The code does not carry the resident ID.
        assert!(!qr.text.contains("370102"));
        w.clock.advance(59 * SECOND);
        assert!(code::verify(&key, &qr.text, w.clock.now()).is_ok());
        w.clock.advance(SECOND);
        assert_eq!(
            refusal(code::verify(&key, &qr.text, w.clock.now())),
            Refusal::CardCodeExpired
        );
        // The next code is a new one, good for its own minute.
        let next = w.cards().code(&c, CardKind::SocialSecurity).await.unwrap();
        assert_ne!(next.text, qr.text);
        assert!(code::verify(&key, &next.text, w.clock.now()).is_ok());

        w.cards()
            .unbind(&c, CardKind::SocialSecurity)
            .await
            .unwrap();
        assert_eq!(
            refusal(w.cards().code(&c, CardKind::SocialSecurity).await),
            Refusal::CardNotActive
        );
        assert_eq!(
            refusal(w.cards().unbind(&c, CardKind::SocialSecurity).await),
            Refusal::CardNotActive
        );
        assert_eq!(w.audited("ecard_unbound").await, 1);
        // Signing up again after unbinding works (the resend wait is a minute).
        w.clock.advance(MINUTE);
        let again = w.send(&c, CardKind::SocialSecurity, "s").await;
        let card = w
            .cards()
            .sign_up(&c, CardKind::SocialSecurity, "s", &again)
            .await
            .unwrap();
        assert_eq!(card.status, CardStatus::Active);
        w.t.finish().await;
    }
}

#[tokio::test]
async fn the_bureau_refuses_the_uninsured_and_lost_cards() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let uninsured = w.customer(995).await;
        for kind in CardKind::ALL {
            let code = w.send(&uninsured, kind, "s").await;
            assert_eq!(
                refusal(w.cards().sign_up(&uninsured, kind, "s", &code).await),
                Refusal::NotInsured
            );
            assert_eq!(w.cards().active(&uninsured, kind).await.unwrap(), None);
            w.clock.advance(MINUTE);
        }
        // A lost physical card stops the e-SSC, not the medical e-voucher.
        let lost = w.customer(981).await;
        let code = w.send(&lost, CardKind::SocialSecurity, "s").await;
        assert_eq!(
            refusal(
                w.cards()
                    .sign_up(&lost, CardKind::SocialSecurity, "s", &code)
                    .await
            ),
            Refusal::CardReportedLost
        );
        w.clock.advance(MINUTE);
        let code = w.send(&lost, CardKind::Medical, "s").await;
        w.cards()
            .sign_up(&lost, CardKind::Medical, "s", &code)
            .await
            .unwrap();
        assert_eq!(w.audited("ecard_signed_up").await, 1);
        w.t.finish().await;
    }
}

#[tokio::test]
async fn the_medical_account_shows_balance_and_latest_movements() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let employee = w.customer(7).await;
        let resident = w.customer(8).await;
        assert_eq!(
            refusal(w.cards().medical_account(&employee).await),
            Refusal::CardNotActive
        );
        for c in [&employee, &resident] {
            let code = w.send(c, CardKind::Medical, "s").await;
            let card = w
                .cards()
                .sign_up(c, CardKind::Medical, "s", &code)
                .await
                .unwrap();
            assert_eq!(card.issuer, "济南市医疗保障局");
        }
        let e = w.cards().medical_account(&employee).await.unwrap();
        assert_eq!(e.scheme, Scheme::Employee);
        assert_eq!(e.area, "济南");
        let balance = e.balance.expect("employees have a personal account");
        assert!(balance >= 0);
        assert!(!e.movements.is_empty() && e.movements.len() <= LATEST);
        assert!(
            e.movements.windows(2).all(|m| m[0].at >= m[1].at),
            "latest first"
        );
        assert!(e.movements.iter().all(|m| m.at <= w.clock.now()));
        assert!(e
            .movements
            .iter()
            .any(|m| m.what == "个人账户划入" && m.personal > 0));
        // The same answer on every call (any node), and tomorrow's balance follows from today's
        // plus tomorrow's movements.
        assert_eq!(w.cards().medical_account(&employee).await.unwrap(), e);
        w.clock.advance(DAY);
        let next = w.cards().medical_account(&employee).await.unwrap();
        let new: i64 = next
            .movements
            .iter()
            .filter(|m| m.at > w.clock.now() - DAY)
            .map(|m| m.personal)
            .sum();
        assert_eq!(next.balance, Some(balance + new));

        let r = w.cards().medical_account(&resident).await.unwrap();
        assert_eq!(r.scheme, Scheme::Resident);
        assert_eq!(r.balance, None);
        assert!(r.movements.iter().all(|m| m.personal == 0 && m.fund > 0));
        w.t.finish().await;
    }
}

mod applications {
    use super::*;
    use crate::clock::HOUR;
    use crate::livelihood::application::{ApplicationRequest, Applications, Stage};

    fn applications(w: &World) -> Applications<'_> {
        Applications {
            db: &w.t.db,
            clock: &w.clock,
            keys: &w.keys,
            bureau: &w.bureau,
        }
    }

    fn holder(seq: u32) -> String {
        let first17 = format!("37098219450315{seq:03}");
        format!("{first17}{}", crate::identity::check_char(&first17))
    }

    fn request(customer: &str, id: &str, key: &str) -> ApplicationRequest {
        ApplicationRequest {
            customer_id: customer.into(),
            name: "王秀英".into(),
            resident_id: id.into(),
            city: "泰安".into(),
            idempotency_key: key.into(),
        }
    }

    #[tokio::test]
    async fn an_application_moves_along_its_timeline_and_is_made_once() {
        for t in testing::databases().await {
            let w = World::new(t).await;
            let c = w.customer(11).await;
            let apps = applications(&w);
            let mother = holder(124);
            let a = apps.submit(&request(&c, &mother, "k1")).await.unwrap();
            assert_eq!(a.name_masked, "王**");
            assert_eq!(
                a.resident_id_masked,
                "3709**********124X".replace('X', &mother[17..])
            );
            assert_eq!(a.pickup_bank, "章丘农商银行");
            assert_eq!(a.progress, vec![(Stage::Submitted, a.submitted_at)]);
            // A double submit answers with the same application; a new one for the same
            // person within the month is refused.
            assert_eq!(apps.submit(&request(&c, &mother, "k1")).await.unwrap(), a);
            assert_eq!(
                refusal(apps.submit(&request(&c, &mother, "k2")).await),
                Refusal::CardApplicationPending
            );
            // The bureau's timeline: checked within two hours, ready at the bank in three days.
            w.clock.advance(2 * HOUR);
            let stages = |a: &crate::livelihood::application::Application| {
                a.progress.iter().map(|(s, _)| *s).collect::<Vec<_>>()
            };
            let now = apps.get(&c, &a.id).await.unwrap();
            assert_eq!(stages(&now), [Stage::Submitted, Stage::Approved]);
            w.clock.advance(3 * DAY);
            let now = apps.get(&c, &a.id).await.unwrap();
            assert_eq!(stages(&now), Stage::ALL);
            assert_eq!(apps.list(&c).await.unwrap(), vec![now]);
            // Another customer sees nothing of it.
            let other = w.customer(12).await;
            assert!(matches!(
                apps.get(&other, &a.id).await,
                Err(Error::NotFound(_))
            ));
            assert!(apps.list(&other).await.unwrap().is_empty());
            // After a month the same person may be applied for again (a lost new card).
            w.clock.advance(30 * DAY);
            apps.submit(&request(&c, &mother, "k3")).await.unwrap();
            assert_eq!(w.audited("card_applied").await, 2);
            w.t.finish().await;
        }
    }

    #[tokio::test]
    async fn bad_input_and_the_uninsured_are_refused_and_leave_nothing() {
        for t in testing::databases().await {
            let w = World::new(t).await;
            let c = w.customer(13).await;
            let apps = applications(&w);
            let good = holder(124);
            let wrong_check = format!(
                "{}{}",
                &good[..17],
                if good.ends_with('1') { '2' } else { '1' }
            );
            assert!(matches!(
                apps.submit(&request(&c, &wrong_check, "k1")).await,
                Err(Error::Invalid {
                    input: crate::Input::ResidentId,
                    ..
                })
            ));
            let mut nameless = request(&c, &good, "k2");
            nameless.name = "X".into();
            assert!(matches!(
                apps.submit(&nameless).await,
                Err(Error::Invalid {
                    input: crate::Input::Name,
                    ..
                })
            ));
            let mut nowhere = request(&c, &good, "k3");
            nowhere.city = "北京".into();
            assert!(matches!(
                apps.submit(&nowhere).await,
                Err(Error::Invalid {
                    input: crate::Input::Choice,
                    ..
                })
            ));
            assert_eq!(
                refusal(apps.submit(&request(&c, &holder(991), "k4")).await),
                Refusal::NotInsured
            );
            assert!(apps.list(&c).await.unwrap().is_empty());
            assert_eq!(w.audited("card_applied").await, 0);
            w.t.finish().await;
        }
    }
}
