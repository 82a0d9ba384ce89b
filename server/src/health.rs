//! `GET /healthz`: liveness and the database round trip, for load balancers and operators.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;

use crate::router::AppState;

#[derive(Serialize)]
pub struct Health {
    pub status: &'static str,
    pub database: &'static str,
    pub version: &'static str,
}

pub async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let db = &state.ctx.db;
    let (code, status) = match db.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::warn!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "unavailable")
        }
    };
    (
        code,
        Json(Health {
            status,
            database: db.kind().as_str(),
            version: env!("CARGO_PKG_VERSION"),
        }),
    )
}
