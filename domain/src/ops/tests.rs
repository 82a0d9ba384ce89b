use super::*;
use crate::audit::{for_subject, verify, Verdict};
use crate::clock::{ManualClock, MINUTE};
use crate::testing::{self, refusal};
use crate::Error;

pub(super) struct World {
    pub(super) t: testing::TestDb,
    pub(super) clock: ManualClock,
    keys: KeyRing,
}

impl World {
    pub(super) async fn new(t: testing::TestDb) -> World {
        crate::institution::seed(&t.db).await.unwrap();
        World {
            t,
            clock: ManualClock::at(1_800_000_000_000),
            keys: KeyRing::development(),
        }
    }

    pub(super) fn ops(&self) -> Ops<'_> {
        Ops {
            db: &self.t.db,
            clock: &self.clock,
            keys: &self.keys,
        }
    }

    /// The code an authenticator app shows now.
    fn code(&self, c: &Credentials) -> String {
        totp::code_at_step(&c.totp_secret, totp::step_at(self.clock.now()))
    }

    /// Signs in and, when the password is still the issued one, replaces it.
    pub(super) async fn signed_in(&self, c: &Credentials) -> StaffMember {
        let (_, member) = self
            .ops()
            .sign_in(
                &c.login,
                &c.password,
                &self.code(c),
                "test",
                StaffPolicy::default(),
            )
            .await
            .unwrap();
        if member.must_change_password {
            self.ops()
                .change_password(&member, &c.password, "Own-pass-2026")
                .await
                .unwrap();
        }
        // The next code is a new step's.
        self.clock.advance(totp::STEP_SECS * 1000);
        StaffMember {
            must_change_password: false,
            ..member
        }
    }

    /// The actions audited on `subject`, once every entry is checked to name `institution` and
    /// the chain to hold.
    pub(super) async fn audited(&self, subject: &str, institution: &str) -> Vec<String> {
        let trail = for_subject(&self.t.db, subject, 50).await.unwrap();
        let named = format!("\"institution\":\"{institution}\"");
        assert!(trail.iter().all(|r| r.detail.contains(&named)), "{trail:?}");
        assert!(matches!(
            verify(&self.t.db).await.unwrap(),
            Verdict::Intact { .. }
        ));
        trail.into_iter().map(|r| r.action).collect()
    }

    /// A member created with these roles and signed in.
    pub(super) async fn member(
        &self,
        institution: &str,
        login: &str,
        roles: &[Role],
    ) -> StaffMember {
        let credentials = self.bootstrap(institution, login, roles).await;
        self.signed_in(&credentials).await
    }

    pub(super) async fn bootstrap(
        &self,
        institution: &str,
        login: &str,
        roles: &[Role],
    ) -> Credentials {
        self.ops()
            .create_staff(
                None,
                NewStaff {
                    institution,
                    login,
                    name: "李晓梅",
                    roles,
                },
            )
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn staff_sign_in_needs_password_and_a_fresh_code_and_locks_after_five_tries() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let c = w.bootstrap("B001", "B001.Editor", &[Role::Editor]).await;
        assert_eq!(c.login, "b001.editor");
        let policy = StaffPolicy::default();
        let code = w.code(&c);

        // Each wrong part gets the same answer, counting down.
        let wrong_code = if code == "000000" { "000001" } else { "000000" };
        let r = w
            .ops()
            .sign_in(&c.login, &c.password, wrong_code, "t", policy)
            .await;
        assert_eq!(refusal(r), Refusal::StaffSignInFailed { remaining: 4 });
        let r = w
            .ops()
            .sign_in(&c.login, "Wrong-pass-1", &code, "t", policy)
            .await;
        assert_eq!(refusal(r), Refusal::StaffSignInFailed { remaining: 3 });
        let r = w
            .ops()
            .sign_in("nobody.here", &c.password, &code, "t", policy)
            .await;
        assert!(matches!(refusal(r), Refusal::StaffSignInFailed { .. }));

        // Right: a session, roles, and the issued password still to be replaced.
        let (token, member) = w
            .ops()
            .sign_in(&c.login, &c.password, &code, "t", policy)
            .await
            .unwrap();
        assert_eq!(member.institution, "B001");
        assert_eq!(member.roles, vec![Role::Editor]);
        assert!(member.must_change_password);
        assert_eq!(refusal(member.require(Role::Editor)), Refusal::NotPermitted);
        let session = w.ops().authenticate(&token, policy).await.unwrap();
        assert_eq!(session.member, member);

        // The same code never works twice, even with the right password.
        let r = w
            .ops()
            .sign_in(&c.login, &c.password, &code, "t", policy)
            .await;
        assert_eq!(refusal(r), Refusal::StaffSignInFailed { remaining: 4 });

        // Five wrong in a row: locked, and then even the right code is refused.
        w.clock.advance(totp::STEP_SECS * 1000);
        for remaining in (1..4).rev() {
            let r = w
                .ops()
                .sign_in(&c.login, "Wrong-pass-1", "123456", "t", policy)
                .await;
            assert_eq!(refusal(r), Refusal::StaffSignInFailed { remaining });
        }
        let r = w
            .ops()
            .sign_in(&c.login, "Wrong-pass-1", "123456", "t", policy)
            .await;
        let Refusal::StaffLocked { until } = refusal(r) else {
            panic!("not locked")
        };
        assert_eq!(until, w.clock.now() + 15 * MINUTE);
        let r = w
            .ops()
            .sign_in(&c.login, &c.password, &w.code(&c), "t", policy)
            .await;
        assert_eq!(refusal(r), Refusal::StaffLocked { until });

        // The audit log names the member and the institution; the chain holds.
        let actions = w.audited(&c.staff_id, "B001").await;
        for action in [
            "staff_created",
            "staff_signed_in",
            "staff_sign_in_failed",
            "staff_locked",
        ] {
            assert!(
                actions.iter().any(|a| a == action),
                "{action} in {actions:?}"
            );
        }
        w.t.finish().await;
    }
}

