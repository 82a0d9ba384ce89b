//! No customer reaches another's things. Every registered server function is either public,
//! acts only on the caller's own data, or takes the id of something a customer owns; each of
//! the last kind, and each download, is called here by another signed-in customer with the
//! owner's ids, and must answer "not found" and change nothing. A new server function fails
//! this test until it is put in one of the lists (and, if it takes ids, given its case below).
//! Runs on SQLite and PostgreSQL.

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;

use domain::clock::SystemClock;

mod common;

use common::{
    customer, databases, enc, first_account, last_code, router, Answer, Browser, PUBLIC, STAFF,
};

/// Server functions that name something a customer owns: an account, a transfer or its
/// confirmation, a deposit, a bill payment, a saved number, a session, a remembered browser,
/// a passkey, a piece of feedback, a loan (as its borrower or its guarantor).
const TAKE_IDS: [&str; 27] = [
    "/api/apply_loan",
    "/api/load_guarantee",
    "/api/send_guarantee_code",
    "/api/answer_guarantee",
    "/api/load_loan",
    "/api/send_loan_code",
    "/api/sign_loan",
    "/api/draw_loan",
    "/api/repay_credit_line",
    "/api/repay_loan",
    "/api/load_receipt",
    "/api/load_history",
    "/api/prepare_transfer",
    "/api/confirm_transfer",
    "/api/open_deposit",
    "/api/withdraw_deposit",
    "/api/pay_bill",
    "/api/load_bill_payment",
    "/api/save_household",
    "/api/remove_household",
    "/api/set_autopay",
    "/api/remove_autopay",
    "/api/revoke_session",
    "/api/forget_known_device",
    "/api/remove_passkey",
    "/api/load_feedback_item",
    "/api/rate_feedback",
];

/// Server functions that act on the caller's own session and data only: they take no id, or
/// only names of public things (a bill kind, a city, a biller, an e-card kind, a code).
const OWN_ONLY: [&str; 42] = [
    "/api/load_loans",
    "/api/load_loan_form",
    "/api/apply_ssc",
    "/api/confirm_ecard_sign_up",
    "/api/confirm_passkey_code",
    "/api/confirm_reveal",
    "/api/keep_alive",
    "/api/load_accounts",
    "/api/load_bill_form",
    "/api/load_bill_history",
    "/api/load_bill_kinds",
    "/api/load_bills_home",
    "/api/load_deposits",
    "/api/load_ecard",
    "/api/load_ecard_code",
    "/api/load_inbox",
    "/api/load_me",
    "/api/load_medical_account",
    "/api/load_my_feedback",
    "/api/load_passkeys",
    "/api/load_reveal_state",
    "/api/load_ssc_apply",
    "/api/load_transfer_confirm",
    "/api/load_transfer_form",
    "/api/logout",
    "/api/my_known_devices",
    "/api/my_sessions",
    "/api/open_account",
    "/api/passkey_registration_options",
    "/api/passkeys_reviewed",
    "/api/register_passkey",
    "/api/save_consents",
    "/api/send_feedback",
    "/api/send_passkey_code",
    "/api/send_transfer_code",
    "/api/session_remaining",
    "/api/set_balance_visibility",
    "/api/sign_out_everywhere",
    "/api/start_ecard_sign_up",
    "/api/start_reveal",
    "/api/transfer_passkey_options",
    "/api/unbind_ecard",
];

#[test]
fn every_server_function_is_public_own_only_or_checked_for_ownership() {
    let mut unlisted = Vec::new();
    for (path, _) in leptos::server_fn::axum::server_fn_paths() {
        let lists = [&PUBLIC[..], &TAKE_IDS[..], &OWN_ONLY[..], &STAFF[..]]
            .iter()
            .filter(|list| list.contains(&path))
            .count();
        assert!(lists <= 1, "{path} is in more than one list");
        if lists == 0 {
            unlisted.push(path);
        }
    }
    assert!(
        unlisted.is_empty(),
        "put these in PUBLIC, OWN_ONLY, STAFF or TAKE_IDS (with a case in the test below): {unlisted:?}"
    );
    let registered: Vec<&str> = leptos::server_fn::axum::server_fn_paths()
        .map(|(p, _)| p)
        .collect();
    for path in TAKE_IDS.iter().chain(&OWN_ONLY).chain(&STAFF) {
        assert!(registered.contains(path), "{path} is not registered");
    }
}

fn json(a: &Answer) -> serde_json::Value {
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    serde_json::from_str(&a.body).unwrap_or_else(|e| panic!("{e}: {}", a.body))
}

