//! What an attacker tries first, through the whole router: redirects that leave the site, posts
//! from elsewhere riding a session, oversized bodies, cached personal pages, input that used to
//! end in a 500, forged forwarding headers and the development endpoints. Runs on SQLite and
//! PostgreSQL.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use axum::Router;

mod common;

use common::{customer, databases, enc, first_account, router, Browser, ORIGIN};

fn get(uri: &str) -> Request<Body> {
    Request::get(uri)
        .header(header::ACCEPT, "text/html")
        .body(Body::empty())
        .unwrap()
}

/// A plain HTML form post before WASM has loaded, from one of our pages.
fn form_post(endpoint: &str, form: &str) -> Request<Body> {
    Request::post(endpoint)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .header(header::REFERER, format!("{ORIGIN}/settings"))
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(form.to_string()))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirects_stay_on_site_and_never_fail() {
    for t in databases().await {
        let app = router(&t);
        let mut b = Browser::default();
        // `//evil.example/` would be read as another host.
        let a = b.send(&app, get("//evil.example/?lang=en")).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER);
        let to = a.location.unwrap();
        assert!(to.starts_with('/') && !to.starts_with("//"), "{to}");

        // `next=` with a tab (browsers drop it: `//evil.example`), a backslash, or a line break
        // (which no header can hold) is not followed; the post still answers.
        for next in [
            "/\t/evil.example",
            "/\\evil.example",
            "/\n",
            "/\r\nX-Evil: 1",
        ] {
            let a = b
                .send(
                    &app,
                    form_post(
                        "/api/set_edition",
                        &format!("edition=rural&next={}", enc(next)),
                    ),
                )
                .await;
            assert_eq!(a.status, StatusCode::FOUND, "{next:?}: {}", a.body);
            let to = a.location.unwrap();
            assert!(
                to.starts_with(&format!("{ORIGIN}/settings")),
                "{next:?} → {to}"
            );
        }
        t.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_riding_a_session_must_say_where_it_comes_from() {
    for t in databases().await {
        let app = router(&t);
        let mut a = customer(&app, "13812341001", "37018119800101101").await;
        let post = |origin: Option<&str>| {
            let mut req = Request::post("/api/load_accounts")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "application/json");
            if let Some(o) = origin {
                req = req.header(header::ORIGIN, o);
            }
            req.body(Body::from("")).unwrap()
        };
        let r = a.send(&app, post(None)).await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "no Sec-Fetch-Site, no Origin"
        );
        let r = a.send(&app, post(Some("https://localhost:3000"))).await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "another scheme is another site"
        );
        let r = a.send(&app, post(Some("http://localhost:3001"))).await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "another port is another site"
        );
        let r = a.send(&app, post(Some(ORIGIN))).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);

        // Without a session there is nobody to act for: a client without a browser may post.
        let r = Browser::default()
            .send(
                &app,
                Request::post("/api/set_language")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header(header::ACCEPT, "application/json")
                    .body(Body::from("lang=en"))
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        t.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn personal_answers_are_never_stored_and_huge_bodies_get_413() {
    for t in databases().await {
        let app = router(&t);
        let mut a = customer(&app, "13812341002", "37018119800101102").await;
        for req in [
            get("/accounts"),
            get("/account"),
            Request::post("/api/load_accounts")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(""))
                .unwrap(),
        ] {
            let uri = req.uri().to_string();
            let res = send_raw(&app, req, &a).await;
            assert_eq!(res.status(), StatusCode::OK, "{uri}");
            assert_eq!(
                res.headers().get(header::CACHE_CONTROL).unwrap(),
                "no-store",
                "{uri}"
            );
        }

        // 3 MB, with its length declared (as browsers and curl send it) and without.
        let big = format!(
            "mobile=13812341002&password={}",
            "x".repeat(3 * 1024 * 1024)
        );
        for declared in [true, false] {
            let mut req = Request::post("/api/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "application/json")
                .header("sec-fetch-site", "same-origin");
            if declared {
                req = req.header(header::CONTENT_LENGTH, big.len());
            }
            let r = a
                .send(&app, req.body(Body::from(big.clone())).unwrap())
                .await;
            assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
            assert!(
                r.body.contains("太大") && r.body.contains("too large"),
                "{}",
                r.body
            );
        }
        t.finish().await;
    }
}

async fn send_raw(app: &Router, mut req: Request<Body>, b: &Browser) -> axum::response::Response {
    use tower::ServiceExt;
    let jar: Vec<String> = b.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
    req.headers_mut()
        .insert(header::COOKIE, jar.join("; ").parse().unwrap());
    app.clone().oneshot(req).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_a_400_with_a_message_never_a_500() {
    for t in databases().await {
        let app = router(&t);
        let mut a = customer(&app, "13812341003", "37018119800101103").await;
        let (a_id, _) = first_account(&t, &mut a, &app).await;
        domain::ledger::deposit(
            &t.db,
            &domain::clock::SystemClock,
            &a_id,
            500_000,
            "柜面",
            "现金存入",
        )
        .await
        .unwrap();
        let id17 = "37018119800101105";
        let who = format!(
            "name={}&resident_id={id17}{}",
            enc("李晓梅"),
            domain::identity::check_char(id17)
        );
        let r = a
            .call(&app, "/api/apply_ssc", &format!("{who}&city=&key="))
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "empty key: {}", r.body);
        let r = a
            .call(
                &app,
                "/api/apply_ssc",
                &format!("{who}&city={}&key=k1", enc("火星")),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::BAD_REQUEST,
            "unknown city: {}",
            r.body
        );

        // A passkey challenge for a transfer that needs no confirmation.
        let (_, b_card) = {
            let mut b = customer(&app, "13812341004", "37018119800101104").await;
            first_account(&t, &mut b, &app).await
        };
        let r = a
            .call(
                &app,
                "/api/prepare_transfer",
                &format!("from={a_id}&payee=&to={b_card}&amount=10"),
            )
            .await;
        assert!(
            r.status.is_success() || r.status.is_redirection(),
            "{}",
            r.body
        );
        let r = a.call(&app, "/api/transfer_passkey_options", "").await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);

        // 2^62 + 30 years: times twelve wraps around to a plausible 360 months.
        let q = |years: &str| {
            format!(
                "q%5Bwage%5D=8000&q%5Bindex%5D=&q%5Byears%5D={years}&q%5Bmonths%5D=0&q%5Baccount%5D=0&q%5Bage%5D=60"
            )
        };
        let r = a.call(&app, "/api/estimate_pension", &q("30")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = a
            .call(&app, "/api/estimate_pension", &q("4611686018427387934"))
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
        assert!(r.body.contains("PensionYears"), "{}", r.body);
        // The loan calculator: every field out of range is a 400 naming it, never a 500.
        let loan = |amount: &str, rate: &str, months: &str, method: &str| {
            format!(
                "q%5Bamount%5D={amount}&q%5Brate%5D={rate}&q%5Bmonths%5D={months}&q%5Bmethod%5D={method}"
            )
        };
        let r = a
            .call(
                &app,
                "/api/quote_loan",
                &loan("1000000", "4.9", "360", "equal-instalment"),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("¥5,307.27"), "{}", r.body);
        for (query, field) in [
            (
                loan("99999999999999", "4.9", "12", "equal-instalment"),
                "LoanAmount",
            ),
            (
                loan("100000001", "4.9", "12", "equal-instalment"),
                "LoanAmount",
            ),
            (loan("1000", "4.999", "12", "equal-instalment"), "LoanRate"),
            (
                loan("1000", "4.9", "4294967297", "equal-instalment"),
                "LoanTerm",
            ),
            (loan("1000", "4.9", "-1", "equal-instalment"), "LoanTerm"),
            (loan("1000", "4.9", "12", "%00"), "LoanMethod"),
        ] {
            let r = a.call(&app, "/api/quote_loan", &query).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{query}: {}", r.body);
            assert!(r.body.contains(field), "{query}: {}", r.body);
        }
        // A date filter far in the future is no date at all.
        let r = a
            .send(
                &app,
                get(&format!("/accounts/{a_id}?from=2147483647-01-01")),
            )
            .await;
        assert!(r.status.is_success(), "{}", r.status);
        t.finish().await;
    }
}

/// A sign-in try from `peer` (for a number of its own, so only the address's limit counts),
/// optionally through a proxy that says who its client was.
fn login_from(peer: &str, forwarded_for: Option<&str>) -> Request<Body> {
    static TRIES: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = TRIES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut req = Request::post("/api/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header("sec-fetch-site", "same-origin");
    if let Some(f) = forwarded_for {
        req = req.header("x-forwarded-for", f);
    }
    let mut req = req
        .body(Body::from(format!("mobile=1391{n:07}&password=wrong12345")))
        .unwrap();
    let peer: SocketAddr = peer.parse().unwrap();
    req.extensions_mut().insert(ConnectInfo(peer));
    req
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_key_the_real_client() {
    for t in databases().await {
        // Behind a trusted proxy on loopback: each client has its own bucket.
        let app = common::router_with(&t, |s| {
            s.trusted_proxies =
                server::client_ip::TrustedProxies(std::sync::Arc::new(vec!["127.0.0.1"
                    .parse()
                    .unwrap()]));
        });
        let mut limited = None;
        for n in 0..31 {
            let r = Browser::default()
                .send(&app, login_from("127.0.0.1:40000", Some("198.51.100.7")))
                .await;
            if r.status == StatusCode::TOO_MANY_REQUESTS {
                limited = Some(n);
                break;
            }
        }
        assert_eq!(
            limited,
            Some(30),
            "thirty sign-in tries a minute per address"
        );
        let r = Browser::default()
            .send(&app, login_from("127.0.0.1:40000", Some("198.51.100.8")))
            .await;
        assert_ne!(
            r.status,
            StatusCode::TOO_MANY_REQUESTS,
            "another customer of the proxy"
        );
        // A client cannot pick its own bucket: what it wrote left of the proxy's entry is
        // ignored.
        let r = Browser::default()
            .send(
                &app,
                login_from("127.0.0.1:40000", Some("203.0.113.1, 198.51.100.7")),
            )
            .await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        // Without the proxy's word the header is anyone's: keyed by the peer.
        let r = Browser::default()
            .send(&app, login_from("192.0.2.10:5000", Some("198.51.100.9")))
            .await;
        assert_ne!(r.status, StatusCode::TOO_MANY_REQUESTS);

        // IPv6: one customer's /64 is one bucket, however many addresses it uses.
        let mut limited = None;
        for n in 0..31 {
            let r = Browser::default()
                .send(
                    &app,
                    login_from(&format!("[2001:db8:1:2::{n:x}]:5000"), None),
                )
                .await;
            if r.status == StatusCode::TOO_MANY_REQUESTS {
                limited = Some(n);
                break;
            }
        }
        assert_eq!(limited, Some(30));
        t.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn development_endpoints_exist_only_when_configured() {
    for t in databases().await {
        let app = common::router_with(&t, |s| s.dev_endpoints = false);
        let r = Browser::default()
            .send(&app, get("/dev/sms?mobile=13800000001"))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let app = router(&t);
        let r = Browser::default()
            .send(&app, get("/dev/sms?mobile=13800000001"))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        t.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registration_and_sign_in_do_not_tell_who_banks_here() {
    for t in databases().await {
        let (app, clock) = common::router_with_clock(&t);
        let _known = customer(&app, "13812341005", "37018119800101106").await;
        // Past the minute between two codes for the number it registered with.
        clock.advance(61_000);
        let answer = |mobile: &'static str| {
            let app = app.clone();
            async move {
                let mut b = Browser::default();
                let start = b
                    .call(&app, "/api/start_registration", &format!("mobile={mobile}"))
                    .await;
                let login = b
                    .call(
                        &app,
                        "/api/login",
                        &format!("mobile={mobile}&password=wrong12345"),
                    )
                    .await;
                (start.status, start.location, login.status, login.body)
            }
        };
        let known = answer("13812341005").await;
        let unknown = answer("13812341006").await;
        assert_eq!(known, unknown);
        assert!(known.3.contains("\"remaining\":4"), "{}", known.3);

        // The owner of the registered number is told, without a code to finish with.
        let newest = newest_sms(&app, "13812341005").await;
        assert!(newest.contains("已开通"), "{newest}");
        assert!(!newest.contains("验证码"), "{newest}");
        t.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_carried_in_the_url_cannot_be_forged() {
    use base64::Engine;
    for t in databases().await {
        let app = router(&t);
        let mut b = Browser::default();
        // A refusal of a plain form post comes back in the URL, signed, and shows on the page.
        let a = b
            .send(&app, form_post("/api/set_edition", "edition=gold"))
            .await;
        assert_eq!(a.status, StatusCode::FOUND);
        let back = a.location.unwrap();
        assert!(
            back.contains("__err=") && back.contains("__errsig="),
            "{back}"
        );
        let path_and_query = back.strip_prefix(ORIGIN).unwrap();
        let page = b.send(&app, get(path_and_query)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("role=\"alert\""), "the refusal shows");

        // The same parameters written by someone else, saying what they like.
        let forged = base64::engine::general_purpose::URL_SAFE
            .encode(r#"{"InsufficientFunds":{"available":"请致电400-000-0000"}}"#);
        for sig in ["", "&__errsig=00"] {
            let page = b
                .send(
                    &app,
                    get(&format!(
                        "/settings?__path=%2Fapi%2Fset_edition&__err={forged}{sig}"
                    )),
                )
                .await;
            assert_eq!(page.status, StatusCode::SEE_OTHER);
            assert_eq!(page.location.as_deref(), Some("/settings"));
            assert!(!page.body.contains("400-000-0000"));
        }
        t.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_reset_needs_a_second_proof_and_signs_out_everywhere() {
    for t in databases().await {
        let (app, clock) = common::router_with_clock(&t);
        let mut phone = customer(&app, "13812341007", "37018119800101107").await;
        let (_, card) = first_account(&t, &mut phone, &app).await;
        let customer: String =
            sqlx::query_scalar("SELECT customer_id FROM accounts WHERE card_no = $1")
                .bind(&card)
                .fetch_one(t.db.pool())
                .await
                .unwrap();
        sqlx::query(
            "INSERT INTO passkeys (id, customer_id, credential_id, label, credential, created_at) \
             VALUES ('pk-old-phone', $1, 'cred-old-phone', '旧手机', '{}', 0)",
        )
        .bind(&customer)
        .execute(t.db.pool())
        .await
        .unwrap();
        clock.advance(61_000);

        // Someone with the SIM card (the SMS code) but not the card or the ID.
        let mut other = Browser::default();
        let r = other
            .call(&app, "/api/start_reset", "mobile=13812341007")
            .await;
        assert!(
            r.status.is_success() || r.status.is_redirection(),
            "{}",
            r.body
        );
        let code = common::last_code(&app, "13812341007").await;
        let form = |proof: &str| {
            format!("code={code}&proof={proof}&password=newpass2026&password_confirm=newpass2026")
        };
        let r = other.call(&app, "/api/complete_reset", &form("0000")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
        assert!(r.body.contains("ResetProofWrong"), "{}", r.body);
        let still = phone.call(&app, "/api/load_accounts", "").await;
        assert_eq!(still.status, StatusCode::OK, "nothing changed yet");

        // The owner, with the card's last four digits: every session ends.
        let r = other
            .call(&app, "/api/complete_reset", &form(&card[card.len() - 4..]))
            .await;
        assert!(
            r.status.is_success() || r.status.is_redirection(),
            "{}",
            r.body
        );
        let gone = phone.call(&app, "/api/load_accounts", "").await;
        assert_eq!(gone.status, StatusCode::UNAUTHORIZED, "{}", gone.body);

        // Signed in again (a new browser: the SMS code too), the passkeys are listed for
        // review until the customer says they are all theirs.
        clock.advance(61_000);
        let r = other
            .call(
                &app,
                "/api/login",
                "mobile=13812341007&password=newpass2026",
            )
            .await;
        assert!(r
            .location
            .as_deref()
            .is_some_and(|l| l.starts_with("/login/verify")));
        let code = common::last_code(&app, "13812341007").await;
        let r = other
            .call(&app, "/api/verify_login", &format!("code={code}"))
            .await;
        assert!(
            r.status.is_success() || r.status.is_redirection(),
            "{}",
            r.body
        );
        let me = other.call(&app, "/api/load_me", "").await;
        assert!(me.body.contains("旧手机"), "{}", me.body);
        let r = other.call(&app, "/api/passkeys_reviewed", "").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let me = other.call(&app, "/api/load_me", "").await;
        assert!(me.body.contains("\"passkeys_to_review\":[]"), "{}", me.body);
        t.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_else_can_use_up_a_customers_codes() {
    for t in databases().await {
        let (app, clock) = common::router_with_clock(&t);
        let _owner = customer(&app, "13812341008", "37018119800101108").await;
        clock.advance(61_000);
        // Reset requests from strangers' browsers: three a day per number, the same answers
        // for a customer's number and for a number that is nobody's.
        let mut answers = Vec::new();
        for mobile in ["13812341008", "13812341009"] {
            let mut statuses = Vec::new();
            for _ in 0..4 {
                let r = Browser::default()
                    .call(&app, "/api/start_reset", &format!("mobile={mobile}"))
                    .await;
                statuses.push(r.status);
                clock.advance(61_000);
            }
            answers.push(statuses);
        }
        assert_eq!(answers[0], answers[1]);
        assert_eq!(answers[0][3], StatusCode::TOO_MANY_REQUESTS, "{answers:?}");
        assert!(answers[0][..3]
            .iter()
            .all(|s| s.is_redirection() || s.is_success()));

        // The owner still signs in on a new phone: its code is sent.
        let r = Browser::default()
            .call(&app, "/api/login", "mobile=13812341008&password=abc12345x")
            .await;
        assert!(
            r.location
                .as_deref()
                .is_some_and(|l| l.starts_with("/login/verify")),
            "{:?} {}",
            r.location,
            r.body
        );
        t.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_bill_waits_for_a_code_bound_to_it() {
    for t in databases().await {
        let (app, clock) = common::router_with_clock(&t);
        let mut a = customer(&app, "13812341010", "37018119800101110").await;
        let (a_id, _) = first_account(&t, &mut a, &app).await;
        domain::ledger::deposit(
            &t.db,
            &domain::clock::SystemClock,
            &a_id,
            1_000_000,
            "柜面",
            "现金存入",
        )
        .await
        .unwrap();
        clock.advance(61_000);
        let number = format!(
            "123456780{}",
            domain::account::card::luhn_digit("123456780")
        );
        let form = |code: &str| {
            format!(
                "biller=electricity-{}&number={number}&from={a_id}&amount=3000&key=big-1{code}",
                enc("济南")
            )
        };
        // ¥3,000 of electricity: no payment yet, a code sent naming the bill.
        let r = a.call(&app, "/api/pay_bill", &form("")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(
            r.body.contains("CodeSent") && r.body.contains("Amount"),
            "{}",
            r.body
        );
        let sms = newest_sms(&app, "13812341010").await;
        assert!(sms.contains("¥3,000.00") && sms.contains("尾号"), "{sms}");
        let history = a
            .call(&app, "/api/load_bill_history", "kind=electricity")
            .await;
        assert_eq!(history.body, "[]", "nothing paid without the code");

        // Without WASM (a minute later: one code a minute) the form comes back asking for it.
        clock.advance(61_000);
        let r = a
            .send(
                &app,
                Request::post("/api/pay_bill")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header(header::ACCEPT, "text/html")
                    .header(
                        header::REFERER,
                        format!("{ORIGIN}/bills/electricity?number={number}"),
                    )
                    .header("sec-fetch-site", "same-origin")
                    .body(Body::from(form("")))
                    .unwrap(),
            )
            .await;
        let back = r.location.unwrap();
        let page = a.send(&app, get(back.strip_prefix(ORIGIN).unwrap())).await;
        assert!(page.body.contains("name=\"code\""), "the code field shows");
        let code = common::last_code(&app, "13812341010").await;

        // With the code: paid once.
        let r = a
            .call(&app, "/api/pay_bill", &format!("{}&code={code}", form("")))
            .await;
        assert!(
            r.status.is_redirection() || r.status.is_success(),
            "{}",
            r.body
        );
        let history = a
            .call(&app, "/api/load_bill_history", "kind=electricity")
            .await;
        let rows: serde_json::Value = serde_json::from_str(&history.body).unwrap();
        assert_eq!(rows.as_array().unwrap().len(), 1, "{}", history.body);
        t.finish().await;
    }
}

async fn newest_sms(app: &Router, mobile: &str) -> String {
    let sms = Browser::default()
        .send(app, get(&format!("/dev/sms?mobile={mobile}")))
        .await;
    let msgs: serde_json::Value = serde_json::from_str(&sms.body).unwrap();
    msgs[0]["body"].as_str().unwrap().to_string()
}
