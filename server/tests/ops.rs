//! The operators' console over HTTP: its own sign-in and cookie (scoped to `/ops`, useless for
//! customers' functions and the other way round), roles, and scoping — every console function
//! that takes an id is called by another bank's administrator with this bank's ids and must
//! answer "not found" and change nothing. Runs on SQLite and PostgreSQL.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use tower::ServiceExt;

use domain::clock::{Clock, ManualClock};
use domain::demo::DEMO_STAFF_PASSWORD;
use domain::ops::totp;
use domain::testing::TestDb;

mod common;

use common::{code, customer, databases, enc, router_with_clock, staff, Answer, Browser, STAFF};

async fn staff_id(t: &domain::testing::TestDb, login: &str) -> String {
    sqlx::query_scalar("SELECT id FROM staff WHERE login = $1")
        .bind(login)
        .fetch_one(t.db.pool())
        .await
        .unwrap()
}

/// A router over `t` with the documented demo staff; how many members were seeded.
async fn with_demo_staff(t: &TestDb) -> (Router, Arc<ManualClock>, usize) {
    let (app, clock) = router_with_clock(t);
    let keys = domain::pii::KeyRing::development();
    let ops = domain::ops::Ops {
        db: &t.db,
        clock: clock.as_ref(),
        keys: &keys,
    };
    let seeded = domain::demo::seed_staff(&ops).await.unwrap();
    (app, clock, seeded)
}

fn json(a: &Answer) -> serde_json::Value {
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    serde_json::from_str(&a.body).unwrap_or_else(|e| panic!("{e}: {}", a.body))
}

#[test]
fn every_console_function_is_listed() {
    let registered: Vec<&str> = leptos::server_fn::axum::server_fn_paths()
        .map(|(p, _)| p)
        .filter(|p| p.starts_with("/ops/"))
        .collect();
    let mut listed = STAFF.to_vec();
    listed.sort_unstable();
    let mut registered = registered;
    registered.sort_unstable();
    assert_eq!(registered, listed);
}

