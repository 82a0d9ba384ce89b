//! `?edition=<slug>` and `?lang=<tag>` on any page URL: the entry an in-app webview (or a link in
//! an SMS) uses to open the portal in a given edition or language.
//!
//! A valid value is stored in its cookie and the browser is sent (303) to the same URL without
//! the parameter, so the page it then renders already comes from the cookie, and no later form
//! post returns to a URL that would set the old value again. An unknown edition sends the
//! visitor to the chooser, which says so plainly; an unknown language is dropped (the page
//! still renders in the current one).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use app::edition::{Edition, EDITION_COOKIE};
use app::i18n::{Lang, LANG_COOKIE};
use app::prefs::{is_site_path, pref_cookie};

/// Middleware state: whether cookies get `Secure`.
#[derive(Clone, Copy)]
pub struct PrefCookies {
    pub secure: bool,
}

const PREF_PARAMS: [&str; 2] = ["edition", "lang"];

pub async fn query_prefs(State(cfg): State<PrefCookies>, req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD)
        || crate::security::is_server_fn_path(req.uri().path())
    {
        return next.run(req).await;
    }
    let query = req.uri().query().unwrap_or("");
    let param = |name: &str| {
        query.split('&').find_map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (k == name).then(|| percent_decode(v))
        })
    };
    let (edition, lang) = (param("edition"), param("lang"));
    if edition.is_none() && lang.is_none() {
        return next.run(req).await;
    }
    let clean = clean_location(req.uri().path(), query);

    let mut cookies = Vec::new();
    if let Some(slug) = edition {
        match Edition::from_slug(&slug) {
            Some(edition) => cookies.push(pref_cookie(EDITION_COOKIE, edition.slug(), cfg.secure)),
            None => {
                tracing::info!(slug = %slug, "unknown edition in URL: showing the chooser");
                let chooser = format!(
                    "/edition?unknown={}&next={}",
                    percent_encode(&slug),
                    percent_encode(&clean)
                );
                return see_other(&chooser, &[]);
            }
        }
    }
    if let Some(tag) = lang {
        match Lang::from_tag(&tag) {
            Some(lang) => cookies.push(pref_cookie(LANG_COOKIE, lang.tag(), cfg.secure)),
            None => tracing::info!(tag = %tag, "unknown language in URL: ignored"),
        }
    }
    see_other(&clean, &cookies)
}

/// A 303 to `location` (a path built here, never the raw request) setting `cookies`.
pub(crate) fn see_other(location: &str, cookies: &[String]) -> Response {
    let mut res = Response::builder()
        .status(StatusCode::SEE_OTHER)
        .body(Body::empty())
        .expect("static response");
    if let Ok(v) = HeaderValue::from_str(location) {
        res.headers_mut().insert(LOCATION, v);
    }
    for cookie in cookies {
        if let Ok(v) = HeaderValue::from_str(cookie) {
            res.headers_mut().append(SET_COOKIE, v);
        }
    }
    res
}

/// Where to send the browser: the parsed path with the preference parameters removed, rebuilt
/// so it can only name a page of this site. `GET //evil.example/?lang=en` must not answer
/// `Location: //evil.example/` (a protocol-relative URL to another host).
fn clean_location(path: &str, query: &str) -> String {
    let path = format!("/{}", path.trim_start_matches(['/', '\\']));
    let location = path_without(&path, query, &PREF_PARAMS);
    if is_site_path(&location) {
        location
    } else if is_site_path(&path) {
        path
    } else {
        "/".into()
    }
}

/// The path with the given query parameters removed (where to return after choosing).
fn path_without(path: &str, query: &str, drop: &[&str]) -> String {
    let kept: Vec<&str> = query
        .split('&')
        .filter(|kv| !kv.is_empty())
        .filter(|kv| !drop.contains(&kv.split_once('=').map_or(*kv, |(k, _)| k)))
        .collect();
    if kept.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", kept.join("&"))
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' && i + 3 <= bytes.len() {
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(hi << 4 | lo);
                i += 3;
                continue;
            }
        }
        out.push(if b == b'+' { b' ' } else { b });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_without_drops_only_named_params() {
        assert_eq!(
            path_without("/banks", "edition=x&city=a", &["edition", "lang"]),
            "/banks?city=a"
        );
        assert_eq!(
            path_without("/", "edition=x&lang=en", &["edition", "lang"]),
            "/"
        );
    }

    #[test]
    fn locations_stay_on_site() {
        assert_eq!(
            clean_location("//evil.example/", "lang=en"),
            "/evil.example/"
        );
        assert_eq!(
            clean_location("/\\evil.example", "lang=en"),
            "/evil.example"
        );
        assert_eq!(
            clean_location("/banks", "lang=en&city=%E6%B5%8E"),
            "/banks?city=%E6%B5%8E"
        );
        // A kept parameter the allow-list refuses drops the query, never the check.
        assert_eq!(clean_location("/banks", "lang=en&x=a:b"), "/banks");
        assert_eq!(clean_location("/a:b", "lang=en"), "/");
    }

    #[test]
    fn percent_round_trip() {
        assert_eq!(percent_decode("%E6%B5%8E%E5%8D%97"), "济南");
        assert_eq!(percent_decode("a+b%2"), "a b%2");
        assert_eq!(percent_decode(&percent_encode("济南 & <x>")), "济南 & <x>");
        assert_eq!(percent_encode("/banks?city=a"), "/banks%3Fcity%3Da");
    }
}
