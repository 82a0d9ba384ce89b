use super::*;
use crate::audit::{verify, Verdict};
use crate::clock::ManualClock;
use crate::identity::{Date, Identity, Mobile, RealName, Registration, ResidentId};
use crate::pii::KeyRing;
use crate::testing::{self, authenticator::SoftAuthenticator};

const ORIGIN: &str = "http://localhost:3400";

use crate::testing::refusal;

struct World {
    t: testing::TestDb,
    clock: ManualClock,
    keys: KeyRing,
    rp: RelyingParty,
}

impl World {
    async fn new(t: testing::TestDb) -> World {
        crate::institution::seed(&t.db).await.unwrap();
        World {
            t,
            clock: ManualClock::at(1_800_000_000_000),
            keys: KeyRing::development(),
            rp: RelyingParty::new(ORIGIN).unwrap(),
        }
    }

    fn passkeys(&self) -> Passkeys<'_> {
        Passkeys {
            db: &self.t.db,
            clock: &self.clock,
            rp: &self.rp,
        }
    }

    async fn customer(&self, mobile: &str, seq: &str) -> String {
        let first17 = format!("37018119580301{seq}");
        let id = format!("{first17}{}", crate::identity::check_char(&first17));
        Identity {
            db: &self.t.db,
            clock: &self.clock,
            keys: &self.keys,
        }
        .insert_customer(&Registration {
            mobile: Mobile::parse(mobile).unwrap(),
            name: RealName::parse("王小明").unwrap(),
            resident_id: ResidentId::parse(
                &id,
                Date {
                    year: 2026,
                    month: 11,
                    day: 27,
                },
            )
            .unwrap(),
            bank_code: "B002".into(),
            password: "wang2026pass".into(),
            accepted_terms: true,
            otp_code: String::new(),
        })
        .await
        .unwrap()
    }

    /// Registers the authenticator's passkey for the customer.
    async fn enrol(&self, customer: &str, device: &mut SoftAuthenticator) -> Result<PasskeyInfo> {
        let c = self
            .passkeys()
            .start_registration(customer, "138****1234", "王*")
            .await?;
        let answer = device.create(&c.options);
        self.passkeys()
            .finish_registration(customer, &c.id, &answer, "Chrome · Android")
            .await
    }

    async fn sign_in(&self, device: &mut SoftAuthenticator) -> Result<String> {
        let c = self.passkeys().start_sign_in().await?;
        let answer = device.get(&c.options);
        self.passkeys().finish_sign_in(&c.id, &answer).await
    }
}

#[tokio::test]
async fn a_registered_passkey_signs_in_without_a_mobile_number() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let me = w.customer("13812341234", "123").await;
        let c = w
            .passkeys()
            .start_registration(&me, "138****1234", "王*")
            .await
            .unwrap();
        // What the phone shows and keeps: masked values, a discoverable credential, and the
        // fingerprint or face checked by the device.
        let o = &c.options.public_key;
        assert_eq!(o.user.name, "138****1234");
        assert_eq!(o.user.display_name, "王*");
        assert_eq!(o.rp.id, "localhost");
        let sel = o.authenticator_selection.as_ref().unwrap();
        assert!(sel.require_resident_key);
        assert_eq!(
            sel.user_verification,
            webauthn_rs_proto::UserVerificationPolicy::Required
        );
        let mut phone = SoftAuthenticator::new(ORIGIN, 1);
        let answer = phone.create(&c.options);
        let info = w
            .passkeys()
            .finish_registration(&me, &c.id, &answer, "Chrome · Android")
            .await
            .unwrap();
        assert_eq!(w.passkeys().list(&me).await.unwrap(), vec![info.clone()]);
        assert_eq!(info.last_used_at, None);

        w.clock.advance(MINUTE);
        assert_eq!(w.sign_in(&mut phone).await.unwrap(), me);
        let listed = w.passkeys().list(&me).await.unwrap();
        assert_eq!(listed[0].last_used_at, Some(w.clock.now()));
        // A second sign-in (the counter goes on) works too.
        assert_eq!(w.sign_in(&mut phone).await.unwrap(), me);

        let actions: Vec<(String, String)> =
            sqlx::query("SELECT action, detail FROM audit_log ORDER BY seq")
                .fetch_all(w.t.db.pool())
                .await
                .unwrap()
                .iter()
                .map(|r| (r.get("action"), r.get("detail")))
                .collect();
        assert!(actions
            .iter()
            .any(|(a, d)| a == "passkey_added" && d.contains(&info.id)));
        assert!(matches!(
            verify(&w.t.db).await.unwrap(),
            Verdict::Intact { .. }
        ));
        w.t.finish().await;
    }
}

