//! Content pictures: the console's upload (`POST /ops/media`, a plain multipart form that works
//! without WASM) and the pictures as customers' pages load them (`GET /media/<id>`). The upload
//! answers by sending the browser back to the content page it came from, with the new
//! picture's id or the reason it was refused in the query.

use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

use domain::content::images::MAX_UPLOAD_BYTES;

use crate::router::AppState;

/// The upload's body limit: the picture and the form's other field and boundaries.
pub const UPLOAD_BODY_BYTES: usize = MAX_UPLOAD_BYTES + 64 * 1024;

/// The console page to go back to: the content page the form names, or the content list.
fn back_to(back: &str) -> &str {
    let ours = back.starts_with("/ops/content")
        && back.len() <= 100
        && back
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/-_".contains(c));
    if ours {
        back
    } else {
        "/ops/content"
    }
}

/// `POST /ops/media`: fields `image` (the file) and `back` (the page to return to).
pub async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Multipart,
) -> Response {
    let ctx = &state.ctx;
    let token = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| app::prefs::read_cookie(h, app::ops::server::OPS_COOKIE))
        .map(str::to_string);
    let session = match token {
        Some(token) => ctx
            .ops()
            .authenticate(&token, ctx.staff_sessions)
            .await
            .ok(),
        None => None,
    };
    let Some(session) = session else {
        return Redirect::to("/ops/login").into_response();
    };
    let (back, upload) = read_form(form).await;
    let back = back_to(&back);
    let outcome = match upload {
        Err(reason) => Err(reason),
        Ok(bytes) => match ctx.content().upload_image(&session.member, bytes).await {
            Ok(id) => Ok(id),
            Err(domain::Error::Invalid { .. }) => Err("not_image"),
            Err(domain::Error::Refused(domain::Refusal::NotPermitted)) => Err("not_permitted"),
            Err(e) => {
                tracing::error!(error = %e, "content picture not stored");
                Err("failed")
            }
        },
    };
    let to = match outcome {
        Ok(id) => format!("{back}?image={id}"),
        Err(reason) => format!("{back}?image_error={reason}"),
    };
    Redirect::to(&to).into_response()
}

/// The form's `back` field and its picture (or why there is none to take).
async fn read_form(mut form: Multipart) -> (String, Result<Vec<u8>, &'static str>) {
    let mut back = String::new();
    let mut upload = Err("missing");
    loop {
        match form.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("back") => back = field.text().await.unwrap_or_default(),
                Some("image") => {
                    upload = match field.bytes().await {
                        Ok(b) if b.is_empty() => Err("missing"),
                        Ok(b) if b.len() > MAX_UPLOAD_BYTES => Err("too_large"),
                        Ok(b) => Ok(b.to_vec()),
                        // Past the body limit, or the connection broke.
                        Err(_) => return (back, Err("too_large")),
                    }
                }
                _ => {}
            },
            Ok(None) => return (back, upload),
            Err(_) => return (back, Err("too_large")),
        }
    }
}

/// `GET /media/<id>`: a stored picture, cacheable for good (a new picture is a new id).
pub async fn picture(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    if !domain::content::images::is_image_id(&id) {
        return StatusCode::NOT_FOUND.into_response();
    }
    match state.ctx.content().image(&id).await {
        Ok(Some(picture)) => (
            [
                (header::CONTENT_TYPE, picture.content_type),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            picture.bytes,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "content picture not read");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
