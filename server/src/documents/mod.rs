//! Documents the customer downloads: the monthly statement as CSV or PDF, a transfer's
//! e-receipt (电子回单) and a bill payment's receipt (缴费凭证) as PDF.
//!
//! `GET /statement.csv|pdf?account=<id>&month=YYYY-MM`, `GET /receipt.pdf?id=<transfer>` and
//! `GET /bills/receipt.pdf?id=<payment>` are plain routes rather than server functions, so a link or a GET form downloads them with
//! or without WASM. The customer comes from the session cookie, as in every server function;
//! an account or transfer of someone else is "not found".

mod bill_receipt;
pub mod pdf;
mod receipt;
mod slip;
mod statement;

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use domain::identity::session::Session;
use domain::ledger::statement::{monthly, Month};

use crate::router::AppState;

#[derive(Deserialize)]
pub struct StatementQuery {
    account: String,
    month: String,
}

#[derive(Deserialize)]
pub struct ReceiptQuery {
    id: String,
}

/// The signed-in session behind the request's cookie, if any.
async fn session(state: &AppState, headers: &HeaderMap) -> Option<Session> {
    let ctx = &state.ctx;
    let token = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| app::prefs::read_cookie(h, app::auth::SESSION_COOKIE).map(str::to_string))?;
    domain::identity::session::authenticate(&ctx.db, ctx.clock.as_ref(), &token, ctx.sessions)
        .await
        .ok()
}

fn attachment(content_type: &str, filename: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

fn domain_failure(e: domain::Error, what: &str) -> Response {
    match e {
        domain::Error::NotFound(_) => {
            (StatusCode::NOT_FOUND, "没有找到 / Not found").into_response()
        }
        e => {
            tracing::error!(error = %e, "{what} failed");
            unavailable()
        }
    }
}

fn unavailable() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        "请稍后再试 / Please try again later",
    )
        .into_response()
}

/// Lays out and renders on the blocking pool: cutting the font subset is CPU work.
async fn render_pdf(
    title: String,
    layout: impl FnOnce() -> Vec<pdf::Page> + Send + 'static,
) -> Result<Vec<u8>, Response> {
    let rendered = tokio::task::spawn_blocking(move || pdf::render(&title, &layout())).await;
    match rendered {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(e)) => {
            tracing::error!(error = %e, "PDF rendering failed");
            Err((
                StatusCode::SERVICE_UNAVAILABLE,
                "暂时无法生成 PDF，请稍后再试或下载 CSV / PDF unavailable, please try again later or download the CSV",
            )
                .into_response())
        }
        Err(e) => {
            tracing::error!(error = %e, "PDF rendering panicked");
            Err(unavailable())
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Pdf,
}

pub async fn statement_csv(
    state: State<AppState>,
    headers: HeaderMap,
    q: Query<StatementQuery>,
) -> Response {
    statement(state, headers, q, Format::Csv).await
}

pub async fn statement_pdf(
    state: State<AppState>,
    headers: HeaderMap,
    q: Query<StatementQuery>,
) -> Response {
    statement(state, headers, q, Format::Pdf).await
}

async fn statement(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<StatementQuery>,
    format: Format,
) -> Response {
    let Some(session) = session(&state, &headers).await else {
        return Redirect::to("/login?next=/accounts").into_response();
    };
    let Ok(month) = Month::parse(&q.month) else {
        return (StatusCode::BAD_REQUEST, "月份不正确 / Invalid month").into_response();
    };
    let ctx = &state.ctx;
    let statement = match monthly(&ctx.db, &session.customer_id, &q.account, month).await {
        Ok(s) => s,
        Err(e) => return domain_failure(e, "statement"),
    };
    let filename = format!("statement-{}", month.label());
    match format {
        Format::Csv => attachment(
            "text/csv; charset=utf-8",
            &format!("{filename}.csv"),
            statement.to_csv().into_bytes(),
        ),
        Format::Pdf => {
            let account = match ctx
                .accounts()
                .get_owned(&session.customer_id, &q.account)
                .await
            {
                Ok(a) => a,
                Err(e) => return domain_failure(e, "statement account"),
            };
            let printed = domain::clock::beijing_datetime(ctx.clock.now());
            match render_pdf(format!("对账单 {}", month.label()), move || {
                statement::layout(&statement, &account, &printed)
            })
            .await
            {
                Ok(bytes) => attachment("application/pdf", &format!("{filename}.pdf"), bytes),
                Err(response) => response,
            }
        }
    }
}

pub async fn receipt_pdf(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<ReceiptQuery>,
) -> Response {
    let Some(session) = session(&state, &headers).await else {
        return Redirect::to("/login?next=/accounts").into_response();
    };
    let ctx = &state.ctx;
    let view = match app::transfer::receipt::server::receipt_view(ctx, &session.customer_id, &q.id)
        .await
    {
        Ok(v) => v,
        Err(e) => return domain_failure(e, "receipt"),
    };
    let printed = domain::clock::beijing_datetime(ctx.clock.now());
    let filename = format!("receipt-{}.pdf", view.serial);
    match render_pdf("电子回单".to_string(), move || {
        receipt::layout(&view, &printed)
    })
    .await
    {
        Ok(bytes) => attachment("application/pdf", &filename, bytes),
        Err(response) => response,
    }
}

pub async fn bill_receipt_pdf(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<ReceiptQuery>,
) -> Response {
    let Some(session) = session(&state, &headers).await else {
        return Redirect::to("/login?next=/bills").into_response();
    };
    let ctx = &state.ctx;
    let view = match app::bills::payment_view(ctx, &session.customer_id, &q.id).await {
        Ok(v) => v,
        Err(app::error::AppError::NotFound) => {
            return (StatusCode::NOT_FOUND, "没有找到 / Not found").into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "bill receipt failed");
            return unavailable();
        }
    };
    let printed = domain::clock::beijing_datetime(ctx.clock.now());
    let filename = format!("bill-receipt-{}.pdf", view.id);
    match render_pdf("缴费凭证".to_string(), move || {
        bill_receipt::layout(&view, &printed)
    })
    .await
    {
        Ok(bytes) => attachment("application/pdf", &filename, bytes),
        Err(response) => response,
    }
}
