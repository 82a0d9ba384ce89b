//! Live delivery over HTTP: `/api/live` refuses a visitor with 204 (the browser stops asking),
//! says `hello` with the unread count to a signed-in customer, and `message` with the new
//! count when a pushed item reaches them; the message centre then lists it under its kind, and
//! the customer's consents decide whether a campaign comes at all. Runs on SQLite and
//! PostgreSQL.

use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use tower::ServiceExt;

use domain::clock::{Clock, DAY};
use domain::content::push::Pusher;
use domain::content::{Content, Draft, Kind, Targeting};
use domain::ops::{Role, StaffMember};

mod common;

use common::{customer, databases, router_with_clock, Browser};

/// A member of B002's staff.
fn member(id: &str, roles: &[Role]) -> StaffMember {
    domain::testing::staff_member(id, "B002", roles)
}

/// The stream's response, and its body to read events from.
async fn open(app: &Router, b: &Browser) -> (StatusCode, Option<String>, Body) {
    let jar: Vec<String> = b.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let mut req = Request::get("/api/live");
    if !jar.is_empty() {
        req = req.header(header::COOKIE, jar.join("; "));
    }
    let res = app
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let kind = res
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string());
    (res.status(), kind, res.into_body())
}

/// The next event's (name, data), waiting at most a few seconds (the hub looks every second).
async fn next_event(body: &mut Body) -> (String, serde_json::Value) {
    let mut text = String::new();
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(6), body.frame())
            .await
            .expect("an event within 6 s")
            .expect("the stream is open")
            .unwrap();
        if let Ok(data) = frame.into_data() {
            text.push_str(&String::from_utf8_lossy(&data));
        }
        if let Some((event, _)) = text.split_once("\n\n") {
            let name = event
                .lines()
                .find_map(|l| l.strip_prefix("event: "))
                .unwrap_or("message");
            let data = event
                .lines()
                .find_map(|l| l.strip_prefix("data: "))
                .unwrap_or("null");
            return (name.to_string(), serde_json::from_str(data).unwrap());
        }
    }
}

#[tokio::test]
async fn a_pushed_campaign_arrives_live_and_in_the_message_centre_only_with_consent() {
    for t in databases().await {
        let (app, clock) = router_with_clock(&t);
        let mut farmer = customer(&app, "13912345678", "37010219800101001").await;

        // A visitor: no stream, and the browser is told not to try again.
        let (status, _, _) = open(&app, &Browser::default()).await;
        assert_eq!(status, StatusCode::NO_CONTENT);

        // The farmer uses the rural edition (remembered from the home page) and allows offers.
        farmer.cookies.insert("edition".into(), "rural".into());
        let a = farmer.call(&app, "/api/load_home_summary", "").await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        let (status, kind, mut stream) = open(&app, &farmer).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(kind.as_deref(), Some("text/event-stream"));
        let (name, data) = next_event(&mut stream).await;
        assert_eq!(name, "hello");
        let before = data["unread"].as_i64().unwrap();

        let content = Content {
            db: &t.db,
            clock: clock.as_ref(),
        };
        let campaign = |title: &str| Draft {
            kind: Kind::Campaign,
            title: title.into(),
            body: "春耕贷款，利率优惠。".into(),
            targeting: Targeting {
                editions: vec!["rural".into()],
                ..Targeting::default()
            },
            starts_at: clock.now() - DAY,
            ends_at: clock.now() + DAY,
            push: true,
        };
        let (editor, approver) = (member("e", &[Role::Editor]), member("a", &[Role::Approver]));
        let pusher = Pusher {
            content: Content {
                db: &t.db,
                clock: clock.as_ref(),
            },
            node: "test",
        };
        let publish = |title: &'static str| {
            let (content, editor, approver) = (&content, &editor, &approver);
            async move {
                let id = content.create(editor, campaign(title)).await.unwrap();
                content.submit(editor, &id).await.unwrap();
                content.publish(approver, &id).await.unwrap();
                id
            }
        };

        // Without consent to offers, a campaign does not come.
        publish("未同意时的活动").await;
        assert_eq!(pusher.pass(100, 10).await.unwrap().messages, 0);

        let a = farmer
            .call(&app, "/api/save_consents", "marketing=on&news=on")
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        publish("春耕贷款利率优惠").await;
        assert_eq!(pusher.pass(100, 10).await.unwrap().messages, 1);

        // It arrives on the open stream without asking.
        let (name, data) = next_event(&mut stream).await;
        assert_eq!(name, "message");
        assert_eq!(data["unread"].as_i64().unwrap(), before + 1);

        // The message centre lists it under offers, with its link, and reading it reads it.
        let a = farmer.call(&app, "/api/load_inbox", "kind=campaign").await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        let inbox: serde_json::Value = serde_json::from_str(&a.body).unwrap();
        let items = inbox["items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{inbox}");
        assert_eq!(items[0]["body"]["Pushed"]["title"], "春耕贷款利率优惠");
        assert!(items[0]["href"].as_str().unwrap().starts_with("/news/"));
        assert_eq!(inbox["consents"]["marketing"], true);
        assert_eq!(inbox["unread"].as_i64().unwrap(), before);
        t.finish().await;
    }
}
