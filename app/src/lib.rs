//! The portal's UI: the app shell and routes, the pages of each capability with their server
//! functions beside them, and the `hydrate()` entry the browser calls.
//!
//! Built twice by cargo-leptos: with `ssr` into the server, with `hydrate` into WASM.

// The future that hydrates the app asynchronously (lazy routes) holds the whole shell's view
// type, nested deeper than the compiler's default limit of 128.
#![recursion_limit = "256"]

pub mod account;
pub mod accounts;
pub mod auth;
pub mod banks;
pub mod bills;
pub mod chunk;
pub mod deposits;
pub mod edition;
pub mod error;
pub mod feedback;
pub mod home;
pub mod i18n;
pub mod inbox;
pub mod jobs;
pub mod layout;
pub mod livelihood;
pub mod loans;
pub mod news;
pub mod ops;
pub mod passkey;
pub mod pension;
pub mod prefs;
pub mod settings;
pub mod shell;
pub mod transfer;

pub use shell::{shell, App};

/// The calling client's address, as the server's middleware worked it out from the connection
/// and the trusted proxies' `X-Forwarded-For` (see `server/src/client_ip.rs`).
#[cfg(feature = "ssr")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub std::net::IpAddr);

#[cfg(feature = "ssr")]
impl ClientIp {
    /// The rate limits' key: an IPv4 address, or an IPv6 address's /64. One IPv6 customer
    /// holds a whole /64 and could otherwise take a fresh bucket for every request.
    pub fn rate_key(&self) -> String {
        match self.0.to_canonical() {
            std::net::IpAddr::V4(ip) => ip.to_string(),
            std::net::IpAddr::V6(ip) => {
                let s = ip.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        }
    }
}

/// What the server hands every page render and server function (see `server/src/router.rs`).
#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct ServerContext {
    pub db: domain::Db,
    /// Add `Secure` to cookies: the portal is served over TLS.
    pub secure_cookies: bool,
    pub clock: std::sync::Arc<dyn domain::clock::Clock>,
    /// Master and blind-index keys for personal data (from the environment, never the database).
    pub keys: std::sync::Arc<domain::pii::KeyRing>,
    /// The SMS gateway: the development outbox unless a provider is configured.
    pub sms: std::sync::Arc<dyn domain::sms::SmsGateway>,
    pub sessions: domain::identity::session::SessionPolicy,
    /// The console's sessions (15 idle minutes unless configured).
    pub staff_sessions: domain::ops::StaffPolicy,
    /// The node's group-commit queue for transfers.
    pub committer: domain::transfer::Committer,
    /// How much may move without an SMS code (小额免密's allowance).
    pub code_free: domain::transfer::CodeFreePolicy,
    /// SMS codes (registration, reset, resend) one client address may ask for per hour: many
    /// customers of a village can share one carrier-grade NAT address.
    pub codes_per_address_hour: i64,
    /// The billers (the local simulator unless a real connection is configured).
    pub billers: std::sync::Arc<dyn domain::billpay::BillerGateway>,
    /// The social-security and medical-security bureaus (the local simulator unless a real
    /// connection is configured).
    pub bureau: std::sync::Arc<dyn domain::livelihood::SocialSecurityBureau>,
    /// The public employment service's job listings (the local simulator unless a real
    /// connection is configured).
    pub jobs: std::sync::Arc<dyn domain::jobs::JobBoard>,
    /// The portal as a WebAuthn relying party (passkeys are bound to its origin).
    pub passkeys: std::sync::Arc<domain::identity::passkey::RelyingParty>,
    /// The credit bureau (人行征信; the local simulator unless a real connection is
    /// configured).
    pub credit_bureau: std::sync::Arc<dyn domain::loans::bureau::CreditBureau>,
    /// The tax bureau's records for 税e贷 (the local simulator unless a real connection is
    /// configured).
    pub tax_bureau: std::sync::Arc<dyn domain::loans::tax::TaxBureau>,
}

#[cfg(all(test, feature = "ssr"))]
mod client_ip_tests {
    use super::ClientIp;

