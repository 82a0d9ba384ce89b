//! Errors carried in the URL, signed.
//!
//! Before WASM has loaded a form is a plain post; when its server function refuses, the
//! framework redirects back to the form with the error in the query (`__path`, `__err`), and
//! the page shows it. Anyone can write such a URL, and some errors carry text (an amount), so a
//! link in a phishing SMS could make our own transfer page say "call 400-…". Every redirect
//! that carries an error therefore gets `__errsig`, a keyed MAC of the two parameters, and a
//! page request whose carried error does not verify is sent to the same URL without it.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::LOCATION;
use axum::http::{HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;

use domain::pii::KeyRing;

const SIGNATURE: &str = "__errsig";
const CARRIED: [&str; 3] = ["__path", "__err", SIGNATURE];

/// The key the signatures are made with (the same on every node).
#[derive(Clone)]
pub struct CarriedErrorKey(pub Arc<KeyRing>);

pub async fn signed_carried_errors(
    State(key): State<CarriedErrorKey>,
    req: Request,
    next: Next,
) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD) {
        let query = req.uri().query().unwrap_or("");
        if param(query, "__err").is_some() && !verifies(&key.0, query) {
            tracing::info!(path = %req.uri().path(), "unsigned error in the URL dropped");
            let kept = without_carried(query);
            let location = if kept.is_empty() {
                req.uri().path().to_string()
            } else {
                format!("{}?{kept}", req.uri().path())
            };
            return crate::prefs::see_other(&location, &[]);
        }
        return next.run(req).await;
    }
    let mut res = next.run(req).await;
    if res.status().is_redirection() {
        let signed = res
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|location| sign(&key.0, location));
        if let Some(v) = signed.and_then(|l| HeaderValue::from_str(&l).ok()) {
            res.headers_mut().insert(LOCATION, v);
        }
    }
    res
}

/// The location with its carried error signed; `None` when it carries none.
fn sign(key: &KeyRing, location: &str) -> Option<String> {
    let (base, query) = location.split_once('?')?;
    let err = param(query, "__err")?;
    let path = param(query, "__path").unwrap_or("");
    let kept: Vec<&str> = query
        .split('&')
        .filter(|kv| !kv.is_empty() && name(kv) != SIGNATURE)
        .collect();
    Some(format!(
        "{base}?{}&{SIGNATURE}={}",
        kept.join("&"),
        mac(key, path, err)
    ))
}

fn verifies(key: &KeyRing, query: &str) -> bool {
    let (Some(err), Some(given)) = (param(query, "__err"), param(query, SIGNATURE)) else {
        return false;
    };
    let expected = mac(key, param(query, "__path").unwrap_or(""), err);
    // Both are hex of the same length; compare without stopping at the first difference.
    given.len() == expected.len()
        && given
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

fn mac(key: &KeyRing, path: &str, err: &str) -> String {
    key.secret_digest("carried-error", &format!("{path}\n{err}"))
}

fn name(kv: &str) -> &str {
    kv.split_once('=').map_or(kv, |(k, _)| k)
}

/// A parameter's value as it stands in the query (still percent-encoded).
fn param<'q>(query: &'q str, wanted: &str) -> Option<&'q str> {
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        (k == wanted).then_some(v)
    })
}

fn without_carried(query: &str) -> String {
    query
        .split('&')
        .filter(|kv| !kv.is_empty() && !CARRIED.contains(&name(kv)))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_only_for_what_was_signed() {
        let key = KeyRing::development();
        let location = "http://localhost:3000/transfer?x=1&__path=%2Fapi%2Fa&__err=eyJ9";
        let signed = sign(&key, location).unwrap();
        let query = signed.split_once('?').unwrap().1;
        assert!(verifies(&key, query));
        assert!(!verifies(&key, &query.replace("eyJ9", "eyJ8")));
        assert!(!verifies(&key, &query.replace("%2Fapi%2Fa", "%2Fapi%2Fb")));
        assert!(!verifies(&key, "__path=%2Fapi%2Fa&__err=eyJ9"));
        // Signing again (the next refusal on the same page) keeps one signature.
        let again = sign(&key, &signed).unwrap();
        assert_eq!(again.matches(SIGNATURE).count(), 1);
        assert_eq!(sign(&key, "/transfer?x=1"), None);
        assert_eq!(without_carried(query), "x=1");
    }
}
