//! The server as a browser and the running app see it: full requests through the router
//! (middleware, SSR, server functions, static fallback), on SQLite and on PostgreSQL.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use tower::ServiceExt;

mod common;

use common::{databases, router};
use domain::testing;

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

async fn send(app: &Router, req: Request<Body>) -> Answer {
    let uri = req.uri().to_string();
    let res = tokio::time::timeout(std::time::Duration::from_secs(8), app.clone().oneshot(req))
        .await
        .unwrap_or_else(|_| panic!("no answer within 8 s: {uri}"))
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

fn get(uri: &str, cookie: Option<&str>) -> Request<Body> {
    let mut req = Request::get(uri).header(header::ACCEPT, "text/html");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    req.body(Body::empty()).unwrap()
}

/// A server-function call as the hydrated app makes it (no `text/html` in Accept).
fn call(endpoint: &str, form: &str) -> Request<Body> {
    Request::post(format!("/api/{endpoint}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .body(Body::from(form.to_string()))
        .unwrap()
}

/// The same call as a plain HTML form post before WASM has loaded.
fn form_post(endpoint: &str, form: &str, referer: &str) -> Request<Body> {
    Request::post(format!("/api/{endpoint}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .header(header::REFERER, referer)
        .body(Body::from(form.to_string()))
        .unwrap()
}

fn set_cookies(a: &Answer) -> Vec<String> {
    a.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect()
}

fn location(a: &Answer) -> String {
    a.headers
        .get(header::LOCATION)
        .expect("a Location header")
        .to_str()
        .unwrap()
        .to_string()
}

fn html_tag(body: &str) -> &str {
    let start = body.find("<html").expect("an <html> element");
    &body[start..start + body[start..].find('>').unwrap()]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_reports_the_database_kind() {
    for t in databases().await {
        let app = router(&t);
        let a = send(&app, get("/healthz", None)).await;
        assert_eq!(a.status, StatusCode::OK);
        let json: serde_json::Value = serde_json::from_str(&a.body).unwrap();
        assert_eq!(json["status"], "ok");
        assert_eq!(json["database"], t.db.kind().as_str());
        t.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_visit_gets_the_chooser_and_the_cookie_decides_the_edition() {
    for t in databases().await {
        let app = router(&t);
        let first = send(&app, get("/", None)).await;
        assert_eq!(first.status, StatusCode::OK);
        let html = html_tag(&first.body);
        assert!(html.contains(r#"lang="zh-CN""#), "{html}");
        assert!(html.contains(r#"data-edition="city""#), "{html}");
        assert!(html.contains(r#"data-edition-chosen="false""#), "{html}");
        assert!(
            first.body.contains("请选择适合您的版本"),
            "the chooser, in Chinese"
        );
        assert!(first.headers.get("x-content-type-options").is_some());

        for (slug, name) in [
            ("city", "城市版"),
            ("rural", "乡村智慧版"),
            ("city-simple", "城市简约版"),
            ("rural-simple", "乡村简约版"),
        ] {
            let a = send(&app, get("/", Some(&format!("edition={slug}")))).await;
            assert_eq!(a.status, StatusCode::OK);
            assert!(
                html_tag(&a.body).contains(&format!(r#"data-edition="{slug}""#)),
                "{slug}: first byte right"
            );
            assert!(a.body.contains(name), "{slug}: header names the edition");
            assert!(
                a.body.contains("常用服务") || a.body.contains("助农服务"),
                "{slug}: home, not chooser"
            );
        }
        t.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edition_and_language_in_the_url_set_their_cookies() {
    for t in databases().await {
        let app = router(&t);
        let a = send(
            &app,
            get(
                "/banks?edition=rural-simple&city=%E6%B5%8E%E5%8D%97&lang=en",
                None,
            ),
        )
        .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER);
        assert_eq!(
            location(&a),
            "/banks?city=%E6%B5%8E%E5%8D%97",
            "same page, parameters consumed"
        );
        let cookies = set_cookies(&a);
        assert!(
            cookies
                .iter()
                .any(|c| c.starts_with("edition=rural-simple;") && c.contains("HttpOnly")),
            "{cookies:?}"
        );
        assert!(
            cookies.iter().any(|c| c.starts_with("lang=en;")),
            "{cookies:?}"
        );

        // The browser follows with the cookies it was given.
        let page = send(
            &app,
            get(&location(&a), Some("edition=rural-simple; lang=en")),
        )
        .await;
        assert_eq!(page.status, StatusCode::OK);
        let html = html_tag(&page.body);
        assert!(html.contains(r#"data-edition="rural-simple""#), "{html}");
        assert!(html.contains(r#"lang="en""#), "{html}");
        assert!(
            page.body.contains("Rural commercial banks of the province"),
            "English copy"
        );

        // An unknown language is dropped, not an error.
        let a = send(&app, get("/?lang=xx", Some("edition=city"))).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER);
        assert_eq!(location(&a), "/");
        assert!(set_cookies(&a).is_empty());
        t.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_edition_in_the_url_leads_to_the_chooser_with_a_message() {
    for t in databases().await {
        let app = router(&t);
        let a = send(&app, get("/banks?edition=gold&city=x", None)).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER);
        let location = a
            .headers
            .get(header::LOCATION)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        assert_eq!(location, "/edition?unknown=gold&next=/banks%3Fcity%3Dx");
        let chooser = send(&app, get(&location, None)).await;
        assert_eq!(chooser.status, StatusCode::OK);
        assert!(
            chooser.body.contains("链接里的版本名称无法识别"),
            "plain message"
        );
        assert!(
            chooser
                .body
                .contains(r#"name="next" value="/banks?city=x""#),
            "returns where the visitor was going"
        );
        t.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn set_edition_works_as_a_form_post_and_as_a_call() {
    for t in databases().await {
        let app = router(&t);
        // Without WASM: cookie set, then back to the form (or to `next`).
        let a = send(
            &app,
            form_post(
                "set_edition",
                "edition=city-simple",
                "http://127.0.0.1:3000/settings",
            ),
        )
        .await;
        assert_eq!(a.status, StatusCode::FOUND);
        // (The framework strips its error parameters from the Referer, leaving a bare `?`.)
        assert!(
            location(&a).starts_with("http://127.0.0.1:3000/settings"),
            "{}",
            location(&a)
        );
        assert!(set_cookies(&a)
            .iter()
            .any(|c| c.starts_with("edition=city-simple;")));
        let a = send(
            &app,
            form_post(
                "set_edition",
                "edition=rural&next=%2Fbanks",
                "http://127.0.0.1:3000/edition",
            ),
        )
        .await;
        assert_eq!(location(&a), "/banks");
        // `next` may not leave the site.
        let a = send(
            &app,
            form_post(
                "set_edition",
                "edition=rural&next=%2F%2Fevil.example",
                "http://127.0.0.1:3000/edition",
            ),
        )
        .await;
        assert!(
            location(&a).starts_with("http://127.0.0.1:3000/edition"),
            "{}",
            location(&a)
        );

        // From the running app: JSON answer, no redirect.
        let a = send(&app, call("set_edition", "edition=rural")).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        assert_eq!(a.body, "\"Rural\"");
        assert!(set_cookies(&a)
            .iter()
            .any(|c| c.starts_with("edition=rural;")));

        // Refusals: a clear error with a 4xx status, never a 500, and no cookie.
        let a = send(&app, call("set_edition", "edition=gold")).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST);
        assert!(a.body.contains("UnknownEdition"), "{}", a.body);
        assert!(set_cookies(&a).is_empty());
        // The no-WASM form post of a bad value goes back to the form, carrying the error.
        let a = send(
            &app,
            form_post(
                "set_edition",
                "edition=gold",
                "http://127.0.0.1:3000/settings",
            ),
        )
        .await;
        assert_eq!(a.status, StatusCode::FOUND);
        assert!(location(&a).contains("__err="));

        let a = send(&app, call("set_language", "lang=en")).await;
        assert_eq!(a.status, StatusCode::OK);
        assert!(set_cookies(&a).iter().any(|c| c.starts_with("lang=en;")));
        let a = send(&app, call("set_language", "lang=klingon")).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST);
        t.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bank_directory_reads_the_database() {
    for t in databases().await {
        let app = router(&t);
        let a = send(&app, call("load_bank_directory", "city=%E6%B5%8E%E5%8D%97")).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        let dir: serde_json::Value = serde_json::from_str(&a.body).unwrap();
        assert_eq!(dir["cities"].as_array().unwrap().len(), 16);
        let banks = dir["banks"].as_array().unwrap();
        assert!(!banks.is_empty());
        assert!(banks.iter().all(|b| b["city"] == "济南"));

        let all = send(&app, call("load_bank_directory", "")).await;
        let all: serde_json::Value = serde_json::from_str(&all.body).unwrap();
        assert_eq!(all["banks"].as_array().unwrap().len(), 110);

        let a = send(&app, call("load_bank_directory", "city=Atlantis")).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST);
        assert!(a.body.contains("UnknownCity"));

        // The page itself holds the list in its first HTML (no WASM needed).
        let page = send(
            &app,
            get(
                "/banks?city=%E6%B5%8E%E5%8D%97",
                Some("edition=city-simple"),
            ),
        )
        .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("章丘农商银行"), "server-rendered list");
        assert!(!page.body.contains("寿光农商银行"), "filtered to 济南");
        t.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_pages_get_the_chinese_404_view() {
    for t in databases().await {
        let app = router(&t);
        let a = send(&app, get("/no-such-page", Some("edition=city"))).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND);
        assert!(
            a.body.contains("没有找到这个页面"),
            "{}",
            &a.body[..a.body.len().min(400)]
        );
        assert!(a.body.contains("返回首页"));
        t.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_carry_a_nonce_based_content_security_policy() {
    let t = testing::sqlite().await;
    domain::institution::seed(&t.db).await.unwrap();
    let app = router(&t);
    let a = send(&app, get("/", Some("edition=city"))).await;
    let csp = a
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|r| r.split('\'').next())
        .expect("a nonce in script-src");
    assert!(nonce.len() >= 16, "{csp}");
    assert!(
        csp.contains("'wasm-unsafe-eval'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert!(!csp.contains("'unsafe-inline'"), "{csp}");
    assert!(
        a.body
            .contains(&format!(r#"<script type="module" nonce="{nonce}">"#)),
        "the hydration script carries it"
    );
    let again = send(&app, get("/", Some("edition=city"))).await;
    let csp2 = again
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(!csp2.contains(nonce), "a new nonce per response");
    t.finish().await;
}