#[tokio::test]
async fn the_issued_password_must_be_replaced_and_sessions_end_idle_or_disabled() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let admin = w.member("B001", "b001.admin", &[Role::Admin]).await;
        admin.require(Role::Admin).unwrap();
        let editor = w
            .ops()
            .create_staff(
                Some(&admin),
                NewStaff {
                    institution: "B001",
                    login: "b001.writer",
                    name: "王小明",
                    roles: &[Role::Editor, Role::Approver, Role::Editor],
                },
            )
            .await
            .unwrap();
        let policy = StaffPolicy::default();
        let (token, member) = w
            .ops()
            .sign_in(
                &editor.login,
                &editor.password,
                &w.code(&editor),
                "t",
                policy,
            )
            .await
            .unwrap();
        assert_eq!(member.roles, vec![Role::Editor, Role::Approver]);
        // A weak or unchanged password is refused; the issued one is then replaced.
        let r = w
            .ops()
            .change_password(&member, &editor.password, &editor.password)
            .await;
        assert!(matches!(refusal(r), Refusal::WeakPassword(_)));
        let r = w
            .ops()
            .change_password(&member, &editor.password, "short1")
            .await;
        assert!(matches!(refusal(r), Refusal::WeakPassword(_)));
        let r = w
            .ops()
            .change_password(&member, "not-the-one-1", "Own-pass-2026")
            .await;
        assert!(matches!(refusal(r), Refusal::StaffSignInFailed { .. }));
        w.ops()
            .change_password(&member, &editor.password, "Own-pass-2026")
            .await
            .unwrap();
        let session = w.ops().authenticate(&token, policy).await.unwrap();
        assert!(!session.member.must_change_password);
        session.member.require(Role::Approver).unwrap();
        assert_eq!(
            refusal(session.member.require(Role::Admin)),
            Refusal::NotPermitted
        );

        // Fifteen minutes without a request end the session; activity keeps it.
        w.clock.advance(14 * MINUTE);
        w.ops().authenticate(&token, policy).await.unwrap();
        w.clock.advance(14 * MINUTE);
        w.ops().authenticate(&token, policy).await.unwrap();
        w.clock.advance(15 * MINUTE);
        let r = w.ops().authenticate(&token, policy).await;
        assert_eq!(refusal(r), Refusal::SignedOut);

        // Disabled: the live session ends and the right credentials say so.
        let (token, _) = w
            .ops()
            .sign_in(
                &editor.login,
                "Own-pass-2026",
                &w.code(&editor),
                "t",
                policy,
            )
            .await
            .unwrap();
        w.ops()
            .set_disabled(&admin, &editor.staff_id, true)
            .await
            .unwrap();
        assert_eq!(
            refusal(w.ops().authenticate(&token, policy).await),
            Refusal::SignedOut
        );
        w.clock.advance(totp::STEP_SECS * 1000);
        let r = w
            .ops()
            .sign_in(
                &editor.login,
                "Own-pass-2026",
                &w.code(&editor),
                "t",
                policy,
            )
            .await;
        assert_eq!(refusal(r), Refusal::StaffDisabled);
        let listed = w.ops().list_staff(&admin).await.unwrap();
        let logins: Vec<(&str, bool)> = listed
            .iter()
            .map(|s| (s.login.as_str(), s.disabled))
            .collect();
        assert_eq!(logins, vec![("b001.admin", false), ("b001.writer", true)]);

        // Enabled with new credentials: the old password and authenticator no longer work.
        w.ops()
            .set_disabled(&admin, &editor.staff_id, false)
            .await
            .unwrap();
        let fresh = w
            .ops()
            .reset_credentials(&admin, &editor.staff_id)
            .await
            .unwrap();
        w.clock.advance(totp::STEP_SECS * 1000);
        let r = w
            .ops()
            .sign_in(
                &editor.login,
                "Own-pass-2026",
                &w.code(&editor),
                "t",
                policy,
            )
            .await;
        assert!(matches!(refusal(r), Refusal::StaffSignInFailed { .. }));
        let (token, member) = w
            .ops()
            .sign_in(&fresh.login, &fresh.password, &w.code(&fresh), "t", policy)
            .await
            .unwrap();
        assert!(member.must_change_password);
        w.ops().sign_out(&token).await.unwrap();
        w.ops().sign_out(&token).await.unwrap();
        assert_eq!(
            refusal(w.ops().authenticate(&token, policy).await),
            Refusal::SignedOut
        );
        assert!(matches!(
            verify(&w.t.db).await.unwrap(),
            Verdict::Intact { .. }
        ));
        w.t.finish().await;
    }
}

