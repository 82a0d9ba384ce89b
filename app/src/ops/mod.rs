//! 运营管理平台: the operators' console of the union and its banks, at `/ops`. Staff sign in
//! apart from customers (login, password, authenticator code; its own cookie scoped to
//! `/ops`), and see only their own institution's people and data. Desktop-first, keyboard
//! friendly, every form a plain post before WASM; its pages are their own WASM chunk, so
//! nothing of the console weighs on a customer's first load.

mod content;
mod feedback;
mod home;
mod images;
mod loans;
mod portfolio;
mod products;
#[cfg(feature = "ssr")]
pub mod server;
mod sign_in;
mod staff;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use content::{ContentItemPage, ContentListPage};
pub use feedback::{FeedbackQueuePage, FeedbackStatsPage, FeedbackTicketPage};
pub use home::{ConsoleHomePage, PasswordPage};
pub use images::UPLOAD_PATH as MEDIA_UPLOAD_PATH;
pub use loans::LoanReviewPage;
pub use portfolio::LoanPortfolioPage;
pub use products::ProductsPage;
pub use sign_in::ConsoleSignInPage;
pub use staff::{IssuedPage, StaffPage};

use crate::error::AppError;
use crate::i18n::Msg;

crate::lazy_pages!(
    ops:
    CONSOLE_HOME_PAGE => ConsoleHomePage,
    CONSOLE_SIGN_IN_PAGE => ConsoleSignInPage,
    PASSWORD_PAGE => PasswordPage,
    STAFF_PAGE => StaffPage,
    ISSUED_PAGE => IssuedPage,
    PRODUCTS_PAGE => ProductsPage,
    CONTENT_LIST_PAGE => ContentListPage,
    CONTENT_ITEM_PAGE => ContentItemPage,
    FEEDBACK_QUEUE_PAGE => FeedbackQueuePage,
    FEEDBACK_TICKET_PAGE => FeedbackTicketPage,
    FEEDBACK_STATS_PAGE => FeedbackStatsPage,
    LOAN_REVIEW_PAGE => LoanReviewPage,
    LOAN_PORTFOLIO_PAGE => LoanPortfolioPage,
);

/// A role as the console's pages name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RoleName {
    Admin,
    Editor,
    Approver,
    ProductManager,
    CreditOfficer,
    RiskAnalyst,
    ServiceAgent,
}

impl RoleName {
    pub const ALL: [RoleName; 7] = [
        RoleName::Admin,
        RoleName::Editor,
        RoleName::Approver,
        RoleName::ProductManager,
        RoleName::CreditOfficer,
        RoleName::RiskAnalyst,
        RoleName::ServiceAgent,
    ];

    pub fn label(self) -> Msg {
        match self {
            RoleName::Admin => Msg::RoleAdmin,
            RoleName::Editor => Msg::RoleEditor,
            RoleName::Approver => Msg::RoleApprover,
            RoleName::ProductManager => Msg::RoleProductManager,
            RoleName::CreditOfficer => Msg::RoleCreditOfficer,
            RoleName::RiskAnalyst => Msg::RoleRiskAnalyst,
            RoleName::ServiceAgent => Msg::RoleServiceAgent,
        }
    }

    /// The form field of its checkbox.
    pub fn field(self) -> &'static str {
        match self {
            RoleName::Admin => "admin",
            RoleName::Editor => "editor",
            RoleName::Approver => "approver",
            RoleName::ProductManager => "product_manager",
            RoleName::CreditOfficer => "credit_officer",
            RoleName::RiskAnalyst => "risk_analyst",
            RoleName::ServiceAgent => "service_agent",
        }
    }
}

