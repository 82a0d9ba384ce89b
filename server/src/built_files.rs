//! The built JS, WASM and CSS under `/pkg/`, served outside the pages' middleware: they hold
//! nothing of anyone's and need no session, preference or origin check, and every first visit
//! asks for them. A release build names them by content and compresses them once (brotli and
//! gzip beside each file); those few files are read into memory at start and answered from
//! there, the copy the browser accepts, kept by browsers for a year. A build without hashed
//! names (development, where files change under a running server) is served from disk.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Path as UrlPath, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::{middleware, Router};
use tower_http::services::ServeDir;

use crate::security::{baseline_headers, cache_hashed_assets, HashedAssets};

/// One built file and its precompressed copies.
struct Built {
    content_type: &'static str,
    plain: Bytes,
    brotli: Option<Bytes>,
    gzip: Option<Bytes>,
}

type Files = Arc<HashMap<String, Built>>;

/// The router for `/<pkg dir>/…` under `site_root`.
pub fn router(site_root: &str, pkg_dir: &str, hashed: bool) -> Router {
    let dir = Path::new(site_root).join(pkg_dir);
    let [nosniff, ..] = baseline_headers();
    let base = format!("/{pkg_dir}");
    let served = match hashed.then(|| load(&dir)) {
        Some(Ok(files)) => Router::new()
            .route(&format!("{base}/{{*file}}"), get(answer))
            .with_state(Arc::new(files)),
        Some(Err(e)) => {
            tracing::warn!(error = %e, "built files could not be read into memory; served from disk");
            from_disk(&base, &dir)
        }
        None => from_disk(&base, &dir),
    };
    served
        .layer(middleware::from_fn_with_state(
            HashedAssets(hashed),
            cache_hashed_assets,
        ))
        .layer(nosniff)
}

fn from_disk(base: &str, dir: &Path) -> Router {
    Router::new().nest_service(
        base,
        ServeDir::new(dir).precompressed_br().precompressed_gzip(),
    )
}

fn load(dir: &Path) -> std::io::Result<HashMap<String, Built>> {
    let mut files = HashMap::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let Some(name) = path
            .file_name()
            .and_then(|n| n.to_str())
            .map(str::to_string)
        else {
            continue;
        };
        if !path.is_file() || name.ends_with(".br") || name.ends_with(".gz") {
            continue;
        }
        let copy = |ext: &str| {
            std::fs::read(dir.join(format!("{name}.{ext}")))
                .ok()
                .map(Bytes::from)
        };
        files.insert(
            name.clone(),
            Built {
                content_type: content_type(&name),
                plain: Bytes::from(std::fs::read(&path)?),
                brotli: copy("br"),
                gzip: copy("gz"),
            },
        );
    }
    Ok(files)
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

/// Whether the request's `Accept-Encoding` takes `coding` (listed, and not with `q=0`).
fn accepts(headers: &HeaderMap, coding: &str) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let refused = |p: &str| {
                p.strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            };
            parts.next().is_some_and(|c| c.eq_ignore_ascii_case(coding)) && !parts.any(refused)
        })
}

async fn answer(
    State(files): State<Files>,
    UrlPath(file): UrlPath<String>,
    headers: HeaderMap,
) -> Response {
    let Some(built) = files.get(&file) else {
        let mut missing = Response::new(Body::empty());
        *missing.status_mut() = StatusCode::NOT_FOUND;
        return missing;
    };
    let (body, encoding) = match (&built.brotli, &built.gzip) {
        (Some(br), _) if accepts(&headers, "br") => (br.clone(), Some("br")),
        (_, Some(gz)) if accepts(&headers, "gzip") => (gz.clone(), Some("gzip")),
        _ => (built.plain.clone(), None),
    };
    let mut res = Response::new(Body::from(body));
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(built.content_type),
    );
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Some(e) = encoding {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(e));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::accepts;
    use axum::http::{header, HeaderMap, HeaderValue};

    fn with(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn accept_encoding_is_read_with_its_weights() {
        assert!(accepts(&with("gzip, deflate, br, zstd"), "br"));
        assert!(accepts(&with("br;q=0.5"), "br"));
        assert!(!accepts(&with("br;q=0, gzip"), "br"));
        assert!(accepts(&with("br;q=0, gzip"), "gzip"));
        assert!(!accepts(&with("gzip"), "br"));
        assert!(!accepts(&HeaderMap::new(), "gzip"));
    }
}
