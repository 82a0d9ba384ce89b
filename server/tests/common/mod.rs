//! What the server's integration tests share: a router over a test database, as `main` builds
//! it, with a clock that stands still and the development keys and SMS outbox.

use std::sync::Arc;

use axum::Router;
use leptos::prelude::LeptosOptions;

use app::ServerContext;
use domain::clock::ManualClock;
use domain::identity::session::SessionPolicy;
use domain::pii::KeyRing;
use domain::sms::DevOutbox;
use domain::testing::{self, TestDb};
use server::router::{build, AppState};

pub fn router(t: &TestDb) -> Router {
    let leptos_options = LeptosOptions::builder()
        .output_name("bank-portal")
        .site_root("target/site")
        .build();
    let clock = Arc::new(ManualClock::at(1_800_000_000_000));
    let ctx = ServerContext {
        db: t.db.clone(),
        secure_cookies: false,
        clock: clock.clone(),
        keys: Arc::new(KeyRing::development()),
        sms: Arc::new(DevOutbox::new(t.db.clone(), clock)),
        sessions: SessionPolicy::default(),
    };
    build(AppState {
        leptos_options,
        ctx,
        dev_endpoints: true,
    })
}

/// Every engine, seeded like a started server.
pub async fn databases() -> Vec<TestDb> {
    let all = testing::databases().await;
    for t in &all {
        domain::institution::seed(&t.db).await.unwrap();
    }
    all
}