#[tokio::test]
async fn challenges_are_answered_once_in_time_by_their_own_ceremony() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let me = w.customer("13812341234", "123").await;
        let mut phone = SoftAuthenticator::new(ORIGIN, 1);
        w.enrol(&me, &mut phone).await.unwrap();

        // Replay: the same answer to the same challenge a second time.
        let c = w.passkeys().start_sign_in().await.unwrap();
        let answer = phone.get(&c.options);
        w.passkeys().finish_sign_in(&c.id, &answer).await.unwrap();
        assert_eq!(
            refusal(w.passkeys().finish_sign_in(&c.id, &answer).await),
            Refusal::PasskeyFailed
        );

        // Too late.
        let c = w.passkeys().start_sign_in().await.unwrap();
        let answer = phone.get(&c.options);
        w.clock.advance(CHALLENGE_LIFETIME);
        assert_eq!(
            refusal(w.passkeys().finish_sign_in(&c.id, &answer).await),
            Refusal::PasskeyFailed
        );
        assert_eq!(
            purge_expired(&w.t.db, &w.clock).await.unwrap(),
            0,
            "taken already"
        );
        w.passkeys().start_sign_in().await.unwrap();
        w.clock.advance(CHALLENGE_LIFETIME);
        assert_eq!(purge_expired(&w.t.db, &w.clock).await.unwrap(), 1);

        // A step-up challenge is no sign-in challenge.
        let binding = Binding::to_operation(&me, "transfer", 10_000_000, "6228");
        let c = w.passkeys().start_step_up(&me, &binding).await.unwrap();
        let answer = phone.get(&c.options);
        assert_eq!(
            refusal(w.passkeys().finish_sign_in(&c.id, &answer).await),
            Refusal::PasskeyFailed
        );

        // Another site's page asking for our passkey (the origin is in the signed data).
        let mut phished = SoftAuthenticator::new("http://bank-login.localhost:3400", 1);
        let c = w.passkeys().start_sign_in().await.unwrap();
        let mut answer = phished.get(&c.options);
        answer.response.user_handle = Some(Uuid::parse_str(&me).unwrap().as_bytes().to_vec());
        assert_eq!(
            refusal(w.passkeys().finish_sign_in(&c.id, &answer).await),
            Refusal::PasskeyFailed
        );
        w.t.finish().await;
    }
}

#[tokio::test]
async fn the_device_must_verify_the_person_and_a_cloned_key_is_refused() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let me = w.customer("13812341234", "123").await;
        let mut phone = SoftAuthenticator::new(ORIGIN, 1);
        w.enrol(&me, &mut phone).await.unwrap();
        w.sign_in(&mut phone).await.unwrap();

        phone.skip_verification = true;
        assert_eq!(refusal(w.sign_in(&mut phone).await), Refusal::PasskeyFailed);
        phone.skip_verification = false;

        // A copy of the key answers with a counter at or below the one we last saw.
        phone.rewind_counter();
        assert_eq!(refusal(w.sign_in(&mut phone).await), Refusal::PasskeyFailed);

        // A device that checks nothing cannot register either.
        let other = w.customer("13912341234", "234").await;
        let mut lax = SoftAuthenticator::new(ORIGIN, 2);
        lax.skip_verification = true;
        assert_eq!(
            refusal(w.enrol(&other, &mut lax).await),
            Refusal::PasskeyFailed
        );
        assert!(w.passkeys().list(&other).await.unwrap().is_empty());
        w.t.finish().await;
    }
}

