//! Identity through the HTTP surface: registration with an SMS code, sign-in (with the code on a
//! new browser), lockout, sessions, and the rule that every server function either is public by
//! design or refuses a caller without a session. Runs on SQLite and PostgreSQL.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;

use domain::identity::check_char;
mod common;

use common::{databases, enc, last_code, router, router_with_clock, Answer, Browser, PUBLIC};

/// The arguments the protected server functions take, so the call reaches the session check
/// (arguments are parsed first; a missing one is a 400 of its own).
const ARGS: &str = "session_id=x&handle=x&code=000000&id=x&account_id=x&hide=1&from=x&payee=x&amount=1&key=x&product=Y1&challenge=x&answer=x&kind=x&city=x&biller=x&number=x&payment=x&label=x&name=x&resident_id=x&trade=x&q=x&household=x&cap=1&query[q]=&staff_id=x&disable=1&current=x&new=x&confirm=x&form[login]=x&form[name]=x&login=x&password=x&rate=1&effective_from=1&floor=1&ceiling=1&default=1&form[name_zh]=x&form[name_en]=x&form[like]=Y1&form[min]=1&form[rate]=1&step=x&form[id]=&form[kind]=news&form[title]=x&form[body]=x&form[places]=&form[starts]=x&form[ends]=x&category=x&text=x&rating=x&how=due&months=1&purpose=x&verdict=x";

fn resident_id(birth: &str) -> String {
    let first17 = format!("370181{birth}321");
    format!("{first17}{}", check_char(&first17))
}