#[tokio::test]
async fn an_administrator_manages_only_their_own_institution() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let b001 = w.member("B001", "b001.admin", &[Role::Admin]).await;
        let b002 = w.bootstrap("B002", "b002.admin", &[Role::Admin]).await;
        let b002_editor = w.bootstrap("B002", "b002.editor", &[Role::Editor]).await;
        let union = w.member("P000", "p000.admin", &[Role::Admin]).await;
        assert!(union.is_union() && !b001.is_union());

        // Another bank's member: "not found", whatever the action.
        let other = &b002_editor.staff_id;
        let not_found = |r: Result<()>| matches!(r, Err(Error::NotFound(_)));
        assert!(not_found(w.ops().set_disabled(&b001, other, true).await));
        assert!(not_found(
            w.ops().reset_credentials(&b001, other).await.map(|_| ())
        ));
        // The union's administrator manages the union's staff, not the banks'.
        assert!(not_found(w.ops().set_disabled(&union, other, true).await));
        // Not themselves either (no one locks themselves out), and no unknown ids.
        assert!(not_found(w.ops().set_disabled(&b001, &b001.id, true).await));
        assert!(not_found(
            w.ops().set_disabled(&b001, "no-such-id", true).await
        ));
        let new = |institution| NewStaff {
            institution,
            login: "b002.writer",
            name: "赵敏",
            roles: &[Role::Editor],
        };
        let r = w.ops().create_staff(Some(&b001), new("B002")).await;
        assert!(matches!(r, Err(Error::NotFound(_))));
        let listed: Vec<String> = w
            .ops()
            .list_staff(&b001)
            .await
            .unwrap()
            .into_iter()
            .map(|s| s.login)
            .collect();
        assert_eq!(listed, vec!["b001.admin"]);
        assert!(!listed.contains(&b002.login));

        // Bad input, each with its field; a taken login; an editor is no administrator.
        let bad = |login, name, roles: &'static [Role]| NewStaff {
            institution: "B001",
            login,
            name,
            roles,
        };
        for (input, expected) in [
            (bad("x", "赵敏", &[Role::Editor]), crate::Input::StaffLogin),
            (
                bad("b001 writer", "赵敏", &[Role::Editor]),
                crate::Input::StaffLogin,
            ),
            (
                bad("b001.writer", "Zhao", &[Role::Editor]),
                crate::Input::Name,
            ),
            (bad("b001.writer", "赵敏", &[]), crate::Input::Roles),
        ] {
            let r = w.ops().create_staff(Some(&b001), input).await;
            assert!(
                matches!(r, Err(Error::Invalid { input, .. }) if input == expected),
                "{r:?}"
            );
        }
        let r = w
            .ops()
            .create_staff(Some(&b001), bad("B001.ADMIN", "赵敏", &[Role::Editor]))
            .await;
        assert_eq!(refusal(r), Refusal::StaffLoginTaken);
        let editor = StaffMember {
            roles: vec![Role::Editor],
            ..b001.clone()
        };
        let r = w
            .ops()
            .create_staff(Some(&editor), bad("b001.writer", "赵敏", &[Role::Editor]))
            .await;
        assert_eq!(refusal(r), Refusal::NotPermitted);
        assert_eq!(
            refusal(w.ops().list_staff(&editor).await),
            Refusal::NotPermitted
        );
        w.t.finish().await;
    }
}

#[tokio::test]
async fn issued_credentials_are_shown_once_to_the_session_that_issued_them() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let c = w.bootstrap("B001", "b001.admin", &[Role::Admin]).await;
        w.ops().hold_issued("session-a", &c).await.unwrap();
        assert_eq!(w.ops().take_issued("session-b").await.unwrap(), None);
        let (login, password, secret) = w.ops().take_issued("session-a").await.unwrap().unwrap();
        assert_eq!((login, password), (c.login.clone(), c.password.clone()));
        assert_eq!(totp::from_base32(&secret).unwrap(), c.totp_secret);
        assert_eq!(w.ops().take_issued("session-a").await.unwrap(), None);
        // Not kept past five minutes, and never in the clear.
        w.ops().hold_issued("session-a", &c).await.unwrap();
        let stored: String = sqlx::query_scalar("SELECT payload FROM pending_flows")
            .fetch_one(w.t.db.pool())
            .await
            .unwrap();
        assert!(!stored.contains(&c.password));
        w.clock.advance(5 * MINUTE);
        assert_eq!(w.ops().take_issued("session-a").await.unwrap(), None);
        w.t.finish().await;
    }
}