#[cfg(feature = "ssr")]
impl From<domain::ops::Role> for RoleName {
    fn from(r: domain::ops::Role) -> Self {
        use domain::ops::Role as R;
        match r {
            R::Admin => RoleName::Admin,
            R::Editor => RoleName::Editor,
            R::Approver => RoleName::Approver,
            R::ProductManager => RoleName::ProductManager,
            R::CreditOfficer => RoleName::CreditOfficer,
            R::RiskAnalyst => RoleName::RiskAnalyst,
            R::ServiceAgent => RoleName::ServiceAgent,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<RoleName> for domain::ops::Role {
    fn from(r: RoleName) -> Self {
        use domain::ops::Role as R;
        match r {
            RoleName::Admin => R::Admin,
            RoleName::Editor => R::Editor,
            RoleName::Approver => R::Approver,
            RoleName::ProductManager => R::ProductManager,
            RoleName::CreditOfficer => R::CreditOfficer,
            RoleName::RiskAnalyst => R::RiskAnalyst,
            RoleName::ServiceAgent => R::ServiceAgent,
        }
    }
}

/// The signed-in staff member as the console's pages show them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Console {
    pub login: String,
    pub name_masked: String,
    pub institution: String,
    pub institution_name: String,
    pub roles: Vec<RoleName>,
    /// The issued password is still in use: only the password page works.
    pub must_change_password: bool,
}

impl Console {
    pub fn is_admin(&self) -> bool {
        !self.must_change_password && self.roles.contains(&RoleName::Admin)
    }

    /// Drafts or reviews content.
    pub fn works_on_content(&self) -> bool {
        !self.must_change_password
            && (self.roles.contains(&RoleName::Editor) || self.roles.contains(&RoleName::Approver))
    }

    pub fn is_product_manager(&self) -> bool {
        !self.must_change_password && self.roles.contains(&RoleName::ProductManager)
    }

    /// Answers customers' feedback: a bank's service agents (the union has no customers of
    /// its own, only the statistics).
    pub fn answers_feedback(&self) -> bool {
        !self.must_change_password
            && self.institution != "P000"
            && self.roles.contains(&RoleName::ServiceAgent)
    }

    /// Decides referred loan applications: a bank's credit officers (loans are the banks').
    pub fn reviews_loans(&self) -> bool {
        !self.must_change_password
            && self.institution != "P000"
            && self.roles.contains(&RoleName::CreditOfficer)
    }

    /// Sees the loan portfolio: credit officers, product managers and administrators, of a
    /// bank (its own) or of the union (every bank's).
    pub fn sees_loan_portfolio(&self) -> bool {
        !self.must_change_password
            && [
                RoleName::CreditOfficer,
                RoleName::ProductManager,
                RoleName::Admin,
            ]
            .iter()
            .any(|r| self.roles.contains(r))
    }

    /// Sees how feedback is kept up with: service agents and administrators.
    pub fn sees_feedback_stats(&self) -> bool {
        !self.must_change_password
            && (self.roles.contains(&RoleName::ServiceAgent)
                || self.roles.contains(&RoleName::Admin))
    }
}

#[server(prefix = "/ops/api", endpoint = "load_console")]
pub async fn load_console() -> Result<Console, AppError> {
    use crate::auth::server::fail;
    let (ctx, s) = server::current_staff().await?;
    let institution = domain::institution::get(&ctx.db, &s.member.institution)
        .await
        .map_err(fail)?;
    Ok(Console {
        login: s.member.login,
        name_masked: s.member.name_masked,
        institution: s.member.institution,
        institution_name: institution.short_name,
        roles: s.member.roles.into_iter().map(RoleName::from).collect(),
        must_change_password: s.member.must_change_password,
    })
}

/// Ends the console session.
#[server(prefix = "/ops/api", endpoint = "ops_sign_out")]
pub async fn ops_sign_out() -> Result<(), AppError> {
    use crate::auth::server::{fail, request_cookie};
    let ctx = crate::server_context()?;
    if let Some(token) = request_cookie(server::OPS_COOKIE) {
        ctx.ops().sign_out(&token).await.map_err(fail)?;
    }
    server::set_ops_cookie(&ctx, None);
    leptos_axum::redirect("/ops/login");
    Ok(())
}