async fn register(app: &Router, b: &mut Browser, mobile: &str, birth: &str) {
    let a = b
        .call(app, "/api/start_registration", &format!("mobile={mobile}"))
        .await;
    assert!(
        a.status.is_success() || a.status.is_redirection(),
        "{} {}",
        a.status,
        a.body
    );
    let code = last_code(app, mobile).await;
    let form = format!(
        "code={code}&name={}&resident_id={}&bank_code=B002&password=abc12345x&password_confirm=abc12345x&accept_terms=yes",
        enc("王小明"),
        resident_id(birth)
    );
    let a = b.call(app, "/api/complete_registration", &form).await;
    assert!(
        a.status.is_success() || a.status.is_redirection(),
        "{} {}",
        a.status,
        a.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_sign_in_on_a_new_browser_and_sign_out() {
    for t in databases().await {
        let (app, clock) = router_with_clock(&t);
        let mut phone = Browser::default();
        register(&app, &mut phone, "13812341234", "19900101").await;
        assert!(phone.cookies.contains_key("sid"), "registration signs in");
        let me = phone.call(&app, "/api/load_me", "").await;
        assert_eq!(me.status, StatusCode::OK, "{}", me.body);
        assert!(
            me.body.contains("138****1234")
                && me.body.contains("王**")
                && me.body.contains("章丘农商银行"),
            "{}",
            me.body
        );
        assert!(!me.body.contains("13812341234"), "masked only");

        // Full details only after a step-up code bound to this session.
        let state = phone.call(&app, "/api/load_reveal_state", "").await;
        assert!(state.body.contains("NotStarted"), "{}", state.body);
        let a = phone.call(&app, "/api/start_reveal", "").await;
        assert!(a.status.is_success(), "{} {}", a.status, a.body);
        let waiting = phone.call(&app, "/api/load_reveal_state", "").await;
        assert!(
            waiting.body.contains("138****1234") && !waiting.body.contains("13812341234"),
            "{}",
            waiting.body
        );
        let code = last_code(&app, "13812341234").await;
        let a = phone
            .call(&app, "/api/confirm_reveal", &format!("code={code}"))
            .await;
        assert!(
            a.status.is_success() || a.status.is_redirection(),
            "{} {}",
            a.status,
            a.body
        );
        let granted = phone.call(&app, "/api/load_reveal_state", "").await;
        assert!(
            granted.body.contains("13812341234") && granted.body.contains("王小明"),
            "{}",
            granted.body
        );

        // A second browser: password, then the SMS code because the browser is new.
        let mut laptop = Browser::default();
        let a = laptop
            .call(&app, "/api/login", "mobile=13812341234&password=abc12345x")
            .await;
        assert_eq!(
            a.location.as_deref(),
            Some("/login/verify?next=/account"),
            "{} {}",
            a.status,
            a.body
        );
        assert!(
            !laptop.cookies.contains_key("sid"),
            "no session before the code"
        );
        let pending = laptop.call(&app, "/api/login_pending", "").await;
        assert!(pending.body.contains("138****1234"), "{}", pending.body);
        let wrong = laptop.call(&app, "/api/verify_login", "code=000000").await;
        assert_eq!(wrong.status, StatusCode::BAD_REQUEST, "{}", wrong.body);
        let code = last_code(&app, "13812341234").await;
        let a = laptop
            .call(&app, "/api/verify_login", &format!("code={code}"))
            .await;
        assert!(
            a.status.is_success() || a.status.is_redirection(),
            "{} {}",
            a.status,
            a.body
        );
        assert_eq!(
            laptop.call(&app, "/api/load_me", "").await.status,
            StatusCode::OK
        );

        // Known browser now: password alone signs in.
        laptop.cookies.remove("sid");
        let a = laptop
            .call(&app, "/api/login", "mobile=13812341234&password=abc12345x")
            .await;
        assert_eq!(
            a.location.as_deref(),
            Some("/account"),
            "{} {}",
            a.status,
            a.body
        );

        // The phone sees its own session and the laptop's two (the first one the laptop merely
        // forgot is still live on the server) and signs them out.
        let list = phone.call(&app, "/api/my_sessions", "").await;
        let sessions: serde_json::Value = serde_json::from_str(&list.body).unwrap();
        let sessions = sessions.as_array().unwrap();
        assert_eq!(sessions.len(), 3, "{}", list.body);
        assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);
        for other in sessions.iter().filter(|s| s["current"] == false) {
            let id = other["id"].as_str().unwrap();
            assert!(phone
                .call(&app, "/api/revoke_session", &format!("session_id={id}"))
                .await
                .status
                .is_success());
        }
        assert_eq!(
            laptop.call(&app, "/api/load_me", "").await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            phone.call(&app, "/api/load_me", "").await.status,
            StatusCode::OK
        );

        // Forgetting the laptop as a verified device: its next sign-in needs the code again.
        let known = phone.call(&app, "/api/my_known_devices", "").await;
        let known: serde_json::Value = serde_json::from_str(&known.body).unwrap();
        let known = known.as_array().unwrap();
        assert_eq!(known.len(), 2, "{known:?}");
        let handle = known.iter().find(|d| d["current"] == false).unwrap()["handle"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(phone
            .call(
                &app,
                "/api/forget_known_device",
                &format!("handle={handle}")
            )
            .await
            .status
            .is_success());
        let a = laptop
            .call(&app, "/api/login", "mobile=13812341234&password=abc12345x")
            .await;
        // Its last code was used up under a minute ago: a new one only after the minute, and
        // the answer says so instead of sending the customer to a code step with no code.
        assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS, "{}", a.body);
        assert!(a.body.contains("CodeTooSoon"), "{}", a.body);
        clock.advance(60_000);
        let a = laptop
            .call(&app, "/api/login", "mobile=13812341234&password=abc12345x")
            .await;
        assert_eq!(
            a.location.as_deref(),
            Some("/login/verify?next=/account"),
            "{} {}",
            a.status,
            a.body
        );

        let a = phone.call(&app, "/api/logout", "").await;
        assert!(a.status.is_success() || a.status.is_redirection());
        assert!(!phone.cookies.contains_key("sid"));
        assert_eq!(
            phone.call(&app, "/api/load_me", "").await.status,
            StatusCode::UNAUTHORIZED
        );
        t.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_wrong_passwords_lock_with_a_clear_answer() {
    for t in databases().await {
        let app = router(&t);
        register(&app, &mut Browser::default(), "13912345678", "19550505").await;
        let mut b = Browser::default();
        for remaining in (1..5).rev() {
            let a = b
                .call(&app, "/api/login", "mobile=13912345678&password=wrong1234")
                .await;
            assert_eq!(a.status, StatusCode::UNAUTHORIZED);
            assert!(
                a.body.contains(&format!(r#""remaining":{remaining}"#)),
                "{}",
                a.body
            );
        }
        let a = b
            .call(&app, "/api/login", "mobile=13912345678&password=wrong1234")
            .await;
        assert_eq!(a.status.as_u16(), 423, "{}", a.body);
        assert!(a.body.contains("Locked"));
        let a = b
            .call(&app, "/api/login", "mobile=13912345678&password=abc12345x")
            .await;
        assert_eq!(
            a.status.as_u16(),
            423,
            "the right password waits for the lock too"
        );
        let a = b
            .call(&app, "/api/login", "mobile=1391234567&password=abc12345x")
            .await;
        assert_eq!(
            a.status,
            StatusCode::BAD_REQUEST,
            "a malformed number is a clear 400"
        );
        assert!(a.body.contains("Invalid"));
        let a = b.call(&app, "/api/login", "mobile=13912345678").await;
        assert_eq!(
            a.status,
            StatusCode::BAD_REQUEST,
            "a missing field is a 400, not a 500: {}",
            a.body
        );
        t.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_server_function_is_public_by_design_or_needs_a_session() {
    for t in databases().await {
        let app = router(&t);
        // Someone else's session exists; the anonymous caller must not reach it.
        register(&app, &mut Browser::default(), "13700001111", "19800808").await;
        let paths: Vec<String> = leptos::server_fn::axum::server_fn_paths()
            .map(|(p, _)| p.to_string())
            .collect();
        assert!(paths.len() >= PUBLIC.len() + 5, "{paths:?}");
        for p in PUBLIC {
            assert!(paths.iter().any(|q| q == p), "{p} is registered");
        }
        // The console's sign-in is public like the customers', and signing out without a
        // session has nothing to end (both tested in tests/ops.rs).
        let public = |p: &str| {
            PUBLIC.contains(&p) || p == "/ops/api/ops_sign_in" || p == "/ops/api/ops_sign_out"
        };
        for path in paths.iter().filter(|p| !public(p)) {
            let a = Browser::default().call(&app, path, ARGS).await;
            assert_eq!(
                a.status,
                StatusCode::UNAUTHORIZED,
                "{path} without a session: {}",
                a.body
            );
            let mut forged = Browser::default();
            forged.cookies.insert("sid".into(), "forged-token".into());
            forged
                .cookies
                .insert("ops_session".into(), "forged-token".into());
            assert_eq!(
                forged.call(&app, path, ARGS).await.status,
                StatusCode::UNAUTHORIZED,
                "{path} with a forged cookie"
            );
        }
        t.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_posts_are_refused() {
    for t in databases().await {
        let app = router(&t);
        let cross = Request::post("/api/set_edition")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "cross-site")
            .body(Body::from("edition=rural"))
            .unwrap();
        let a = Browser::default().send(&app, cross).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
        let foreign_origin = Request::post("/api/set_edition")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::ORIGIN, "https://evil.example")
            .body(Body::from("edition=rural"))
            .unwrap();
        assert_eq!(
            Browser::default().send(&app, foreign_origin).await.status,
            StatusCode::FORBIDDEN
        );
        // The origin is compared with `PUBLIC_ORIGIN`, not with whatever `Host` says.
        let host_alike = Request::post("/api/set_edition")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::ORIGIN, "http://127.0.0.1:3000")
            .body(Body::from("edition=rural"))
            .unwrap();
        assert_eq!(
            Browser::default().send(&app, host_alike).await.status,
            StatusCode::FORBIDDEN
        );
        let own_origin = Request::post("/api/set_edition")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::ORIGIN, common::ORIGIN)
            .body(Body::from("edition=rural"))
            .unwrap();
        assert_eq!(
            Browser::default().send(&app, own_origin).await.status,
            StatusCode::OK
        );
        t.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_can_be_sent_again_after_a_minute_and_only_the_newest_works() {
    for t in databases().await {
        let (app, clock) = router_with_clock(&t);
        let mobile = "13700002222";
        let mut b = Browser::default();
        let a = b
            .call(&app, "/api/start_registration", &format!("mobile={mobile}"))
            .await;
        assert!(
            a.status.is_redirection() || a.status.is_success(),
            "{}",
            a.body
        );
        let first = last_code(&app, mobile).await;
        // At once: refused, saying how long to wait.
        let soon = b.call(&app, "/api/resend_code", "flow=register").await;
        assert_eq!(soon.status, StatusCode::TOO_MANY_REQUESTS, "{}", soon.body);
        assert!(soon.body.contains("60"), "{}", soon.body);
        // A browser that is not in the flow cannot send codes to anyone.
        let stranger = Browser::default()
            .call(&app, "/api/resend_code", "flow=register")
            .await;
        assert_eq!(
            stranger.status,
            StatusCode::BAD_REQUEST,
            "{}",
            stranger.body
        );
        let unknown = b.call(&app, "/api/resend_code", "flow=transfer").await;
        assert!(unknown.status.is_client_error(), "{}", unknown.body);
        // A minute later: a second SMS, and only the new code completes the registration.
        clock.advance(61_000);
        let again = b.call(&app, "/api/resend_code", "flow=register").await;
        assert!(again.status.is_success(), "{} {}", again.status, again.body);
        let outbox = b
            .send(
                &app,
                Request::get(format!("/dev/sms?mobile={mobile}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        let sent: serde_json::Value = serde_json::from_str(&outbox.body).unwrap();
        assert_eq!(sent.as_array().unwrap().len(), 2, "{}", outbox.body);
        let second = last_code(&app, mobile).await;
        let form = |code: &str| {
            format!(
                "code={code}&name={}&resident_id={}&bank_code=B002&password=abc12345x&password_confirm=abc12345x&accept_terms=yes",
                enc("王小明"),
                resident_id("19800808")
            )
        };
        if first != second {
            let old = b
                .call(&app, "/api/complete_registration", &form(&first))
                .await;
            assert!(
                old.status.is_client_error(),
                "the first code is void: {}",
                old.body
            );
        }
        let done = b
            .call(&app, "/api/complete_registration", &form(&second))
            .await;
        assert!(
            done.status.is_success() || done.status.is_redirection(),
            "{} {}",
            done.status,
            done.body
        );
        t.finish().await;
    }
}

/// The answer a server function gave as JSON.
fn json<T: serde::de::DeserializeOwned>(a: &Answer) -> T {
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    serde_json::from_str(&a.body).unwrap_or_else(|e| panic!("{e}: {}", a.body))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_passkey_added_after_an_sms_code_signs_in_alone() {
    use app::passkey::PasskeyChallenge;
    use domain::testing::authenticator::SoftAuthenticator;
    use webauthn_rs_proto::{CreationChallengeResponse, RequestChallengeResponse};

    for t in databases().await {
        let app = router(&t);
        let mut phone = Browser::default();
        register(&app, &mut phone, "13812341234", "19900101").await;
        let mut device = SoftAuthenticator::new(common::ORIGIN, 5);

        // No options before the SMS code has been confirmed on this browser.
        let early = phone
            .call(&app, "/api/passkey_registration_options", "")
            .await;
        assert_eq!(early.status, StatusCode::BAD_REQUEST, "{}", early.body);
        let a = phone.call(&app, "/api/send_passkey_code", "").await;
        assert!(a.status.is_success(), "{} {}", a.status, a.body);
        let listed = phone.call(&app, "/api/load_passkeys", "").await;
        assert!(listed.body.contains("138****1234"), "{}", listed.body);
        let code = last_code(&app, "13812341234").await;
        let a = phone
            .call(&app, "/api/confirm_passkey_code", &format!("code={code}"))
            .await;
        assert!(a.status.is_success(), "{} {}", a.status, a.body);

        let c: PasskeyChallenge<CreationChallengeResponse> = json(
            &phone
                .call(&app, "/api/passkey_registration_options", "")
                .await,
        );
        assert_eq!(
            c.options.public_key.user.name, "138****1234",
            "masked on the device"
        );
        let answer = serde_json::to_string(&device.create(&c.options)).unwrap();
        let a = phone
            .call(
                &app,
                "/api/register_passkey",
                &format!("challenge={}&answer={}", enc(&c.id), enc(&answer)),
            )
            .await;
        assert!(a.status.is_success(), "{} {}", a.status, a.body);
        let listed = phone.call(&app, "/api/load_passkeys", "").await;
        assert!(
            listed.body.contains("\"keys\":[{") && listed.body.contains("Start"),
            "one passkey, and adding another needs a new code: {}",
            listed.body
        );

        // A new browser: no number, no password, no SMS code.
        let mut laptop = Browser::default();
        let c: PasskeyChallenge<RequestChallengeResponse> =
            json(&laptop.call(&app, "/api/passkey_sign_in_options", "").await);
        assert!(
            c.options.public_key.allow_credentials.is_empty(),
            "discoverable"
        );
        let answer = serde_json::to_string(&device.get(&c.options)).unwrap();
        let a = laptop
            .call(
                &app,
                "/api/passkey_sign_in",
                &format!(
                    "challenge={}&answer={}&next=/accounts",
                    enc(&c.id),
                    enc(&answer)
                ),
            )
            .await;
        assert!(
            a.status.is_success() || a.status.is_redirection(),
            "{} {}",
            a.status,
            a.body
        );
        assert!(laptop.cookies.contains_key("sid"), "signed in");
        let me = laptop.call(&app, "/api/load_me", "").await;
        assert_eq!(me.status, StatusCode::OK, "{}", me.body);
        // The same answer again is a replay.
        let replay = Browser::default()
            .call(
                &app,
                "/api/passkey_sign_in",
                &format!("challenge={}&answer={}", enc(&c.id), enc(&answer)),
            )
            .await;
        assert_eq!(replay.status, StatusCode::BAD_REQUEST, "{}", replay.body);
        // Garbage is a clear refusal, not a 500.
        let garbage = Browser::default()
            .call(&app, "/api/passkey_sign_in", "challenge=x&answer=%7B%7D")
            .await;
        assert_eq!(garbage.status, StatusCode::BAD_REQUEST, "{}", garbage.body);

        // Removed from settings: the device still offers it, we no longer accept it.
        let id = listed
            .body
            .split("\"id\":\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let a = phone
            .call(&app, "/api/remove_passkey", &format!("id={id}"))
            .await;
        assert!(a.status.is_success(), "{} {}", a.status, a.body);
        let c: PasskeyChallenge<RequestChallengeResponse> = json(
            &Browser::default()
                .call(&app, "/api/passkey_sign_in_options", "")
                .await,
        );
        let answer = serde_json::to_string(&device.get(&c.options)).unwrap();
        let gone = Browser::default()
            .call(
                &app,
                "/api/passkey_sign_in",
                &format!("challenge={}&answer={}", enc(&c.id), enc(&answer)),
            )
            .await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND, "{}", gone.body);
        assert!(gone.body.contains("PasskeyNotRegistered"), "{}", gone.body);
        t.finish().await;
    }
}