    #[test]
    fn ipv6_is_keyed_by_its_64() {
        let key = |s: &str| ClientIp(s.parse().unwrap()).rate_key();
        assert_eq!(key("203.0.113.9"), "203.0.113.9");
        assert_eq!(key("::ffff:203.0.113.9"), "203.0.113.9");
        assert_eq!(key("2001:db8:1:2:aaaa::1"), key("2001:db8:1:2:bbbb::2"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
    }
}

#[cfg(feature = "ssr")]
impl ServerContext {
    /// Loans: applications, contracts, repayments.
    pub fn loans(&self) -> domain::loans::Loans<'_> {
        domain::loans::Loans {
            db: &self.db,
            clock: self.clock.as_ref(),
            keys: &self.keys,
            bureau: self.credit_bureau.as_ref(),
            tax: self.tax_bureau.as_ref(),
        }
    }

    /// The operators' console's staff.
    pub fn ops(&self) -> domain::ops::Ops<'_> {
        domain::ops::Ops {
            db: &self.db,
            clock: self.clock.as_ref(),
            keys: &self.keys,
        }
    }

    /// Customers' feedback and the agents' desk.
    pub fn feedback(&self) -> domain::feedback::Feedback<'_> {
        domain::feedback::Feedback {
            db: &self.db,
            clock: self.clock.as_ref(),
            keys: &self.keys,
        }
    }

    /// News, announcements and campaigns.
    pub fn content(&self) -> domain::content::Content<'_> {
        domain::content::Content {
            db: &self.db,
            clock: self.clock.as_ref(),
        }
    }

    pub fn identity(&self) -> domain::identity::Identity<'_> {
        domain::identity::Identity {
            db: &self.db,
            clock: self.clock.as_ref(),
            keys: &self.keys,
        }
    }

    pub fn transfers(&self) -> domain::transfer::Transfers<'_> {
        domain::transfer::Transfers {
            db: &self.db,
            clock: self.clock.as_ref(),
            keys: &self.keys,
            committer: &self.committer,
            code_free: self.code_free,
        }
    }

    pub fn deposits(&self) -> domain::deposit::Deposits<'_> {
        domain::deposit::Deposits {
            db: &self.db,
            clock: self.clock.as_ref(),
        }
    }

    pub fn accounts(&self) -> domain::account::Accounts<'_> {
        domain::account::Accounts {
            db: &self.db,
            clock: self.clock.as_ref(),
        }
    }

    pub fn bill_payments(&self) -> domain::billpay::Payments<'_> {
        domain::billpay::Payments {
            db: &self.db,
            clock: self.clock.as_ref(),
            gateway: self.billers.as_ref(),
            keys: &self.keys,
            code_free: self.code_free,
        }
    }

    pub fn households(&self) -> domain::billpay::Households<'_> {
        domain::billpay::Households {
            db: &self.db,
            clock: self.clock.as_ref(),
        }
    }

    pub fn passkeys(&self) -> domain::identity::passkey::Passkeys<'_> {
        domain::identity::passkey::Passkeys {
            db: &self.db,
            clock: self.clock.as_ref(),
            rp: &self.passkeys,
        }
    }

    pub fn ecards(&self) -> domain::livelihood::ECards<'_> {
        domain::livelihood::ECards {
            db: &self.db,
            clock: self.clock.as_ref(),
            keys: &self.keys,
            bureau: self.bureau.as_ref(),
        }
    }

    pub fn autopays(&self) -> domain::billpay::autopay::AutoPays<'_> {
        domain::billpay::autopay::AutoPays {
            db: &self.db,
            clock: self.clock.as_ref(),
            keys: &self.keys,
        }
    }

    pub fn ssc_applications(&self) -> domain::livelihood::application::Applications<'_> {
        domain::livelihood::application::Applications {
            db: &self.db,
            clock: self.clock.as_ref(),
            keys: &self.keys,
            bureau: self.bureau.as_ref(),
        }
    }

    pub fn otp(&self) -> domain::identity::Otp<'_> {
        domain::identity::Otp {
            db: &self.db,
            clock: self.clock.as_ref(),
            keys: &self.keys,
        }
    }
}

/// The server context inside a server function; its absence is a wiring bug, not the customer's.
#[cfg(feature = "ssr")]
pub fn server_context() -> Result<ServerContext, error::AppError> {
    leptos::prelude::use_context::<ServerContext>().ok_or_else(|| {
        tracing::error!("ServerContext missing: server function called outside the router");
        error::AppError::Internal
    })
}

/// The browser entry: attaches the WASM app to the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Waits for the current route's chunk, if it has one, before attaching to its HTML.
    leptos::mount::hydrate_lazy(App);
}