fn went_through(a: &Answer) -> bool {
    a.status.is_success() || a.status.is_redirection()
}

/// What the owner has: one of everything another customer could aim at.
struct Owned {
    account: String,
    transfer: String,
    saved_payee: String,
    confirm_key: String,
    deposit: String,
    payment: String,
    household: String,
    session: String,
    device: String,
    passkey: String,
    feedback: String,
    loan: String,
}

async fn call_ok(b: &mut Browser, app: &Router, path: &str, form: &str) -> Answer {
    let a = b.call(app, path, form).await;
    assert!(went_through(&a), "{path}: {} {}", a.status, a.body);
    a
}

/// The owner pays the intruder, opens a deposit, pays and saves a bill, adds a passkey and
/// leaves a transfer waiting for confirmation.
async fn owner_with_everything(
    t: &domain::testing::TestDb,
    app: &Router,
    owner: &mut Browser,
    to_card: &str,
) -> Owned {
    use app::passkey::PasskeyChallenge;
    use domain::testing::authenticator::SoftAuthenticator;
    use webauthn_rs_proto::CreationChallengeResponse;

    let (account, _) = first_account(t, owner, app).await;
    domain::ledger::deposit(&t.db, &SystemClock, &account, 500_000, "柜面", "现金存入")
        .await
        .unwrap();
    let transfer = {
        let form = format!("from={account}&payee=&to={to_card}&amount=10");
        call_ok(owner, app, "/api/prepare_transfer", &form).await;
        let key = json(&owner.call(app, "/api/load_transfer_confirm", "").await)["key"]
            .as_str()
            .unwrap()
            .to_string();
        let done = call_ok(owner, app, "/api/confirm_transfer", &format!("key={key}")).await;
        let receipt = done.location.expect("redirect to the receipt");
        receipt.trim_start_matches("/receipts/").to_string()
    };
    let saved_payee = json(&owner.call(app, "/api/load_transfer_form", "").await)["payees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["value"].as_str().unwrap().to_string())
        .find(|v| v.starts_with("saved:"))
        .expect("the payee was saved");
    let deposit = {
        let form = format!("product=Y1&amount=100&from={account}&key=dep1");
        call_ok(owner, app, "/api/open_deposit", &form).await;
        json(&owner.call(app, "/api/load_deposits", "").await)["deposits"][0]["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // A loan offered to the owner, as an application leaves it (straight into the table: the
    // deposit above is too small to pledge for the smallest loan).
    let loan = "owner-loan".to_string();
    sqlx::query(
        "INSERT INTO loans (id, customer_id, bank_code, product_code, kind, amount_asked, months, \
           method, purpose, account_id, status, principal, rate_bp, idempotency_key, created_at) \
         SELECT $1, customer_id, bank_code, 'ZYED', 'pledged', 100000, 12, 'equal-instalment', \
           'planting', id, 'offered', 100000, 420, 'owner', 0 FROM accounts WHERE id = $2",
    )
    .bind(&loan)
    .bind(&account)
    .execute(t.db.pool())
    .await
    .unwrap();
    let (payment, household) = {
        let f = json(
            &owner
                .call(
                    app,
                    "/api/load_bill_form",
                    "kind=property&city=&biller=&number=1234567897",
                )
                .await,
        );
        let due = f["bill"]["amount"]["Exact"]["due_decimal"]
            .as_str()
            .unwrap();
        let key = f["key"].as_str().unwrap();
        let pay = format!(
            "biller=property-{}&number=1234567897&from={account}&amount={due}&key={key}",
            enc("济南")
        );
        call_ok(owner, app, "/api/pay_bill", &pay).await;
        let history = json(
            &owner
                .call(app, "/api/load_bill_history", "kind=property")
                .await,
        );
        let payment = history[0]["id"].as_str().unwrap().to_string();
        let form = format!("payment={payment}&label={}", enc("物业费"));
        call_ok(owner, app, "/api/save_household", &form).await;
        let home = json(&owner.call(app, "/api/load_bills_home", "").await);
        let household = home["households"][0]["id"].as_str().unwrap().to_string();
        (payment, household)
    };
    let session = json(&owner.call(app, "/api/my_sessions", "").await)[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let device = json(&owner.call(app, "/api/my_known_devices", "").await)[0]["handle"]
        .as_str()
        .unwrap()
        .to_string();
    let passkey = {
        call_ok(owner, app, "/api/send_passkey_code", "").await;
        let code = last_code(app, "13812349001").await;
        call_ok(
            owner,
            app,
            "/api/confirm_passkey_code",
            &format!("code={code}"),
        )
        .await;
        let c: PasskeyChallenge<CreationChallengeResponse> = serde_json::from_value(json(
            &owner
                .call(app, "/api/passkey_registration_options", "")
                .await,
        ))
        .unwrap();
        let answer = SoftAuthenticator::new(common::ORIGIN, 5).create(&c.options);
        let form = format!(
            "challenge={}&answer={}",
            enc(&c.id),
            enc(&serde_json::to_string(&answer).unwrap())
        );
        call_ok(owner, app, "/api/register_passkey", &form).await;
        json(&owner.call(app, "/api/load_passkeys", "").await)["keys"][0]["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let feedback = {
        let form = format!(
            "kind=complaint&category=transfer&text={}&page=/transfer&edition=rural",
            enc("转账到账太慢了。")
        );
        let sent = call_ok(owner, app, "/api/send_feedback", &form).await;
        let at = sent.location.expect("redirect to the feedback");
        at.trim_start_matches("/feedback/").to_string()
    };
    // Last: a transfer prepared and waiting for its confirmation.
    let form = format!("from={account}&payee={saved_payee}&amount=20");
    call_ok(owner, app, "/api/prepare_transfer", &form).await;
    let confirm_key = json(&owner.call(app, "/api/load_transfer_confirm", "").await)["key"]
        .as_str()
        .unwrap()
        .to_string();
    Owned {
        account,
        transfer,
        saved_payee,
        confirm_key,
        deposit,
        payment,
        household,
        session,
        device,
        passkey,
        feedback,
        loan,
    }
}

/// Everything of the owner's the intruder could see or change, as the owner sees it.
async fn owners_view(app: &Router, owner: &mut Browser, t: &domain::testing::TestDb) -> String {
    let mut view = String::new();
    for path in [
        "/api/load_accounts",
        "/api/load_deposits",
        "/api/load_bills_home",
        "/api/my_sessions",
        "/api/my_known_devices",
        "/api/load_passkeys",
        "/api/load_transfer_confirm",
        "/api/load_my_feedback",
    ] {
        let a = owner.call(app, path, "").await;
        assert_eq!(a.status, StatusCode::OK, "{path}: {}", a.body);
        // Fresh idempotency keys and relative times differ from call to call.
        let mut v: serde_json::Value = serde_json::from_str(&a.body).unwrap();
        if let Some(o) = v.as_object_mut() {
            o.remove("key");
        }
        if let Some(rows) = v.as_array_mut() {
            for row in rows {
                if let Some(o) = row.as_object_mut() {
                    o.remove("last_seen");
                    o.remove("last_seen_at");
                }
            }
        }
        view.push_str(&format!("{path}: {v}\n"));
    }
    let moved: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM journal_entries")
        .fetch_one(t.db.pool())
        .await
        .unwrap();
    view.push_str(&format!("journal entries: {moved}\n"));
    view
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_customer_reaches_another_customers_things() {
    for t in databases().await {
        let app = router(&t);
        let mut owner = customer(&app, "13812349001", "37018119800101901").await;
        let mut intruder = customer(&app, "13812349002", "37018119850202902").await;
        let (their_account, their_card) = first_account(&t, &mut intruder, &app).await;
        domain::ledger::deposit(
            &t.db,
            &SystemClock,
            &their_account,
            500_000,
            "柜面",
            "现金存入",
        )
        .await
        .unwrap();
        let o = owner_with_everything(&t, &app, &mut owner, &their_card).await;
        let before = owners_view(&app, &mut owner, &t).await;

        let property = format!("property-{}", enc("济南"));
        let cases: BTreeMap<&str, Vec<String>> = BTreeMap::from([
            ("/api/load_receipt", vec![format!("id={}", o.transfer)]),
            (
                "/api/load_history",
                vec![format!("account_id={}&query[q]=", o.account)],
            ),
            (
                "/api/prepare_transfer",
                vec![
                    format!("from={}&payee=&to={their_card}&amount=1", o.account),
                    format!("from={their_account}&payee={}&amount=1", o.saved_payee),
                ],
            ),
            (
                "/api/confirm_transfer",
                vec![format!("key={}", o.confirm_key)],
            ),
            (
                "/api/open_deposit",
                vec![format!(
                    "product=Y1&amount=100&from={}&key=steal1",
                    o.account
                )],
            ),
            (
                "/api/withdraw_deposit",
                vec![format!("id={}&understood=yes", o.deposit)],
            ),
            (
                "/api/pay_bill",
                vec![format!(
                    "biller={property}&number=1234567897&from={}&amount=1&key=steal2",
                    o.account
                )],
            ),
            ("/api/load_bill_payment", vec![format!("id={}", o.payment)]),
            (
                "/api/save_household",
                vec![format!("payment={}&label=x", o.payment)],
            ),
            ("/api/remove_household", vec![format!("id={}", o.household)]),
            (
                "/api/set_autopay",
                vec![
                    format!("household={}&from={their_account}&cap=100", o.household),
                    format!("household={}&from={}&cap=100", o.household, o.account),
                ],
            ),
            (
                "/api/remove_autopay",
                vec![format!("household={}", o.household)],
            ),
            (
                "/api/revoke_session",
                vec![format!("session_id={}", o.session)],
            ),
            (
                "/api/forget_known_device",
                vec![format!("handle={}", o.device)],
            ),
            ("/api/remove_passkey", vec![format!("id={}", o.passkey)]),
            (
                "/api/load_feedback_item",
                vec![format!("id={}", o.feedback)],
            ),
            (
                "/api/rate_feedback",
                vec![format!("id={}&rating=unsatisfied", o.feedback)],
            ),
            (
                "/api/apply_loan",
                vec![format!(
                    "product=ZYED&amount=1000&months=12&method=equal-instalment&purpose=planting\
                     &from={}&deposit={}&authorized=yes&key=steal3",
                    o.account, o.deposit
                )],
            ),
            ("/api/load_loan", vec![format!("id={}", o.loan)]),
            ("/api/send_loan_code", vec![format!("id={}", o.loan)]),
            ("/api/sign_loan", vec![format!("id={}&code=123456", o.loan)]),
            ("/api/draw_loan", vec![format!("id={}&amount=100", o.loan)]),
            (
                "/api/repay_credit_line",
                vec![format!("id={}&amount=100", o.loan)],
            ),
            ("/api/repay_loan", vec![format!("id={}&how=due", o.loan)]),
            // The borrower's own loan, which the intruder does not guarantee.
            ("/api/load_guarantee", vec![format!("id={}", o.loan)]),
            ("/api/send_guarantee_code", vec![format!("id={}", o.loan)]),
            (
                "/api/answer_guarantee",
                vec![
                    format!("id={}&answer=decline", o.loan),
                    format!("id={}&answer=accept&code=123456&authorized=yes", o.loan),
                ],
            ),
        ]);
        let covered: Vec<&str> = cases.keys().copied().collect();
        let mut listed = TAKE_IDS.to_vec();
        listed.sort();
        assert_eq!(covered, listed, "every function that takes ids has a case");
        for (path, forms) in &cases {
            for form in forms {
                let a = intruder.call(&app, path, form).await;
                // A confirmation is looked up in the caller's own flow: someone else's key
                // finds nothing waiting there. A payee is looked up in the caller's own book:
                // someone else's is a payee not found, as a made-up one is.
                let expected = if *path == "/api/confirm_transfer" {
                    (StatusCode::BAD_REQUEST, "FlowExpired")
                } else if form.contains("payee=saved:") {
                    (StatusCode::UNPROCESSABLE_ENTITY, "PayeeNotFound")
                } else {
                    (StatusCode::NOT_FOUND, "NotFound")
                };
                assert_eq!(a.status, expected.0, "{path} {form}: {}", a.body);
                assert!(a.body.contains(expected.1), "{path} {form}: {}", a.body);
            }
        }
        let month = domain::ledger::statement::Month::of(1_800_000_000_000).label();
        for download in [
            format!("/receipt.pdf?id={}", o.transfer),
            format!("/statement.csv?account={}&month={month}", o.account),
            format!("/statement.pdf?account={}&month={month}", o.account),
            format!("/bills/receipt.pdf?id={}", o.payment),
        ] {
            let get = Request::get(&download).body(Body::empty()).unwrap();
            let a = intruder.send(&app, get).await;
            assert_eq!(a.status, StatusCode::NOT_FOUND, "{download}: {}", a.body);
        }
        // The intruder's own things were not touched either: still one account, its money.
        assert_eq!(
            json(&intruder.call(&app, "/api/load_deposits", "").await)["deposits"],
            serde_json::json!([])
        );
        assert_eq!(
            owners_view(&app, &mut owner, &t).await,
            before,
            "the owner's things are as they were"
        );
        // …and they still work for their owner.
        let a = owner
            .call(&app, "/api/load_receipt", &format!("id={}", o.transfer))
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        t.finish().await;
    }
}
