//! Accounts and transfers through the HTTP server functions, as the pages call them: the
//! three transfer steps, a double submit posting once, refusals with their status, bills and the
//! e-cards, and no customer reaching another's account, history, receipt or card. Runs on
//! SQLite and PostgreSQL.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};

use domain::account::Accounts;
use domain::clock::SystemClock;

mod common;

use common::{customer, databases, enc, first_account, last_code, router, Browser};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transfer_in_three_steps_posts_once_and_stays_private() {
    for t in databases().await {
        let app = router(&t);
        let mut a = customer(&app, "13812340001", "37018119800101001").await;
        let mut b = customer(&app, "13812340002", "37018119850202002").await;
        let (a_id, _) = first_account(&t, &mut a, &app).await;
        let (b_id, b_card) = first_account(&t, &mut b, &app).await;
        domain::ledger::deposit(&t.db, &SystemClock, &a_id, 500_000, "柜面", "现金存入")
            .await
            .unwrap();

        // Step one: fill in. Refusals come back with a status and a clear reason.
        let over = a
            .call(
                &app,
                "/api/prepare_transfer",
                &format!("from={a_id}&payee=&to={b_card}&amount=6000"),
            )
            .await;
        assert_eq!(
            over.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            over.body
        );
        assert!(
            over.body.contains("InsufficientFunds") && over.body.contains("¥5,000.00"),
            "{}",
            over.body
        );
        let bad = a
            .call(
                &app,
                "/api/prepare_transfer",
                &format!("from={a_id}&payee=&to=6230021234&amount=1"),
            )
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
        let ok = a
            .call(
                &app,
                "/api/prepare_transfer",
                &format!(
                    "from={a_id}&payee=&to={b_card}&amount=100.5&memo={}",
                    enc("饭钱")
                ),
            )
            .await;
        assert!(
            ok.status.is_success() || ok.status.is_redirection(),
            "{} {}",
            ok.status,
            ok.body
        );

        // Step two: what the confirm page shows, digits and capitals, payee masked.
        let c = a.call(&app, "/api/load_transfer_confirm", "").await;
        assert_eq!(c.status, StatusCode::OK, "{}", c.body);
        let v: serde_json::Value = serde_json::from_str(&c.body).unwrap();
        assert_eq!(v["amount"], "¥100.50");
        assert_eq!(v["amount_capitals"], "壹佰元伍角整");
        assert_eq!(v["payee_name"], "李**");
        assert!(!c.body.contains(&b_card), "the payee card is masked");
        let key = v["key"].as_str().unwrap().to_string();

        // A double submit: both answers lead to the same receipt; the money moves once.
        let first = a
            .call(&app, "/api/confirm_transfer", &format!("key={key}"))
            .await;
        let second = a
            .call(&app, "/api/confirm_transfer", &format!("key={key}"))
            .await;
        assert!(
            first.status.is_success() || first.status.is_redirection(),
            "{}",
            first.body
        );
        assert_eq!(
            first.location, second.location,
            "{} / {}",
            first.body, second.body
        );
        let receipt = first.location.clone().expect("redirect to the receipt");
        assert!(receipt.starts_with("/receipts/"), "{receipt}");
        let accounts = Accounts {
            db: &t.db,
            clock: &SystemClock,
        };
        let b_customer =
            sqlx::query_scalar::<_, String>("SELECT customer_id FROM accounts WHERE id = $1")
                .bind(&b_id)
                .fetch_one(t.db.pool())
                .await
                .unwrap();
        assert_eq!(
            accounts
                .get_owned(&b_customer, &b_id)
                .await
                .unwrap()
                .balance,
            10_050
        );

        // Step three: the receipt, for its owner only.
        let id = receipt.trim_start_matches("/receipts/");
        let r = a.call(&app, "/api/load_receipt", &format!("id={id}")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(
            r.body.contains("壹佰元伍角整") && r.body.contains("饭钱"),
            "{}",
            r.body
        );
        let theirs = b.call(&app, "/api/load_receipt", &format!("id={id}")).await;
        assert_eq!(theirs.status, StatusCode::NOT_FOUND);
        // Another customer's history and account are not found either.
        let h = b
            .call(
                &app,
                "/api/load_history",
                &format!("account_id={a_id}&query[q]="),
            )
            .await;
        assert_eq!(h.status, StatusCode::NOT_FOUND, "{}", h.body);
        let steal = b
            .call(
                &app,
                "/api/prepare_transfer",
                &format!("from={a_id}&payee=&to={b_card}&amount=1"),
            )
            .await;
        assert_eq!(steal.status, StatusCode::NOT_FOUND, "{}", steal.body);
        // The payee sees the money in, with the payer masked, and an alert.
        let h = b
            .call(
                &app,
                "/api/load_history",
                &format!("account_id={b_id}&query[dir]=in"),
            )
            .await;
        assert_eq!(h.status, StatusCode::OK, "{}", h.body);
        assert!(
            h.body.contains("+¥100.50") && h.body.contains("李**"),
            "{}",
            h.body
        );
        let inbox = b.call(&app, "/api/load_inbox", "").await;
        let items = serde_json::from_str::<app::inbox::Inbox>(&inbox.body)
            .expect("the inbox as JSON")
            .items;
        let alert = items[0].body.text(app::i18n::Lang::ZhCn);
        assert!(alert.contains("收入 ¥100.50"), "{alert}");
        let alert = items[0].body.text(app::i18n::Lang::En);
        assert!(alert.contains("received ¥100.50"), "{alert}");
        // The payer's history links the line to its receipt; the payee's does not (not theirs).
        let mine = a
            .call(
                &app,
                "/api/load_history",
                &format!("account_id={a_id}&query[q]="),
            )
            .await;
        assert!(mine.body.contains(id), "{}", mine.body);
        assert!(!h.body.contains(id), "{}", h.body);

        // The monthly statement downloads for its owner only.
        let month =
            // The router's clock stands at 1_800_000_000_000 (January 2027): the transfer's month.
            domain::ledger::statement::Month::of(1_800_000_000_000).label();
        let get = |path: String| Request::get(path).body(Body::empty()).unwrap();
        let csv = a
            .send(
                &app,
                get(format!("/statement.csv?account={a_id}&month={month}")),
            )
            .await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(
            csv.body.contains("支出合计,100.50") && csv.body.contains("饭钱"),
            "{}",
            csv.body
        );
        let theirs = b
            .send(
                &app,
                get(format!("/statement.csv?account={a_id}&month={month}")),
            )
            .await;
        assert_eq!(theirs.status, StatusCode::NOT_FOUND);
        let anonymous = Browser::default()
            .send(
                &app,
                get(format!("/statement.csv?account={a_id}&month={month}")),
            )
            .await;
        assert!(anonymous.status.is_redirection());

        // The statement and the receipt as PDFs: Chinese text that survives extraction (the
        // subset font maps back to Unicode), for the owner only.
        let pdf = a
            .send(
                &app,
                get(format!("/statement.pdf?account={a_id}&month={month}")),
            )
            .await;
        assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.body);
        assert_eq!(pdf.content_type.as_deref(), Some("application/pdf"));
        let text = pdf_text(&pdf.bytes);
        for expected in ["账户对账单", "饭钱", "100.50", "期末余额", "第 1 / 1 页"] {
            assert!(text.contains(expected), "{expected} not in\n{text}");
        }
        let receipt_pdf = a.send(&app, get(format!("/receipt.pdf?id={id}"))).await;
        assert_eq!(receipt_pdf.status, StatusCode::OK, "{}", receipt_pdf.body);
        let text = pdf_text(&receipt_pdf.bytes);
        for expected in ["电子回单", "¥100.50", "壹佰元伍角整", "饭钱", id] {
            assert!(text.contains(expected), "{expected} not in\n{text}");
        }
        for path in [
            format!("/receipt.pdf?id={id}"),
            format!("/statement.pdf?account={a_id}&month={month}"),
        ] {
            let theirs = b.send(&app, get(path.clone())).await;
            assert_eq!(theirs.status, StatusCode::NOT_FOUND, "{path}");
            let anonymous = Browser::default().send(&app, get(path.clone())).await;
            assert!(anonymous.status.is_redirection(), "{path}");
        }
        t.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transfer_steps_work_as_plain_form_posts() {
    for t in databases().await {
        let app = router(&t);
        let mut a = customer(&app, "13812340003", "37018119800101003").await;
        let mut b = customer(&app, "13812340004", "37018119850202004").await;
        let (a_id, _) = first_account(&t, &mut a, &app).await;
        let (_, b_card) = first_account(&t, &mut b, &app).await;
        domain::ledger::deposit(&t.db, &SystemClock, &a_id, 100_000, "柜面", "现金存入")
            .await
            .unwrap();
        let form = |path: &str, body: String| {
            Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "text/html")
                .header(header::REFERER, "http://localhost/transfer")
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(body))
                .unwrap()
        };
        let r = a
            .send(
                &app,
                form(
                    "/api/prepare_transfer",
                    format!("from={a_id}&payee=&to={b_card}&amount=20"),
                ),
            )
            .await;
        assert!(r.status.is_redirection(), "{} {}", r.status, r.body);
        assert_eq!(r.location.as_deref(), Some("/transfer/confirm"));
        let page = a
            .send(
                &app,
                Request::get("/transfer/confirm")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("¥20.00") && page.body.contains("贰拾元整"),
            "the confirm page renders on the server"
        );
        t.finish().await;
    }
}

