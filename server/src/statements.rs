//! `GET /statement.csv?account=<id>&month=YYYY-MM`: a monthly statement as a file download.
//! A plain route rather than a server function, so a link or a GET form downloads it with or
//! without WASM. The customer comes from the session cookie, as in every server function; an
//! account of someone else is "not found".

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use domain::ledger::statement::{monthly, Month};

use crate::router::AppState;

#[derive(Deserialize)]
pub struct StatementQuery {
    account: String,
    month: String,
}

pub async fn download(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<StatementQuery>,
) -> Response {
    let ctx = &state.ctx;
    let token = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| app::prefs::read_cookie(h, app::auth::SESSION_COOKIE).map(str::to_string));
    let session = match token {
        Some(t) => {
            domain::identity::session::authenticate(&ctx.db, ctx.clock.as_ref(), &t, ctx.sessions)
                .await
                .ok()
        }
        None => None,
    };
    let Some(session) = session else {
        return Redirect::to("/login?next=/accounts").into_response();
    };
    let Ok(month) = Month::parse(&q.month) else {
        return (StatusCode::BAD_REQUEST, "月份不正确 / Invalid month").into_response();
    };
    match monthly(&ctx.db, &session.customer_id, &q.account, month).await {
        Ok(statement) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"statement-{}.csv\"", month.label()),
                ),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            statement.to_csv(),
        )
            .into_response(),
        Err(domain::Error::NotFound(_)) => {
            (StatusCode::NOT_FOUND, "没有这个账户 / No such account").into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "statement failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "请稍后再试 / Please try again later",
            )
                .into_response()
        }
    }
}
