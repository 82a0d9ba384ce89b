#![allow(dead_code)] // each test binary uses its own part of this module

//! What the server's integration tests share: a router over a test database, as `main` builds
//! it, with a clock that stands still and the development keys and SMS outbox.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

use axum::Router;
use leptos::prelude::LeptosOptions;

use domain::clock::{Clock, ManualClock};
use domain::demo::{DEMO_STAFF_PASSWORD, DEMO_STAFF_TOTP};
use domain::identity::check_char;
use domain::ops::totp;
use domain::pii::KeyRing;
use domain::testing::{self, TestDb};
use server::context::{server_context, Outside};
use server::router::{build, AppState};

/// Server functions anyone may call: choosing how the portal looks, the public bank
/// directory, and the steps of signing in and registering. Every other one needs a session.
pub const PUBLIC: [&str; 23] = [
    "/api/search_jobs",
    "/api/load_home_summary",
    "/api/start_reset",
    "/api/complete_reset",
    "/api/reset_pending",
    "/api/set_edition",
    "/api/set_language",
    "/api/load_bank_directory",
    "/api/login",
    "/api/verify_login",
    "/api/login_pending",
    "/api/start_registration",
    "/api/complete_registration",
    "/api/registration_pending",
    "/api/bank_choices",
    "/api/resend_code",
    "/api/passkey_sign_in_options",
    "/api/passkey_sign_in",
    "/api/estimate_pension",
    "/api/quote_loan",
    "/api/load_news",
    "/api/load_news_item",
    "/api/load_home_news",
];

/// The operators' console's server functions (under `/ops/api`, reached only with the
/// console's own cookie); `tests/ops.rs` checks each against staff of another bank.
pub const STAFF: [&str; 28] = [
    "/ops/api/ops_sign_in",
    "/ops/api/ops_sign_out",
    "/ops/api/load_console",
    "/ops/api/change_staff_password",
    "/ops/api/load_staff",
    "/ops/api/add_staff_member",
    "/ops/api/set_staff_disabled",
    "/ops/api/reset_staff_credentials",
    "/ops/api/take_issued",
    "/ops/api/load_rate_sheet",
    "/ops/api/schedule_product_rate",
    "/ops/api/withdraw_product_rate",
    "/ops/api/add_local_deposit",
    "/ops/api/set_product_band",
    "/ops/api/load_content_list",
    "/ops/api/load_content_item",
    "/ops/api/save_content",
    "/ops/api/content_step",
    "/ops/api/load_feedback_queue",
    "/ops/api/load_feedback_ticket",
    "/ops/api/take_feedback",
    "/ops/api/reply_feedback",
    "/ops/api/load_feedback_stats",
    "/ops/api/staff_session_remaining",
    "/ops/api/staff_keep_alive",
    "/ops/api/load_loan_referrals",
    "/ops/api/review_loan",
    "/ops/api/load_loan_portfolio",
];

/// The origin test requests come from (passkeys are bound to it).
pub const ORIGIN: &str = "http://localhost:3000";

pub fn router(t: &TestDb) -> Router {
    router_with_clock(t).0
}

/// The router and its clock, for tests that move time (code resend, expiry).
pub fn router_with_clock(t: &TestDb) -> (Router, Arc<ManualClock>) {
    router_and_clock(t, |_| {})
}

/// The router with some of its state changed from the tests' default (trusted proxies, no
/// development endpoints).
pub fn router_with(t: &TestDb, change: impl FnOnce(&mut AppState)) -> Router {
    router_and_clock(t, change).0
}

fn router_and_clock(t: &TestDb, change: impl FnOnce(&mut AppState)) -> (Router, Arc<ManualClock>) {
    let leptos_options = LeptosOptions::builder()
        .output_name("bank-portal")
        .site_root("target/site")
        .build();
    let clock = Arc::new(ManualClock::at(1_800_000_000_000));
    let outside = Outside::simulators(&t.db, clock.clone());
    let ctx = server_context(
        &t.db,
        clock.clone(),
        Arc::new(KeyRing::development()),
        &outside,
        ORIGIN,
    )
    .unwrap();
    let mut state = AppState {
        leptos_options,
        ctx,
        dev_endpoints: true,
        public_origin: server::security::PublicOrigin(ORIGIN.into()),
        trusted_proxies: Default::default(),
        live: server::live::LiveHub::start(t.db.clone(), clock.clone()),
    };
    change(&mut state);
    (build(state), clock)
}

/// Every engine, seeded like a started server.
pub async fn databases() -> Vec<TestDb> {
    let all = testing::databases().await;
    for t in &all {
        domain::institution::seed(&t.db).await.unwrap();
        domain::account::seed_internal(&t.db, &domain::clock::SystemClock)
            .await
            .unwrap();
    }
    all
}