#[tokio::test]
async fn a_passkey_belongs_to_one_customer_and_removal_ends_it() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let me = w.customer("13812341234", "123").await;
        let other = w.customer("13912341234", "234").await;
        let mut phone = SoftAuthenticator::new(ORIGIN, 1);
        let info = w.enrol(&me, &mut phone).await.unwrap();

        // Someone else cannot finish my registration.
        let c = w
            .passkeys()
            .start_registration(&me, "138****1234", "王*")
            .await
            .unwrap();
        let answer = SoftAuthenticator::new(ORIGIN, 3).create(&c.options);
        assert_eq!(
            refusal(
                w.passkeys()
                    .finish_registration(&other, &c.id, &answer, "x")
                    .await
            ),
            Refusal::PasskeyFailed
        );
        // The same authenticator credential cannot be registered to a second customer.
        assert_eq!(
            refusal(w.enrol(&other, &mut phone).await),
            Refusal::PasskeyAlreadyRegistered
        );

        // Removing: not someone else's, then mine; afterwards the phone still offers the
        // passkey but we no longer know it.
        assert!(matches!(
            w.passkeys().remove(&other, &info.id).await,
            Err(Error::NotFound(_))
        ));
        w.passkeys().remove(&me, &info.id).await.unwrap();
        assert!(w.passkeys().list(&me).await.unwrap().is_empty());
        assert_eq!(
            refusal(w.sign_in(&mut phone).await),
            Refusal::PasskeyNotRegistered
        );
        w.t.finish().await;
    }
}

#[tokio::test]
async fn a_step_up_confirms_exactly_its_operation() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let me = w.customer("13812341234", "123").await;
        let other = w.customer("13912341234", "234").await;
        let none = Binding::to_operation(&other, "transfer", 1, "x");
        assert_eq!(
            refusal(w.passkeys().start_step_up(&other, &none).await),
            Refusal::PasskeyNotRegistered
        );
        let mut phone = SoftAuthenticator::new(ORIGIN, 1);
        w.enrol(&me, &mut phone).await.unwrap();

        let binding = Binding::to_operation(&me, "transfer", 600_000, "6228480000000000001");
        let c = w.passkeys().start_step_up(&me, &binding).await.unwrap();
        assert_eq!(c.options.public_key.allow_credentials.len(), 1);
        let answer = phone.get(&c.options);
        // Not answerable as another customer.
        let c2 = w.passkeys().start_step_up(&me, &binding).await.unwrap();
        let answer2 = phone.get(&c2.options);
        assert_eq!(
            refusal(w.passkeys().finish_step_up(&other, &c2.id, &answer2).await),
            Refusal::PasskeyFailed
        );

        let ok = w
            .passkeys()
            .finish_step_up(&me, &c.id, &answer)
            .await
            .unwrap();
        assert!(ok.authorises(&me, &binding));
        let changed = Binding::to_operation(&me, "transfer", 600_001, "6228480000000000001");
        assert!(!ok.authorises(&me, &changed), "amount changed");
        assert!(!ok.authorises(&other, &binding), "another customer");
        assert_eq!(
            refusal(w.passkeys().finish_step_up(&me, &c.id, &answer).await),
            Refusal::PasskeyFailed,
            "used up"
        );
        w.t.finish().await;
    }
}

#[test]
fn the_relying_party_needs_a_domain_name() {
    assert!(RelyingParty::new("http://127.0.0.1:3400").is_err());
    assert!(RelyingParty::new("http://[::1]:3400").is_err());
    assert!(RelyingParty::new("not a url").is_err());
    let rp = RelyingParty::new("https://mbank.example.cn/").unwrap();
    assert_eq!(rp.origin(), "https://mbank.example.cn");
}
