//! The visitor's presentation choices: edition and language.
//!
//! Both live in cookies (`edition`, `lang`), so the server renders the right edition from the
//! first byte. The server reads them from the request; the browser, when it hydrates, reads the
//! values the server wrote onto `<html data-edition lang data-edition-chosen>`, so both sides
//! start from the same state and hydration never flashes another theme.

use leptos::prelude::*;

use crate::edition::{Edition, EDITION_COOKIE};
use crate::i18n::{Lang, Msg, LANG_COOKIE};

/// The reactive preferences every component reads.
#[derive(Clone, Copy, Debug)]
pub struct Prefs {
    pub edition: RwSignal<Edition>,
    pub lang: RwSignal<Lang>,
    /// False until the visitor has picked an edition once: the home page shows the chooser.
    pub chosen: RwSignal<bool>,
}

impl Prefs {
    /// A message in the current language (reactive when called inside a closure).
    pub fn t(&self, msg: Msg) -> &'static str {
        self.lang.get().t(msg)
    }
}

/// The initial values, before they become signals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InitialPrefs {
    pub edition: Edition,
    pub lang: Lang,
    pub chosen: bool,
}

impl InitialPrefs {
    /// From a `Cookie:` header; unknown values fall back to the defaults.
    pub fn from_cookie_header(header: &str) -> Self {
        let edition = read_cookie(header, EDITION_COOKIE).and_then(Edition::from_slug);
        let lang = read_cookie(header, LANG_COOKIE)
            .and_then(Lang::from_tag)
            .unwrap_or_default();
        InitialPrefs {
            edition: edition.unwrap_or_default(),
            lang,
            chosen: edition.is_some(),
        }
    }

    /// On the server: from the request being rendered.
    #[cfg(feature = "ssr")]
    pub fn from_request() -> Self {
        use_context::<http::request::Parts>()
            .map(|parts| {
                let cookies: Vec<&str> = parts
                    .headers
                    .get_all(http::header::COOKIE)
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .collect();
                Self::from_cookie_header(&cookies.join("; "))
            })
            .unwrap_or_default()
    }

    /// In the browser: from the attributes the server rendered onto `<html>`.
    #[cfg(not(feature = "ssr"))]
    pub fn from_document() -> Self {
        let root = document().document_element();
        let attr = |name: &str| root.as_ref().and_then(|r| r.get_attribute(name));
        let edition = attr("data-edition").as_deref().and_then(Edition::from_slug);
        InitialPrefs {
            edition: edition.unwrap_or_default(),
            lang: attr("lang")
                .as_deref()
                .and_then(Lang::from_tag)
                .unwrap_or_default(),
            chosen: attr("data-edition-chosen").as_deref() == Some("true"),
        }
    }

    pub fn current() -> Self {
        #[cfg(feature = "ssr")]
        {
            Self::from_request()
        }
        #[cfg(not(feature = "ssr"))]
        {
            Self::from_document()
        }
    }
}

/// One cookie's value from a `Cookie:` header.
pub fn read_cookie<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then_some(v.trim_matches('"'))
    })
}

/// Makes the preferences available to every component below; called once by the app root.
pub fn provide_prefs() -> Prefs {
    let initial = InitialPrefs::current();
    let prefs = Prefs {
        edition: RwSignal::new(initial.edition),
        lang: RwSignal::new(initial.lang),
        chosen: RwSignal::new(initial.chosen),
    };
    provide_context(prefs);
    prefs
}

pub fn use_prefs() -> Prefs {
    expect_context::<Prefs>()
}

/// Server side: the `Set-Cookie` for a preference (a year, whole site, readable by the server
/// only; `Secure` when the portal is served over TLS).
#[cfg(feature = "ssr")]
pub fn set_pref_cookie(name: &str, value: &str) {
    let secure = use_context::<crate::ServerContext>().is_some_and(|c| c.secure_cookies);
    let cookie = pref_cookie(name, value, secure);
    if let (Some(res), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&cookie),
    ) {
        res.append_header(http::header::SET_COOKIE, value);
    }
}

/// The `Set-Cookie` value for a preference. `SameSite=Lax` (not Strict): a link from a webview
/// or another site with `?edition=` must still be able to set it.
pub fn pref_cookie(name: &str, value: &str, secure: bool) -> String {
    format!(
        "{name}={value}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{}",
        if secure { "; Secure" } else { "" }
    )
}

/// Only same-site paths may be redirect targets (no open redirect through `next=`): a path
/// that starts with one `/`, made only of the characters a path and query of ours use. Browsers
/// drop tabs and line breaks from a `Location` and read a backslash as `/`, so a tab or a
/// backslash after the first `/` would leave the site; a line break would not even fit in a
/// header (the redirect would fail after the request's work was done).
pub fn safe_next(next: Option<&str>) -> Option<&str> {
    next.filter(|n| is_site_path(n))
}

/// Whether `path` is a same-site path (see [`safe_next`]).
pub fn is_site_path(path: &str) -> bool {
    let allowed = |b: u8| {
        b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'/' | b'-' | b'_' | b'.' | b'~' | b'?' | b'=' | b'&' | b'%' | b'+' | b','
            )
    };
    path.len() <= 2048
        && path.starts_with('/')
        && !path.starts_with("//")
        && path.bytes().all(allowed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_read_by_name() {
        let h = "a=1; edition=rural-simple; lang=en";
        assert_eq!(read_cookie(h, "edition"), Some("rural-simple"));
        assert_eq!(read_cookie(h, "lang"), Some("en"));
        assert_eq!(read_cookie(h, "missing"), None);
        assert_eq!(read_cookie("xedition=city", "edition"), None);
    }

    #[test]
    fn initial_prefs_from_cookies() {
        let p = InitialPrefs::from_cookie_header("edition=city-simple; lang=en");
        assert_eq!(
            p,
            InitialPrefs {
                edition: Edition::CitySimple,
                lang: Lang::En,
                chosen: true
            }
        );
        let unknown = InitialPrefs::from_cookie_header("edition=deluxe");
        assert_eq!(
            unknown,
            InitialPrefs::default(),
            "an unknown edition counts as not chosen"
        );
        assert!(!InitialPrefs::from_cookie_header("").chosen);
    }

    #[test]
    fn next_must_stay_on_site() {
        assert_eq!(safe_next(Some("/settings")), Some("/settings"));
        assert_eq!(safe_next(Some("//evil.example")), None);
        assert_eq!(safe_next(Some("https://evil.example")), None);
        assert_eq!(safe_next(Some("/\\evil")), None);
        assert_eq!(safe_next(None), None);
        // Decoded `next=/%09/evil.example` and `next=/%0A`: browsers drop the tab (leaving
        // `//evil.example`), and a line break cannot be put in a `Location` header at all.
        assert_eq!(safe_next(Some("/\t/evil.example")), None);
        assert_eq!(safe_next(Some("/\n")), None);
        assert_eq!(safe_next(Some("/\r\nSet-Cookie: x=1")), None);
        assert_eq!(safe_next(Some("/ /evil")), None);
        assert_eq!(safe_next(Some("/@evil.example")), None);
        assert_eq!(safe_next(Some("")), None);
        assert_eq!(
            safe_next(Some("/bills/pay?kind=water&n=1%2F2")),
            Some("/bills/pay?kind=water&n=1%2F2")
        );
    }
}