/// A browser: keeps cookies between calls.
#[derive(Default)]
pub struct Browser {
    pub cookies: BTreeMap<String, String>,
}

pub struct Answer {
    pub status: StatusCode,
    pub location: Option<String>,
    pub body: String,
    /// The body as sent (downloads such as PDFs).
    pub bytes: Vec<u8>,
    pub content_type: Option<String>,
}

impl Browser {
    pub async fn send(&mut self, app: &Router, mut req: Request<Body>) -> Answer {
        if !self.cookies.is_empty() {
            let jar: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            req.headers_mut()
                .insert(header::COOKIE, jar.join("; ").parse().unwrap());
        }
        let uri = req.uri().to_string();
        let res = tokio::time::timeout(std::time::Duration::from_secs(8), app.clone().oneshot(req))
            .await
            .unwrap_or_else(|_| panic!("no answer within 8 s: {uri}"))
            .unwrap();
        for c in res.headers().get_all(header::SET_COOKIE) {
            let c = c.to_str().unwrap();
            let (pair, attrs) = c.split_once(';').unwrap_or((c, ""));
            let (k, v) = pair.split_once('=').unwrap();
            if attrs.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_string(), v.to_string());
            }
        }
        let status = res.status();
        let location = res
            .headers()
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_string());
        let content_type = res
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_string());
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            location,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
            content_type,
        }
    }

    /// A server-function call from the hydrated app (same origin).
    pub async fn call(&mut self, app: &Router, endpoint: &str, form: &str) -> Answer {
        let req = Request::post(endpoint)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(form.to_string()))
            .unwrap();
        self.send(app, req).await
    }
}

pub async fn last_code(app: &Router, mobile: &str) -> String {
    let a = Browser::default()
        .send(
            app,
            Request::get(format!("/dev/sms?mobile={mobile}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let msgs: serde_json::Value = serde_json::from_str(&a.body).unwrap();
    let body = msgs[0]["body"].as_str().unwrap().to_string();
    let digits: String = body
        .split("验证码")
        .nth(1)
        .unwrap()
        .chars()
        .filter(char::is_ascii_digit)
        .take(6)
        .collect();
    assert_eq!(digits.len(), 6, "{body}");
    digits
}

pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A registered customer with one account, signed in on a new browser.
pub async fn customer(app: &Router, mobile: &str, id17: &str) -> Browser {
    let mut b = Browser::default();
    let a = b
        .call(app, "/api/start_registration", &format!("mobile={mobile}"))
        .await;
    assert!(
        a.status.is_success() || a.status.is_redirection(),
        "{}",
        a.body
    );
    let code = last_code(app, mobile).await;
    let form = format!(
        "code={code}&name={}&resident_id={id17}{}&bank_code=B002&password=abc12345x&password_confirm=abc12345x&accept_terms=yes",
        enc("李晓梅"),
        check_char(id17)
    );
    let a = b.call(app, "/api/complete_registration", &form).await;
    assert!(
        a.status.is_success() || a.status.is_redirection(),
        "{}",
        a.body
    );
    let a = b.call(app, "/api/open_account", "").await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    b
}

/// The customer's first account (id, card) straight from the domain.
pub async fn first_account(t: &TestDb, b: &mut Browser, app: &Router) -> (String, String) {
    let a = b.call(app, "/api/load_accounts", "").await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let v: serde_json::Value = serde_json::from_str(&a.body).unwrap();
    let id = v["accounts"][0]["id"].as_str().unwrap().to_string();
    let card = sqlx::query_scalar::<_, String>("SELECT card_no FROM accounts WHERE id = $1")
        .bind(&id)
        .fetch_one(t.db.pool())
        .await
        .unwrap();
    (id, card)
}

/// The demo staff's authenticator code `step_offset` 30-second steps from the clock's now.
pub fn code(clock: &ManualClock, step_offset: i64) -> String {
    let secret = totp::from_base32(DEMO_STAFF_TOTP).unwrap();
    totp::code_at_step(&secret, totp::step_at(clock.now()) + step_offset)
}

/// A demo staff member signed in to the console.
pub async fn staff(app: &Router, clock: &ManualClock, login: &str) -> Browser {
    let mut b = Browser::default();
    let form = format!(
        "login={login}&password={}&code={}",
        enc(DEMO_STAFF_PASSWORD),
        code(clock, 0)
    );
    let a = b.call(app, "/ops/api/ops_sign_in", &form).await;
    assert!(
        a.status.is_success() || a.status.is_redirection(),
        "{login}: {} {}",
        a.status,
        a.body
    );
    assert!(b.cookies.contains_key("ops_session"));
    b
}