#[tokio::test]
async fn the_console_is_its_own_sign_in_and_each_bank_sees_only_its_own() {
    for t in databases().await {
        let (app, clock, seeded) = with_demo_staff(&t).await;
        assert_eq!(seeded, 12);

        // The cookie is the console's alone: path /ops, HTTP only, strict.
        let form = format!(
            "login=b001.admin&password={}&code={}",
            enc(DEMO_STAFF_PASSWORD),
            code(&clock, 0)
        );
        let res = app
            .clone()
            .oneshot(
                Request::post("/ops/api/ops_sign_in")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header("sec-fetch-site", "same-origin")
                    .body(Body::from(form))
                    .unwrap(),
            )
            .await
            .unwrap();
        let cookie = res.headers()[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .to_string();
        assert!(cookie.starts_with("ops_session="), "{cookie}");
        for attribute in ["Path=/ops", "HttpOnly", "SameSite=Strict"] {
            assert!(cookie.contains(attribute), "{cookie}");
        }
        // That code is used now; the next step's code signs the same member in again.
        let mut b001 = Browser::default();
        let form = format!(
            "login=b001.admin&password={}&code={}",
            enc(DEMO_STAFF_PASSWORD),
            code(&clock, 0)
        );
        let a = b001.call(&app, "/ops/api/ops_sign_in", &form).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{}", a.body);
        let form = format!(
            "login=b001.admin&password={}&code={}",
            enc(DEMO_STAFF_PASSWORD),
            code(&clock, 1)
        );
        let a = b001.call(&app, "/ops/api/ops_sign_in", &form).await;
        assert!(
            a.status.is_redirection() || a.status.is_success(),
            "{}",
            a.body
        );
        let me = json(&b001.call(&app, "/ops/api/load_console", "").await);
        assert_eq!(me["institution"], "B001");
        assert_eq!(me["roles"], serde_json::json!(["Admin"]));

        let mut b002 = staff(&app, &clock, "b002.admin").await;
        let mut b001_editor = staff(&app, &clock, "b001.editor").await;

        // Each console function refuses a browser without a console session, and a customer's
        // session is no console session; a console session is no customer session.
        let mut shopper = customer(&app, "13912345678", "37010219800101001").await;
        for path in STAFF
            .iter()
            .filter(|p| !p.ends_with("ops_sign_in") && !p.ends_with("ops_sign_out"))
        {
            let a = shopper.call(&app, path, "").await;
            assert!(
                a.status == StatusCode::UNAUTHORIZED || a.status == StatusCode::BAD_REQUEST,
                "{path}: {} {}",
                a.status,
                a.body
            );
            if a.status == StatusCode::BAD_REQUEST {
                // Missing arguments come first; with them, still no console session.
                let a = shopper
                    .call(&app, path, "staff_id=x&disable=1&current=a&new=b&confirm=b&form%5Blogin%5D=a&form%5Bname%5D=b\
                        &code=Y1&rate=1&from=2027-01-01&effective_from=1&floor=1&ceiling=2&default=1\
                        &form%5Bname_zh%5D=a&form%5Bname_en%5D=b&form%5Blike%5D=Y1&form%5Bmin%5D=1&form%5Brate%5D=1\
                        &step=x&id=x&form%5Bid%5D=&form%5Bkind%5D=news&form%5Btitle%5D=x&form%5Bbody%5D=x\
                        &form%5Bplaces%5D=&form%5Bstarts%5D=x&form%5Bends%5D=x&text=x&verdict=x")
                    .await;
                assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{path}: {}", a.body);
            }
        }
        let a = b001.call(&app, "/api/load_me", "").await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);

        // Roles: an editor manages no staff.
        let a = b001_editor.call(&app, "/ops/api/load_staff", "").await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
        let a = b001_editor
            .call(
                &app,
                "/ops/api/add_staff_member",
                "form%5Blogin%5D=b001.x&form%5Bname%5D=%E8%B5%B5%E6%95%8F&form%5Beditor%5D=on",
            )
            .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);

        // Another bank's administrator, with this bank's ids: not found, nothing changes.
        let editor = staff_id(&t, "b001.editor").await;
        for (path, form) in [
            (
                "/ops/api/set_staff_disabled",
                format!("staff_id={editor}&disable=1"),
            ),
            (
                "/ops/api/reset_staff_credentials",
                format!("staff_id={editor}"),
            ),
        ] {
            let a = b002.call(&app, path, &form).await;
            assert_eq!(a.status, StatusCode::NOT_FOUND, "{path}: {}", a.body);
        }
        let a = b001_editor.call(&app, "/ops/api/load_console", "").await;
        assert_eq!(
            a.status,
            StatusCode::OK,
            "the editor's session survived: {}",
            a.body
        );
        let listed = json(&b002.call(&app, "/ops/api/load_staff", "").await);
        let logins: Vec<&str> = listed
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["login"].as_str().unwrap())
            .collect();
        assert_eq!(
            logins,
            vec!["b002.admin", "b002.approver", "b002.credit", "b002.editor"]
        );

        // This bank's administrator adds a member; the credentials are shown once, to them.
        let a = b001
            .call(&app, "/ops/api/add_staff_member", "form%5Blogin%5D=b001.teller&form%5Bname%5D=%E8%B5%B5%E6%95%8F&form%5Bservice_agent%5D=on")
            .await;
        assert!(
            a.status.is_redirection() || a.status.is_success(),
            "{}",
            a.body
        );
        assert_eq!(
            json(&b002.call(&app, "/ops/api/take_issued", "").await),
            serde_json::Value::Null
        );
        let issued = json(&b001.call(&app, "/ops/api/take_issued", "").await);
        assert_eq!(issued["login"], "b001.teller");
        assert!(issued["qr_svg"].as_str().unwrap().starts_with("<svg"));
        assert_eq!(
            json(&b001.call(&app, "/ops/api/take_issued", "").await),
            serde_json::Value::Null
        );
        let secret: String = issued["secret"]
            .as_str()
            .unwrap()
            .split_whitespace()
            .collect();
        let secret = totp::from_base32(&secret).unwrap();
        let mut teller = Browser::default();
        let form = format!(
            "login=b001.teller&password={}&code={}",
            enc(issued["password"].as_str().unwrap()),
            totp::code_at_step(&secret, totp::step_at(clock.now()))
        );
        let a = teller.call(&app, "/ops/api/ops_sign_in", &form).await;
        assert_eq!(
            a.location.as_deref(),
            Some("/ops/password"),
            "{} {}",
            a.status,
            a.body
        );
        let me = json(&teller.call(&app, "/ops/api/load_console", "").await);
        assert_eq!(me["must_change_password"], true);
        assert_eq!(me["roles"], serde_json::json!(["ServiceAgent"]));

        // Disabled by their own administrator: the session ends at once.
        let teller_id = staff_id(&t, "b001.teller").await;
        let a = b001
            .call(
                &app,
                "/ops/api/set_staff_disabled",
                &format!("staff_id={teller_id}&disable=1"),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        let a = teller.call(&app, "/ops/api/load_console", "").await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);

        // A post carrying the console cookie must say it comes from our pages.
        let res = app
            .clone()
            .oneshot(
                Request::post("/ops/api/ops_sign_out")
                    .header(
                        header::COOKIE,
                        format!("ops_session={}", b001.cookies["ops_session"]),
                    )
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            b001.call(&app, "/ops/api/load_console", "").await.status,
            StatusCode::OK
        );

        // Signing out ends the console session only.
        b001.call(&app, "/ops/api/ops_sign_out", "").await;
        assert_eq!(
            b001.call(&app, "/ops/api/load_console", "").await.status,
            StatusCode::UNAUTHORIZED
        );
        assert!(matches!(
            domain::audit::verify(&t.db).await.unwrap(),
            domain::audit::Verdict::Intact { .. }
        ));
        t.finish().await;
    }
}

