//! The operators' console's people: staff of the provincial union (`P000`) or of one bank,
//! separate from customers in every way — their own table, their own sign-in (a password and a
//! TOTP code from an authenticator app), their own sessions (15 minutes idle). Every staff
//! action is audited with the staff member and their institution.
//!
//! A staff member's work is scoped to their institution: a bank's staff never see or change
//! another bank's people or data; objects outside the scope answer "not found", like objects
//! that do not exist.

mod issued;
mod products;
mod sign_in;
mod staff;
pub mod totp;

#[cfg(test)]
mod products_tests;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::error::Refusal;
use crate::pii::KeyRing;
use crate::{Db, Result};

pub use products::{parse_rate, NewLocalProduct, RateLine, MAX_RATE_BP};
pub use sign_in::{StaffPolicy, StaffSession};
pub use staff::{Credentials, NewStaff, StaffSummary};

/// What a staff member may do. A member has one or more.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Manages the staff of their own institution.
    Admin,
    /// Drafts content.
    Editor,
    /// Publishes what another editor drafted (maker–checker).
    Approver,
    /// Sets products and rates.
    ProductManager,
    /// Reviews loan applications.
    CreditOfficer,
    /// Works the risk review queue.
    RiskAnalyst,
    /// Answers customers' feedback and calls.
    ServiceAgent,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Admin,
        Role::Editor,
        Role::Approver,
        Role::ProductManager,
        Role::CreditOfficer,
        Role::RiskAnalyst,
        Role::ServiceAgent,
    ];

    /// As stored in `staff_roles.role` and posted by forms.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Editor => "editor",
            Role::Approver => "approver",
            Role::ProductManager => "product_manager",
            Role::CreditOfficer => "credit_officer",
            Role::RiskAnalyst => "risk_analyst",
            Role::ServiceAgent => "service_agent",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A signed-in staff member: who, for which institution, with which roles.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: String,
    /// The sign-in name (工号), e.g. `b001.editor`.
    pub login: String,
    /// `P000` (the union) or a bank's code.
    pub institution: String,
    /// The name, masked (张*明).
    pub name_masked: String,
    pub roles: Vec<Role>,
    /// Set for a password an administrator issued: nothing else works until it is changed.
    pub must_change_password: bool,
}

impl StaffMember {
    /// The provincial union's staff (province-wide content, statistics across banks).
    pub fn is_union(&self) -> bool {
        self.institution == crate::institution::PROVINCE_CODE
    }

    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// `NotPermitted` unless the member has `role` and a password of their own.
    pub fn require(&self, role: Role) -> Result<()> {
        if self.must_change_password || !self.has(role) {
            return Err(Refusal::NotPermitted.into());
        }
        Ok(())
    }

    /// How the audit log names them.
    pub fn actor(&self) -> String {
        format!("staff:{}", self.id)
    }
}

/// The console's staff operations over one database.
pub struct Ops<'a> {
    pub db: &'a Db,
    pub clock: &'a dyn Clock,
    pub keys: &'a KeyRing,
}
