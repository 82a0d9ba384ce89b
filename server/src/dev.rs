//! Development-only endpoints. Routed only when the server runs with `APP_ENV=development`;
//! in production these paths do not exist.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;

use domain::identity::Mobile;
use domain::sms::{outbox, OutboxMessage};

use crate::router::AppState;

#[derive(Deserialize)]
pub struct SmsQuery {
    mobile: String,
}

/// `GET /dev/sms?mobile=138…`: what the SMS simulator "sent" to a number, newest first.
pub async fn sms_outbox(
    State(state): State<AppState>,
    Query(q): Query<SmsQuery>,
) -> Result<Json<Vec<OutboxMessage>>, StatusCode> {
    let mobile = Mobile::parse(&q.mobile).map_err(|_| StatusCode::BAD_REQUEST)?;
    outbox(&state.ctx.db, &mobile, 20)
        .await
        .map(Json)
        .map_err(|_| StatusCode::SERVICE_UNAVAILABLE)
}