/// The rate in effect for a product on the customer's deposit page.
async fn customer_rate(app: &Router, customer: &mut Browser, code: &str) -> String {
    let view = json(&customer.call(app, "/api/load_deposits", "").await);
    view["products"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == code)
        .map(|p| p["rate"].as_str().unwrap().to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn each_bank_prices_its_own_products_within_the_province_band() {
    for t in databases().await {
        let (app, clock, _) = with_demo_staff(&t).await;
        let mut b002 = staff(&app, &clock, "b002.approver").await;
        let mut b001 = staff(&app, &clock, "b001.approver").await;
        let mut union = staff(&app, &clock, "p000.approver").await;
        let mut editor = staff(&app, &clock, "b002.editor").await;
        // A customer of B002.
        let mut farmer = customer(&app, "13912345678", "37010219800101001").await;
        assert_eq!(customer_rate(&app, &mut farmer, "Y1").await, "1.45%");

        // Only product managers see the sheet.
        let a = editor.call(&app, "/ops/api/load_rate_sheet", "").await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
        let sheet = json(&b002.call(&app, "/ops/api/load_rate_sheet", "").await);
        assert_eq!(sheet["union"], false);
        assert_eq!(sheet["lines"].as_array().unwrap().len(), 8);

        // Refusals say why, in the language in use.
        let today = domain::clock::beijing_date(clock.now());
        let a = b002
            .call(
                &app,
                "/ops/api/schedule_product_rate",
                &format!("code=Y1&rate=1.90&from={today}"),
            )
            .await;
        assert_eq!(a.status.as_u16(), 422, "{}", a.body);
        assert!(a.body.contains("1.85%"), "{}", a.body);
        let a = b002
            .call(
                &app,
                "/ops/api/schedule_product_rate",
                &format!("code=Y1&rate=abc&from={today}"),
            )
            .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.body);
        let a = b002
            .call(
                &app,
                "/ops/api/schedule_product_rate",
                "code=Y1&rate=1.5&from=2020-01-01",
            )
            .await;
        assert_eq!(a.status.as_u16(), 422, "{}", a.body);

        // B002's rate from today reaches B002's customers at once; B001's does not.
        let a = b002
            .call(
                &app,
                "/ops/api/schedule_product_rate",
                &format!("code=Y1&rate=1.65&from={today}"),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        let a = b001
            .call(
                &app,
                "/ops/api/schedule_product_rate",
                &format!("code=Y1&rate=1.10&from={today}"),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        assert_eq!(customer_rate(&app, &mut farmer, "Y1").await, "1.65%");
        // One for tomorrow waits for tomorrow.
        let tomorrow = domain::clock::beijing_date(clock.now() + domain::clock::DAY);
        let a = b002
            .call(
                &app,
                "/ops/api/schedule_product_rate",
                &format!("code=Y1&rate=1.75&from={tomorrow}"),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        assert_eq!(customer_rate(&app, &mut farmer, "Y1").await, "1.65%");

        // Another bank's ids: its rate to come and its local product are "not found".
        let sheet = json(&b002.call(&app, "/ops/api/load_rate_sheet", "").await);
        let y1 = sheet["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["code"] == "Y1")
            .unwrap()
            .clone();
        let upcoming = y1["upcoming"][0]["effective_from"].as_i64().unwrap();
        let a = b001
            .call(
                &app,
                "/ops/api/withdraw_product_rate",
                &format!("code=Y1&effective_from={upcoming}"),
            )
            .await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.body);
        let a = b001
            .call(&app, "/ops/api/add_local_deposit", &format!(
                "form%5Bname_zh%5D={}&form%5Bname_en%5D=Harvest&form%5Blike%5D=Y1&form%5Bmin%5D=100&form%5Brate%5D=1.80",
                enc("丰收定期")
            ))
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        let sheet = json(&b001.call(&app, "/ops/api/load_rate_sheet", "").await);
        let local = sheet["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["local"] == true)
            .unwrap()["code"]
            .as_str()
            .unwrap()
            .to_string();
        let a = b002
            .call(
                &app,
                "/ops/api/schedule_product_rate",
                &format!("code={local}&rate=1.50&from={tomorrow}"),
            )
            .await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.body);
        assert_eq!(
            customer_rate(&app, &mut farmer, &local).await,
            "",
            "not for B002's customers"
        );
        let a = farmer
            .call(
                &app,
                "/api/open_deposit",
                &format!("product={local}&amount=100&from=x&key=k1"),
            )
            .await;
        assert!(a.status.is_client_error(), "{}", a.body);
        // B002 withdraws its own rate to come.
        let a = b002
            .call(
                &app,
                "/ops/api/withdraw_product_rate",
                &format!("code=Y1&effective_from={upcoming}"),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);

        // The union moves bands, not a bank's rates; banks do not move bands.
        let a = b002
            .call(
                &app,
                "/ops/api/set_product_band",
                "code=Y1&floor=1&ceiling=2&default=1.5",
            )
            .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
        let a = union
            .call(
                &app,
                "/ops/api/set_product_band",
                "code=Y1&floor=1.05&ceiling=1.60&default=1.40",
            )
            .await;
        assert_eq!(
            a.status,
            StatusCode::CONFLICT,
            "B002 is at 1.65% and B001's local at 1.80%: {}",
            a.body
        );
        let a = union
            .call(
                &app,
                "/ops/api/set_product_band",
                "code=Y1&floor=1.00&ceiling=1.90&default=1.40",
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        let sheet = json(&union.call(&app, "/ops/api/load_rate_sheet", "").await);
        assert_eq!(sheet["union"], true);
        let y1 = sheet["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["code"] == "Y1")
            .unwrap()
            .clone();
        assert_eq!(
            (y1["floor"].as_str(), y1["ceiling"].as_str()),
            (Some("1.00%"), Some("1.90%"))
        );
        assert!(sheet["lines"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["local"] == false));
        // Another catalogue product still at the default for B002's customers.
        assert_eq!(customer_rate(&app, &mut farmer, "M3").await, "1.05%");
        t.finish().await;
    }
}

#[tokio::test]
async fn content_is_drafted_approved_by_another_and_reaches_only_the_banks_customers() {
    for t in databases().await {
        let (app, clock, _) = with_demo_staff(&t).await;
        let mut editor = staff(&app, &clock, "b002.editor").await;
        let mut approver = staff(&app, &clock, "b002.approver").await;
        let mut other = staff(&app, &clock, "b001.approver").await;
        let mut other_editor = staff(&app, &clock, "b001.editor").await;
        let mut farmer = customer(&app, "13912345678", "37010219800101001").await;
        let today = domain::clock::beijing_date(clock.now());

        // A draft with a script in it and a bad schedule: the schedule is refused.
        let form = |id: &str, ends: &str| {
            format!(
                "form%5Bid%5D={id}&form%5Bkind%5D=news&form%5Btitle%5D={}&form%5Bbody%5D={}\
                 &form%5Beditions%5D%5B1%5D=rural&form%5Bplaces%5D=&form%5Bstarts%5D={today}&form%5Bends%5D={ends}\
                 &form%5Bpush%5D=on",
                enc("章丘春耕贷款开办"),
                enc("**春耕贷款** 开始受理 <script>alert(1)</script>")
            )
        };
        let a = editor
            .call(&app, "/ops/api/save_content", &form("", "2020-01-01"))
            .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.body);
        let a = editor
            .call(&app, "/ops/api/save_content", &form("", &today))
            .await;
        let id = a
            .location
            .as_deref()
            .and_then(|l| l.strip_prefix("/ops/content/"))
            .unwrap_or_else(|| panic!("{} {:?} {}", a.status, a.location, a.body))
            .to_string();
        let item = json(
            &editor
                .call(&app, "/ops/api/load_content_item", &format!("id={id}"))
                .await,
        );
        assert_eq!(item["status"], "Draft");
        assert_eq!(item["form"]["editions"], serde_json::json!(["rural"]));
        assert_eq!(item["form"]["push"], "on", "marked for push");
        let preview = item["preview"].as_str().unwrap();
        assert!(
            preview.contains("<strong>春耕贷款</strong>") && preview.contains("&lt;script&gt;"),
            "{preview}"
        );

        // Another bank's staff: every content function with this bank's id is "not found".
        for (approving, path, args) in [
            (true, "/ops/api/load_content_item", format!("id={id}")),
            (
                true,
                "/ops/api/content_step",
                format!("id={id}&step=publish"),
            ),
            (
                true,
                "/ops/api/content_step",
                format!("id={id}&step=withdraw"),
            ),
            (
                false,
                "/ops/api/content_step",
                format!("id={id}&step=submit"),
            ),
            (false, "/ops/api/save_content", form(&id, &today)),
        ] {
            let who = if approving {
                &mut other
            } else {
                &mut other_editor
            };
            let a = who.call(&app, path, &args).await;
            assert_eq!(a.status, StatusCode::NOT_FOUND, "{path}: {}", a.body);
        }
        let listed = json(&other.call(&app, "/ops/api/load_content_list", "").await);
        assert_eq!(listed, serde_json::json!([]));

        // Maker–checker: the editor submits; an editor publishes nothing; the approver does.
        let a = editor
            .call(
                &app,
                "/ops/api/content_step",
                &format!("id={id}&step=submit"),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        let a = editor
            .call(
                &app,
                "/ops/api/content_step",
                &format!("id={id}&step=publish"),
            )
            .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
        let a = approver
            .call(
                &app,
                "/ops/api/content_step",
                &format!("id={id}&step=nonsense"),
            )
            .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.body);
        assert!(
            customer_titles(&app, &mut farmer).await.is_empty(),
            "not yet published"
        );
        let a = approver
            .call(
                &app,
                "/ops/api/content_step",
                &format!("id={id}&step=publish"),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        let a = approver
            .call(
                &app,
                "/ops/api/content_step",
                &format!("id={id}&step=publish"),
            )
            .await;
        assert_eq!(a.status, StatusCode::CONFLICT, "not twice: {}", a.body);

        // The bank's customer in the rural edition sees it; in the city edition, or as a
        // visitor, it is not there.
        farmer.cookies.insert("edition".into(), "rural".into());
        assert_eq!(
            customer_titles(&app, &mut farmer).await,
            ["章丘春耕贷款开办"]
        );
        let a = farmer
            .call(&app, "/api/load_news_item", &format!("id={id}"))
            .await;
        let article = json(&a);
        assert!(article["html"].as_str().unwrap().contains("&lt;script&gt;"));
        farmer.cookies.insert("edition".into(), "city".into());
        assert!(customer_titles(&app, &mut farmer).await.is_empty());
        let mut visitor = Browser::default();
        visitor.cookies.insert("edition".into(), "rural".into());
        let a = visitor
            .call(&app, "/api/load_news_item", &format!("id={id}"))
            .await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.body);

        // Taken down: gone for customers.
        let a = approver
            .call(
                &app,
                "/ops/api/content_step",
                &format!("id={id}&step=withdraw"),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        farmer.cookies.insert("edition".into(), "rural".into());
        assert!(customer_titles(&app, &mut farmer).await.is_empty());
        t.finish().await;
    }
}

async fn customer_titles(app: &Router, b: &mut Browser) -> Vec<String> {
    let list = json(&b.call(app, "/api/load_news", "").await);
    list.as_array()
        .unwrap()
        .iter()
        .map(|r| r["title"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_idle_warning_asks_without_keeping_the_console_session_alive() {
    for t in databases().await {
        let (app, clock, _) = with_demo_staff(&t).await;
        let mut admin = staff(&app, &clock, "p000.admin").await;
        let left = |a: Answer| json(&a).as_i64().unwrap();
        let minute = domain::clock::MINUTE;
        clock.advance(10 * minute);
        let a = admin
            .call(&app, "/ops/api/staff_session_remaining", "")
            .await;
        assert_eq!(left(a), 5 * minute);
        // Asking was not activity.
        clock.advance(minute);
        let a = admin
            .call(&app, "/ops/api/staff_session_remaining", "")
            .await;
        assert_eq!(left(a), 4 * minute);
        // "继续使用" is.
        let a = admin.call(&app, "/ops/api/staff_keep_alive", "").await;
        assert_eq!(left(a), 15 * minute);
        clock.advance(15 * minute);
        let a = admin
            .call(&app, "/ops/api/staff_session_remaining", "")
            .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{}", a.body);
        let a = admin.call(&app, "/ops/api/load_console", "").await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{}", a.body);
        t.finish().await;
    }
}

#[tokio::test]
async fn feedback_reaches_the_customers_bank_alone_and_its_answer_the_message_centre() {
    for t in databases().await {
        let (app, clock, _) = with_demo_staff(&t).await;
        let mut farmer = customer(&app, "13912345670", "37010219800101002").await;
        let form = format!(
            "kind=complaint&category=transfer&text={}&page=/transfer&edition=rural-simple",
            enc("转账页面的字太小了，看不清。")
        );
        let sent = farmer.call(&app, "/api/send_feedback", &form).await;
        let id = sent
            .location
            .as_deref()
            .and_then(|l| l.strip_prefix("/feedback/"))
            .unwrap_or_else(|| panic!("{} {}", sent.status, sent.body))
            .to_string();

        // Another bank's agent and administrator: nothing in the queue, the item not found.
        let mut stranger = staff(&app, &clock, "b001.service").await;
        let queue = json(
            &stranger
                .call(&app, "/ops/api/load_feedback_queue", "")
                .await,
        );
        assert_eq!(queue["rows"], serde_json::json!([]));
        for (path, form) in [
            ("/ops/api/load_feedback_ticket", format!("id={id}")),
            ("/ops/api/take_feedback", format!("id={id}")),
            (
                "/ops/api/reply_feedback",
                format!("id={id}&text={}", enc("已处理。")),
            ),
        ] {
            let a = stranger.call(&app, path, &form).await;
            assert_eq!(a.status, StatusCode::NOT_FOUND, "{path}: {}", a.body);
        }
        let stats = json(
            &stranger
                .call(&app, "/ops/api/load_feedback_stats", "")
                .await,
        );
        assert_eq!(stats["rows"], serde_json::json!([]));
        // The bank's staff without the service role may not work the queue.
        let mut approver = staff(&app, &clock, "b002.approver").await;
        let a = approver
            .call(&app, "/ops/api/load_feedback_queue", "")
            .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);

        // The customer's bank's agent sees it with where it came from, takes and answers it.
        let mut agent = staff(&app, &clock, "b002.editor").await;
        let queue = json(&agent.call(&app, "/ops/api/load_feedback_queue", "").await);
        assert_eq!(queue["rows"][0]["id"], id.as_str());
        let ticket = json(
            &agent
                .call(&app, "/ops/api/load_feedback_ticket", &format!("id={id}"))
                .await,
        );
        assert_eq!(ticket["text"], "转账页面的字太小了，看不清。");
        assert_eq!(
            (ticket["page"].as_str(), ticket["edition"].as_str()),
            (Some("/transfer"), Some("rural-simple"))
        );
        let a = agent
            .call(&app, "/ops/api/take_feedback", &format!("id={id}"))
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        let answer = format!("id={id}&text={}", enc("已为您反映，下月起字号加大。"));
        let a = agent.call(&app, "/ops/api/reply_feedback", &answer).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        let a = agent.call(&app, "/ops/api/reply_feedback", &answer).await;
        assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.body);
        assert!(a.body.contains("FeedbackAnswered"), "{}", a.body);

        // The customer: a service message linking to the answer, then a rating.
        let inbox = json(&farmer.call(&app, "/api/load_inbox", "kind=service").await);
        assert_eq!(inbox["items"][0]["href"], format!("/feedback/{id}"));
        assert_eq!(inbox["items"][0]["heading"], "FeedbackAnswered");
        let mine = json(
            &farmer
                .call(&app, "/api/load_feedback_item", &format!("id={id}"))
                .await,
        );
        assert_eq!(mine["answer"], "已为您反映，下月起字号加大。");
        assert_eq!(mine["status"], "Replied");
        let a = farmer
            .call(
                &app,
                "/api/rate_feedback",
                &format!("id={id}&rating=satisfied"),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);

        // The union sees the bank's numbers; the bank its own.
        let mut union = staff(&app, &clock, "p000.service").await;
        let stats = json(
            &union
                .call(&app, "/ops/api/load_feedback_stats", "days=7")
                .await,
        );
        assert_eq!(stats["days"], 7);
        assert_eq!(stats["rows"][0]["bank"], "章丘农商银行");
        assert_eq!(stats["rows"][0]["received"], 1);
        assert_eq!(stats["rows"][0]["satisfied_percent"], 100);
        let own = json(&agent.call(&app, "/ops/api/load_feedback_stats", "").await);
        assert_eq!(own["rows"], stats["rows"]);
        t.finish().await;
    }
}

/// A multipart upload of `bytes` as the console's form posts it, returning to `back`.
async fn upload(app: &Router, b: &mut Browser, back: &str, bytes: &[u8]) -> Answer {
    let boundary = "XbankPortalBoundary7";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"back\"\r\n\r\n{back}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"p.png\"\r\n\
         Content-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let req = Request::post("/ops/media")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(body))
        .unwrap();
    b.send(app, req).await
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
        width,
        height,
        image::Rgb([22, 101, 52]),
    ));
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

#[tokio::test]
async fn an_editor_uploads_a_picture_that_is_served_re_encoded_and_bodies_may_show_it() {
    for t in databases().await {
        let (app, clock, _) = with_demo_staff(&t).await;
        let mut editor = staff(&app, &clock, "b002.editor").await;
        let a = upload(&app, &mut editor, "/ops/content", &png(2400, 1200)).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let to = a.location.unwrap();
        let id = to
            .strip_prefix("/ops/content?image=")
            .unwrap_or_else(|| panic!("{to}"))
            .to_string();
        // Anyone's browser loads it (it is shown in published content), as a new picture:
        // a PNG without transparency becomes a JPEG of at most 1200 pixels across.
        let mut visitor = Browser::default();
        let got = visitor
            .send(
                &app,
                Request::get(format!("/media/{id}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(got.status, StatusCode::OK);
        assert_eq!(got.content_type.as_deref(), Some("image/jpeg"));
        let served = image::load_from_memory(&got.bytes).unwrap();
        assert_eq!((served.width(), served.height()), (1200, 600));
        let missing = visitor
            .send(
                &app,
                Request::get("/media/nope").body(Body::empty()).unwrap(),
            )
            .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);

        // Not a picture, nothing chosen, a page elsewhere to go back to, no editor role, no
        // console session: each sent back with its reason, nothing stored.
        let a = upload(
            &app,
            &mut editor,
            "/ops/content/x1",
            b"<svg onload=alert(1)>",
        )
        .await;
        assert_eq!(
            a.location.as_deref(),
            Some("/ops/content/x1?image_error=not_image")
        );
        let a = upload(&app, &mut editor, "https://evil.example/", b"").await;
        assert_eq!(
            a.location.as_deref(),
            Some("/ops/content?image_error=missing")
        );
        let mut approver = staff(&app, &clock, "b002.approver").await;
        let a = upload(&app, &mut approver, "/ops/content", &png(10, 10)).await;
        assert_eq!(
            a.location.as_deref(),
            Some("/ops/content?image_error=not_permitted")
        );
        let a = upload(&app, &mut Browser::default(), "/ops/content", &png(10, 10)).await;
        assert_eq!(a.location.as_deref(), Some("/ops/login"));
        // From another site, with the editor's cookie: refused before the form is read.
        let forged = Request::post("/ops/media")
            .header(header::CONTENT_TYPE, "multipart/form-data; boundary=x")
            .header("sec-fetch-site", "cross-site")
            .body(Body::from("--x--\r\n"))
            .unwrap();
        assert_eq!(
            editor.send(&app, forged).await.status,
            StatusCode::FORBIDDEN
        );
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM content_images")
            .fetch_one(t.db.pool())
            .await
            .unwrap();
        assert_eq!(stored, 1);

        // Over 5 MiB: refused with its reason rather than a bare error page.
        let mut big = png(10, 10);
        big.resize(5 * 1024 * 1024 + 10, 0);
        let a = upload(&app, &mut editor, "/ops/content", &big).await;
        assert_eq!(
            a.location.as_deref(),
            Some("/ops/content?image_error=too_large"),
            "{} {}",
            a.status,
            a.body
        );

        // A body shows a picture of ours, never one from elsewhere.
        let html = domain::content::markdown::render(&format!(
            "![春耕](/media/{id}) ![外链](https://evil.example/x.png)"
        ));
        assert!(html.contains(&format!("src=\"/media/{id}\"")), "{html}");
        assert!(!html.contains("evil.example"), "{html}");
        t.finish().await;
    }
}