/// The text of a PDF as a reader extracts it (poppler's `pdftotext`, installed by
/// scripts/setup.sh), so the test checks what a customer would copy, not our own encoding.
fn pdf_text(pdf: &[u8]) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new("pdftotext")
        .args(["-", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("pdftotext (Debian poppler-utils) is installed by scripts/setup.sh");
    child.stdin.take().unwrap().write_all(pdf).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "pdftotext could not read the PDF");
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bills_are_found_paid_once_refunded_on_failure_and_private() {
    for t in databases().await {
        let app = router(&t);
        let mut a = customer(&app, "13812340005", "37018119800101005").await;
        let mut b = customer(&app, "13812340006", "37018119850202006").await;
        let (a_id, _) = first_account(&t, &mut a, &app).await;
        domain::ledger::deposit(&t.db, &SystemClock, &a_id, 500_000, "柜面", "现金存入")
            .await
            .unwrap();
        let balance = || async {
            sqlx::query_scalar::<_, i64>("SELECT balance FROM accounts WHERE id = $1")
                .bind(&a_id)
                .fetch_one(t.db.pool())
                .await
                .unwrap()
        };

        // Find the bill: city defaults to the home bank's (章丘 → 济南).
        let f = a
            .call(
                &app,
                "/api/load_bill_form",
                "kind=property&city=&biller=&number=1234567897",
            )
            .await;
        assert_eq!(f.status, StatusCode::OK, "{}", f.body);
        let v: serde_json::Value = serde_json::from_str(&f.body).unwrap();
        assert_eq!(v["city"], "济南");
        assert_eq!(v["biller"], "property-济南");
        let due = v["bill"]["amount"]["Exact"]["due_decimal"]
            .as_str()
            .unwrap()
            .to_string();
        let key = v["key"].as_str().unwrap().to_string();
        let pay = format!(
            "biller=property-{}&number=1234567897&from={a_id}&amount={due}&key={key}",
            enc("济南")
        );
        for _ in 0..2 {
            // The second is a double click: the same key, the same payment.
            let r = a.call(&app, "/api/pay_bill", &pay).await;
            assert!(
                r.status.is_success() || r.status.is_redirection(),
                "{} {}",
                r.status,
                r.body
            );
        }
        let h = a
            .call(&app, "/api/load_bill_history", "kind=property")
            .await;
        let rows: serde_json::Value = serde_json::from_str(&h.body).unwrap();
        assert_eq!(rows.as_array().unwrap().len(), 1, "{}", h.body);
        assert_eq!(rows[0]["status"], "paid");
        assert!(rows[0]["receipt"].as_str().unwrap().starts_with("SIM"));
        let paid_id = rows[0]["id"].as_str().unwrap().to_string();
        let fen = domain::money::parse_yuan(&due).unwrap();
        assert_eq!(balance().await, 500_000 - fen);

        // A malformed number is explained on the form; nothing else is lost.
        let f = a
            .call(
                &app,
                "/api/load_bill_form",
                "kind=water&city=济南&biller=&number=1234567890",
            )
            .await;
        assert!(f.body.contains("BadBillNumber"), "{}", f.body);

        // A biller failing after the debit: the customer sees the refund.
        let f = a
            .call(
                &app,
                "/api/load_bill_form",
                "kind=water&city=&biller=&number=9234567890",
            )
            .await;
        let key = serde_json::from_str::<serde_json::Value>(&f.body).unwrap()["key"]
            .as_str()
            .unwrap()
            .to_string();
        // As a plain form post (no WASM): answered with a redirect to the result page.
        let r = a
            .send(
                &app,
                Request::post("/api/pay_bill")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header(header::ACCEPT, "text/html")
                    .header(header::REFERER, "http://localhost/bills/water")
                    .header("sec-fetch-site", "same-origin")
                    .body(Body::from(format!(
                        "biller=water-{}&number=9234567890&from={a_id}&amount=30&key={key}",
                        enc("济南")
                    )))
                    .unwrap(),
            )
            .await;
        assert!(r.status.is_redirection(), "{} {}", r.status, r.body);
        let target = r.location.unwrap();
        assert!(target.starts_with("/bills/payments/"), "{target}");
        let page = a
            .send(&app, Request::get(&target).body(Body::empty()).unwrap())
            .await;
        assert!(
            page.body.contains("缴费失败，已退款"),
            "rendered on the server"
        );
        assert_eq!(balance().await, 500_000 - fen, "refunded");

        // Someone else's payment does not exist for them, nor can they save its number.
        let other = b
            .call(&app, "/api/load_bill_payment", &format!("id={paid_id}"))
            .await;
        assert_eq!(other.status, StatusCode::NOT_FOUND, "{}", other.body);
        let other = b
            .call(
                &app,
                "/api/save_household",
                &format!("payment={paid_id}&label=x"),
            )
            .await;
        assert_eq!(other.status, StatusCode::NOT_FOUND, "{}", other.body);

        // The paid number saved under the customer's own name, with the link to next month's.
        let label = enc("老家物业费");
        let r = a
            .call(
                &app,
                "/api/save_household",
                &format!("payment={paid_id}&label={label}"),
            )
            .await;
        assert!(r.status.is_success(), "{} {}", r.status, r.body);
        let bad = a
            .call(
                &app,
                "/api/save_household",
                &format!("payment={paid_id}&label=%20"),
            )
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
        let home = a.call(&app, "/api/load_bills_home", "").await;
        let v: serde_json::Value = serde_json::from_str(&home.body).unwrap();
        assert_eq!(v["households"][0]["label"], "老家物业费", "{}", home.body);
        assert_eq!(
            v["households"][0]["href"],
            format!(
                "/bills/property?city={}&biller=property-{}&number=1234567897",
                enc("济南"),
                enc("济南")
            )
        );
        assert!(b
            .call(&app, "/api/load_bills_home", "")
            .await
            .body
            .contains("\"households\":[]"));
        t.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ecards_sign_up_behind_a_code_show_signed_codes_and_unbind() {
    use domain::clock::Clock;
    use domain::livelihood::{code, simulator::BureauSimulator, SocialSecurityBureau};
    for t in databases().await {
        let (app, clock) = common::router_with_clock(&t);
        let mut a = customer(&app, "13812340007", "37018119800101007").await;
        let mut b = customer(&app, "13812340008", "37018119850202008").await;
        let state = |v: &serde_json::Value| v["state"].clone();

        let s = a.call(&app, "/api/load_ecard", "kind=essc").await;
        assert_eq!(s.status, StatusCode::OK, "{}", s.body);
        let v: serde_json::Value = serde_json::from_str(&s.body).unwrap();
        assert_eq!(state(&v), "NotStarted");
        assert_eq!(v["simulated"], true);
        // No code before signing up; an unknown kind is not found.
        let c = a.call(&app, "/api/load_ecard_code", "kind=essc").await;
        assert_eq!(c.status, StatusCode::NOT_FOUND, "{}", c.body);
        let c = a.call(&app, "/api/load_ecard", "kind=passport").await;
        assert_eq!(c.status, StatusCode::NOT_FOUND, "{}", c.body);

        let r = a.call(&app, "/api/start_ecard_sign_up", "kind=essc").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let s = a.call(&app, "/api/load_ecard", "kind=essc").await;
        assert!(s.body.contains("Waiting"), "{}", s.body);
        // Another browser of the same customer is not in this flow, nor is another customer.
        let wrong = a
            .call(&app, "/api/confirm_ecard_sign_up", "kind=essc&code=12345")
            .await;
        assert_eq!(wrong.status, StatusCode::BAD_REQUEST, "{}", wrong.body);
        let code = last_code(&app, "13812340007").await;
        let r = b
            .call(
                &app,
                "/api/confirm_ecard_sign_up",
                &format!("kind=essc&code={code}"),
            )
            .await;
        assert!(r.status.is_client_error(), "{}", r.body);
        for _ in 0..2 {
            // The second is a double submit: answered as done.
            let r = a
                .call(
                    &app,
                    "/api/confirm_ecard_sign_up",
                    &format!("kind=essc&code={code}"),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
        let s = a.call(&app, "/api/load_ecard", "kind=essc").await;
        let v: serde_json::Value = serde_json::from_str(&s.body).unwrap();
        assert_eq!(v["state"]["Active"]["issuer"], "济南市人力资源和社会保障局");

        // The code: an SVG, signed by the bureau, good for a minute, never cached.
        let c = a.call(&app, "/api/load_ecard_code", "kind=essc").await;
        assert_eq!(c.status, StatusCode::OK, "{}", c.body);
        let q: serde_json::Value = serde_json::from_str(&c.body).unwrap();
        assert!(q["svg"].as_str().unwrap().starts_with("<svg"));
        assert_eq!(q["lifetime_secs"], 60);
        let text = q["text"].as_str().unwrap();
        let key = BureauSimulator::new().verifying_key();
        let claims = code::verify(&key, text, clock.now()).unwrap();
        assert_eq!(claims.kind, domain::livelihood::CardKind::SocialSecurity);
        assert!(code::verify(&key, text, clock.now() + 60_000).is_err());
        // Another customer has no card: nothing of a's shows.
        let c = b.call(&app, "/api/load_ecard_code", "kind=essc").await;
        assert_eq!(c.status, StatusCode::NOT_FOUND, "{}", c.body);

        // The medical e-voucher: activated the same way, with the account behind it.
        let m = a.call(&app, "/api/load_medical_account", "").await;
        assert_eq!(m.status, StatusCode::NOT_FOUND, "{}", m.body);
        clock.advance(61_000);
        let r = a
            .call(&app, "/api/start_ecard_sign_up", "kind=medical")
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let code = last_code(&app, "13812340007").await;
        let r = a
            .call(
                &app,
                "/api/confirm_ecard_sign_up",
                &format!("kind=medical&code={code}"),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let m = a.call(&app, "/api/load_medical_account", "").await;
        assert_eq!(m.status, StatusCode::OK, "{}", m.body);
        let v: serde_json::Value = serde_json::from_str(&m.body).unwrap();
        assert_eq!(
            v["employee"], true,
            "sequence 007 is odd: employees' insurance"
        );
        assert!(v["balance"].as_str().unwrap().starts_with('¥'));

        // Unbinding stops the codes; a second unbind is answered as done.
        for _ in 0..2 {
            let r = a.call(&app, "/api/unbind_ecard", "kind=essc").await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
        let c = a.call(&app, "/api/load_ecard_code", "kind=essc").await;
        assert_eq!(c.status, StatusCode::NOT_FOUND, "{}", c.body);
        let s = a.call(&app, "/api/load_ecard", "kind=essc").await;
        assert!(s.body.contains("NotStarted"), "{}", s.body);

        // A code on screen refreshes itself (a fetch with WASM, a marked reload without): that
        // is not the customer's activity, so the idle timeout still ends the session.
        clock.advance(4 * 60_000);
        let c = a.call(&app, "/api/load_ecard_code", "kind=medical").await;
        assert_eq!(c.status, StatusCode::OK, "{}", c.body);
        let page = a
            .send(
                &app,
                Request::get("/medical?auto=1").body(Body::empty()).unwrap(),
            )
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("data-testid=\"qr\""), "{}", page.body);
        clock.advance(61_000);
        let s = a.call(&app, "/api/load_ecard", "kind=medical").await;
        assert_eq!(s.status, StatusCode::UNAUTHORIZED, "{}", s.body);
        t.finish().await;
    }
}
