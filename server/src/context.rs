//! How a node's [`ServerContext`] is put together, in one place for the server, the tests and
//! the benches: the database, the clock, the keys, and the outside systems. Every outside
//! system is today its local simulator, and the server says so at start: never pretend one is
//! live.

use std::sync::Arc;

use app::ServerContext;
use domain::billpay::{BillerGateway, BillerSimulator};
use domain::clearing::{ClearingNetwork, ClearingSimulator};
use domain::clock::Clock;
use domain::identity::passkey::RelyingParty;
use domain::jobs::simulator::JobBoardSimulator;
use domain::jobs::JobBoard;
use domain::livelihood::simulator::BureauSimulator;
use domain::livelihood::SocialSecurityBureau;
use domain::loans::bureau::{CreditBureau, SimulatedBureau};
use domain::loans::tax::{SimulatedTaxBureau, TaxBureau};
use domain::pii::KeyRing;
use domain::sms::{DevOutbox, SmsGateway};
use domain::Db;

/// The systems outside the portal it talks to.
#[derive(Clone)]
pub struct Outside {
    pub sms: Arc<dyn SmsGateway>,
    pub clearing: Arc<dyn ClearingNetwork>,
    pub billers: Arc<dyn BillerGateway>,
    pub bureau: Arc<dyn SocialSecurityBureau>,
    pub jobs: Arc<dyn JobBoard>,
    pub credit_bureau: Arc<dyn CreditBureau>,
    pub tax_bureau: Arc<dyn TaxBureau>,
}

impl Outside {
    /// The local simulator of every outside system.
    pub fn simulators(db: &Db, clock: Arc<dyn Clock>) -> Outside {
        Outside {
            sms: Arc::new(DevOutbox::new(db.clone(), clock.clone())),
            clearing: Arc::new(ClearingSimulator::with_demo_directory()),
            billers: Arc::new(BillerSimulator::new(db.clone(), clock)),
            bureau: Arc::new(BureauSimulator::new()),
            jobs: Arc::new(JobBoardSimulator::new()),
            credit_bureau: Arc::new(SimulatedBureau),
            tax_bureau: Arc::new(SimulatedTaxBureau),
        }
    }

    /// Says at start, loudly, which outside systems are simulators.
    pub fn warn_simulated(&self) {
        for (system, what) in [
            (
                "SMS gateway",
                "development outbox; no message leaves this machine",
            ),
            (
                "clearing network",
                "see README for its accounts; no money leaves this machine",
            ),
            (
                "billers (water, electricity, top-ups …)",
                "no bill is really paid",
            ),
            (
                "social-security and medical bureaus (e-SSC, medical e-voucher)",
                "its QR codes are accepted nowhere",
            ),
            (
                "job listings (就业在线)",
                "the employers and jobs are made up",
            ),
            (
                "credit bureau (人行征信)",
                "its reports are made up from the resident ID; they decide no real loan",
            ),
            (
                "tax bureau (税e贷's tax records)",
                "its records are made up from the credit code",
            ),
        ] {
            tracing::warn!("{system}: local SIMULATOR; {what}");
        }
    }
}

/// A node's context over `db`: sessions, the code-free allowance and cookies at their defaults
/// (the server sets them from its configuration), a group-commit queue of its own, passkeys
/// bound to `origin`.
pub fn server_context(
    db: &Db,
    clock: Arc<dyn Clock>,
    keys: Arc<KeyRing>,
    outside: &Outside,
    origin: &str,
) -> domain::Result<ServerContext> {
    Ok(ServerContext {
        db: db.clone(),
        secure_cookies: false,
        clock,
        keys,
        sms: outside.sms.clone(),
        sessions: Default::default(),
        staff_sessions: Default::default(),
        committer: domain::transfer::Committer::start(db.clone()),
        code_free: Default::default(),
        codes_per_address_hour: crate::config::DEFAULT_CODES_PER_ADDRESS_HOUR,
        billers: outside.billers.clone(),
        bureau: outside.bureau.clone(),
        jobs: outside.jobs.clone(),
        credit_bureau: outside.credit_bureau.clone(),
        tax_bureau: outside.tax_bureau.clone(),
        passkeys: Arc::new(RelyingParty::new(origin)?),
    })
}
