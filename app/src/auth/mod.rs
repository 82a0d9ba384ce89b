//! Signing in and registering: the pages, the server functions beside them, and the
//! server-side helpers every protected server function uses to find its customer.
//!
//! Every server function derives the customer from the session cookie (`sid`), never from its
//! arguments. The browser cookie `did` names the browser for "known device" checks.

pub mod fields;
mod idle;
mod login;
mod register;
pub mod resend;
mod reset;
#[cfg(feature = "ssr")]
pub mod server;

pub use idle::IdleWarning;
pub use login::{LoginPage, VerifyLoginPage};
pub use register::{RegisterDetailsPage, RegisterPage};
pub use reset::{ResetCodePage, ResetPage};

// The pages below arrive in their own WASM chunk (see `crate::chunk`).
crate::lazy_pages!(
    auth:
    RESET_PAGE => ResetPage,
    RESET_CODE_PAGE => ResetCodePage,
    REGISTER_PAGE => RegisterPage,
    REGISTER_DETAILS_PAGE => RegisterDetailsPage,
);

/// The session cookie: HttpOnly, SameSite=Strict, Secure outside localhost.
pub const SESSION_COOKIE: &str = "sid";
/// The browser's long-lived identifier for "known device" checks.
pub const DEVICE_COOKIE: &str = "did";
