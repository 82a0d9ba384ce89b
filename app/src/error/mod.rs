//! The UI layer's one error type, its HTTP status, its customer-facing message, and the one
//! view that shows it.
//!
//! Server functions return `Result<T, AppError>`. Domain errors are mapped here; their details go
//! to the log, never to the customer (no SQL, no stack traces in responses).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

use crate::i18n::{Lang, Msg, Tpl};
use crate::prefs::use_prefs;

/// Why a payment waits for an SMS code (see [`AppError::CodeSent`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CodeWhy {
    /// ¥2,000 and up.
    Amount,
    /// Today's payments without a code reached the allowance.
    EarlierPayments,
    /// A new automatic payment, or a higher monthly cap.
    Mandate,
}

/// A form field whose value was not accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Field {
    Mobile,
    ResidentId,
    Name,
    Bank,
    Code,
    PasswordConfirm,
    /// A card number (length or check digit), or a card of a bank we do not clear with.
    Card,
    Amount,
    Memo,
    /// Another bank's payee needs the name as the bank has it.
    PayeeName,
    Alias,
    PensionWage,
    PensionIndex,
    PensionYears,
    PensionAccount,
    PensionAge,
    HouseholdLabel,
    /// A staff sign-in name (工号).
    StaffLogin,
    /// A staff member's roles.
    Roles,
    /// A new password typed twice differently, or the same as the old one.
    NewPassword,
    /// A rate in per cent, or a band out of order.
    Rate,
    /// The day a rate takes effect.
    EffectiveDate,
    ProductName,
    ContentTitle,
    ContentBody,
    /// A content item's dates (the end before the start, or missing).
    ContentSchedule,
    ContentPlaces,
    /// Feedback's or an answer's words (too short, too long).
    FeedbackText,
    /// A picture for content.
    ContentImage,
    /// A loan's amount, annual rate, term or repayment method.
    LoanAmount,
    LoanRate,
    LoanTerm,
    LoanMethod,
    LoanPurpose,
    /// A business's unified social credit code.
    CreditCode,
}

/// Everything a page or server function can fail with, as the customer should understand it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("unknown edition {0:?}")]
    UnknownEdition(String),
    #[error("unknown language {0:?}")]
    UnknownLanguage(String),
    #[error("unknown city {0:?}")]
    UnknownCity(String),
    /// A field's value is malformed (a mobile number with ten digits, a wrong ID check digit).
    #[error("invalid {0:?}")]
    Invalid(Field),
    /// The password breaks a stated rule.
    #[error("weak password")]
    WeakPassword,
    #[error("terms not accepted")]
    TermsNotAccepted,
    #[error("already registered")]
    AlreadyRegistered,
    #[error("rate limited")]
    RateLimited { retry_after_secs: i64 },
    #[error("code requested too soon")]
    CodeTooSoon { retry_after_secs: i64 },
    #[error("daily code limit")]
    CodeDailyLimit,
    /// Codes asked from browsers the number's owner never proved are used up for today.
    #[error("code limit for unknown browsers")]
    CodeStrangerLimit,
    #[error("code expired")]
    CodeExpired,
    #[error("wrong code")]
    CodeWrong { remaining: i64 },
    #[error("operation changed after the code was sent")]
    CodeBindingChanged,
    #[error("bad credentials")]
    BadCredentials { remaining: i64 },
    /// `until` is a Unix time in milliseconds.
    #[error("locked")]
    Locked { until: i64 },
    /// Not signed in, or the session ended.
    #[error("signed out")]
    SignedOut,
    /// The multi-step flow (code sent, waiting) ended or was never started in this browser.
    #[error("flow expired")]
    FlowExpired,
    #[error("not found")]
    NotFound,
    /// The database or another dependency is down; the request can be retried.
    #[error("service unavailable")]
    Unavailable,
    /// A bug on our side; the log has the details.
    #[error("internal error")]
    Internal,
    /// Amounts arrive formatted (`¥1,234.56`) by the server.
    #[error("insufficient funds")]
    InsufficientFunds { available: String },
    #[error("over the per-transfer limit")]
    OverPerTransferLimit { max: String },
    #[error("over the daily limit")]
    OverDailyLimit { remaining: String },
    #[error("payee cannot receive")]
    PayeeCannotReceive,
    #[error("account not usable")]
    AccountNotUsable,
    #[error("payee not found")]
    PayeeNotFound,
    #[error("same account")]
    SameAccount,
    #[error("step-up code required")]
    StepUpRequired,
    /// The payment needs an SMS code, and one was just sent to `to` (masked): the form asks
    /// for it and is sent again.
    #[error("code sent for the payment")]
    CodeSent { to: String, why: CodeWhy },
    #[error("idempotency key reused")]
    IdempotencyKeyReused,
    /// Below a product's smallest amount (formatted).
    #[error("below the minimum")]
    BelowMinimum { min: String },
    #[error("deposit closed")]
    DepositClosed,
    /// The deposit is pledged for a loan until the loan is repaid.
    #[error("deposit pledged")]
    DepositPledged,
    /// Early withdrawal needs the customer to confirm the lower interest.
    #[error("early withdrawal not confirmed")]
    EarlyWithdrawalNotConfirmed,
    /// The passkey answer did not verify (or the challenge was used or expired).
    #[error("passkey failed")]
    PasskeyFailed,
    #[error("passkey not registered")]
    PasskeyNotRegistered,
    #[error("passkey already registered")]
    PasskeyAlreadyRegistered,
    #[error("passkey limit")]
    PasskeyLimit { max: i64 },
    #[error("bad bill number")]
    BadBillNumber,
    #[error("bill not found")]
    BillNotFound,
    #[error("nothing due")]
    NothingDue,
    /// `due` formatted.
    #[error("bill amount fixed")]
    BillAmountFixed { due: String },
    #[error("bill amount out of range")]
    BillAmountOutOfRange { min: String, max: String },
    #[error("not a denomination")]
    NotADenomination,
    #[error("too many households")]
    TooManyHouseholds { max: i64 },
    #[error("e-card already active")]
    CardAlreadyActive,
    #[error("e-card not active")]
    CardNotActive,
    #[error("not insured")]
    NotInsured,
    #[error("card reported lost")]
    CardReportedLost,
    #[error("card application pending")]
    CardApplicationPending,
    #[error("autopay not available")]
    AutoPayNotAvailable,
    /// A password reset's second proof did not match.
    #[error("reset proof wrong")]
    ResetProofWrong,
    /// Staff sign-in: login, password or authenticator code wrong (not said which).
    #[error("staff sign-in failed")]
    StaffSignInFailed { remaining: i64 },
    /// `until` is a Unix time in milliseconds.
    #[error("staff login locked")]
    StaffLocked { until: i64 },
    #[error("staff member disabled")]
    StaffDisabled,
    /// The staff member's roles do not allow this.
    #[error("not permitted")]
    NotPermitted,
    #[error("staff login taken")]
    StaffLoginTaken,
    /// Rates as `1.05%`.
    #[error("rate outside the band")]
    RateOutsideBand { floor: String, ceiling: String },
    #[error("rate date in the past")]
    RateDateInPast,
    #[error("rate schedule taken")]
    RateScheduleTaken,
    #[error("band excludes banks' rates")]
    BandExcludesRates { banks: i64 },
    #[error("content not editable")]
    ContentNotEditable,
    #[error("own draft review")]
    OwnDraftReview,
    #[error("too much feedback waiting")]
    FeedbackTooMany { max: i64 },
    #[error("feedback answered already")]
    FeedbackAnswered,
    #[error("feedback not rateable")]
    FeedbackNotRateable,
    #[error("bureau authorization missing")]
    BureauAuthorizationMissing,
    #[error("loan application open")]
    LoanApplicationOpen,
    /// The most a pledge loan may be (formatted).
    #[error("over the pledge value")]
    OverPledgeValue { max: String },
    #[error("loan state changed")]
    LoanStateChanged,
    /// What is owed (formatted).
    #[error("repayment too large")]
    RepaymentTooLarge { owed: String },
    /// What is left of the credit line (formatted).
    #[error("over the credit limit")]
    OverCreditLimit { available: String },
    #[error("credit line ended")]
    CreditLineEnded,
    #[error("guarantor not found")]
    GuarantorNotFound,
    #[error("guarantor is the borrower")]
    GuarantorIsBorrower,
    #[error("guarantor ineligible")]
    GuarantorIneligible,
    /// The customer cancelled the device's prompt or let it time out (browser side).
    #[error("passkey cancelled")]
    PasskeyCancelled,
    /// No WebAuthn here: an old browser, or an address passkeys are not bound to (browser side).
    #[error("passkey unsupported")]
    PasskeyUnsupported,
    /// The call never reached the server or its answer could not be read (client side).
    #[error("transport: {0}")]
    Transport(String),
    /// The request's arguments were missing or malformed (not something a form of ours sends).
    #[error("bad request: {0}")]
    BadRequest(String),
}

impl AppError {
    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        use AppError::*;
        match self {
            UnknownEdition(_)
            | UnknownLanguage(_)
            | UnknownCity(_)
            | Invalid(_)
            | WeakPassword
            | TermsNotAccepted
            | CodeExpired
            | CodeWrong { .. }
            | CodeBindingChanged
            | FlowExpired
            | PasskeyFailed
            | PasskeyCancelled
            | PasskeyUnsupported
            | BadRequest(_) => 400,
            PasskeyNotRegistered => 404,
            BadBillNumber => 400,
            BillNotFound => 404,
            NothingDue
            | BillAmountFixed { .. }
            | BillAmountOutOfRange { .. }
            | NotADenomination
            | TooManyHouseholds { .. } => 422,
            CardAlreadyActive => 409,
            CardNotActive => 404,
            NotInsured | CardReportedLost => 422,
            CardApplicationPending => 409,
            AutoPayNotAvailable => 422,
            ResetProofWrong => 400,
            StaffSignInFailed { .. } => 401,
            StaffLocked { .. } => 423,
            StaffDisabled | NotPermitted => 403,
            StaffLoginTaken => 409,
            RateOutsideBand { .. } | RateDateInPast => 422,
            RateScheduleTaken | BandExcludesRates { .. } | ContentNotEditable => 409,
            OwnDraftReview => 403,
            FeedbackTooMany { .. } => 422,
            FeedbackAnswered | FeedbackNotRateable => 409,
            LoanApplicationOpen | LoanStateChanged => 409,
            BureauAuthorizationMissing
            | OverPledgeValue { .. }
            | RepaymentTooLarge { .. }
            | OverCreditLimit { .. }
            | CreditLineEnded
            | GuarantorNotFound
            | GuarantorIsBorrower
            | GuarantorIneligible => 422,
            PasskeyAlreadyRegistered => 409,
            PasskeyLimit { .. } => 422,
            BadCredentials { .. } | SignedOut => 401,
            Locked { .. } => 423,
            AlreadyRegistered => 409,
            RateLimited { .. } | CodeTooSoon { .. } | CodeDailyLimit | CodeStrangerLimit => 429,
            NotFound => 404,
            InsufficientFunds { .. }
            | OverPerTransferLimit { .. }
            | OverDailyLimit { .. }
            | PayeeCannotReceive
            | AccountNotUsable
            | PayeeNotFound
            | SameAccount
            | StepUpRequired
            | CodeSent { .. }
            | BelowMinimum { .. }
            | DepositClosed
            | DepositPledged
            | EarlyWithdrawalNotConfirmed => 422,
            IdempotencyKeyReused => 409,
            Unavailable => 503,
            Transport(_) => 502,
            Internal => 500,
        }
    }

    /// What the customer reads, in their language.
    pub fn text(&self, lang: Lang) -> String {
        use AppError::*;
        let msg = |m: Msg| lang.t(m).to_string();
        let fill = |t: Tpl, args: &[(&str, &str)]| t.fill(lang, args);
        match self {
            UnknownEdition(_) => msg(Msg::ErrorUnknownEdition),
            UnknownLanguage(_) => msg(Msg::ErrorUnknownLanguage),
            UnknownCity(_) => msg(Msg::ErrorUnknownCity),
            Invalid(field) => msg(match field {
                Field::Mobile => Msg::ErrorInvalidMobile,
                Field::ResidentId => Msg::ErrorInvalidResidentId,
                Field::Name => Msg::ErrorInvalidName,
                Field::Bank => Msg::ErrorInvalidBank,
                Field::Code => Msg::ErrorInvalidCode,
                Field::PasswordConfirm => Msg::ErrorPasswordMismatch,
                Field::Card => Msg::ErrorInvalidCard,
                Field::Amount => Msg::ErrorInvalidAmount,
                Field::Memo => Msg::ErrorInvalidMemo,
                Field::PayeeName => Msg::ErrorPayeeNameNeeded,
                Field::Alias => Msg::ErrorInvalidAlias,
                Field::PensionWage => Msg::ErrorPensionWage,
                Field::PensionIndex => Msg::ErrorPensionIndex,
                Field::PensionYears => Msg::ErrorPensionYears,
                Field::PensionAccount => Msg::ErrorPensionAccount,
                Field::PensionAge => Msg::ErrorPensionAge,
                Field::HouseholdLabel => Msg::ErrorHouseholdLabel,
                Field::StaffLogin => Msg::ErrorStaffLogin,
                Field::Roles => Msg::ErrorRoles,
                Field::NewPassword => Msg::ErrorNewPassword,
                Field::Rate => Msg::ErrorRate,
                Field::EffectiveDate => Msg::ErrorEffectiveDate,
                Field::ProductName => Msg::ErrorProductName,
                Field::ContentTitle => Msg::ErrorContentTitle,
                Field::ContentBody => Msg::ErrorContentBody,
                Field::FeedbackText => Msg::ErrorFeedbackText,
                Field::ContentImage => Msg::OpsImageNotImage,
                Field::ContentSchedule => Msg::ErrorContentSchedule,
                Field::ContentPlaces => Msg::ErrorContentPlaces,
                Field::LoanAmount => Msg::ErrorLoanAmount,
                Field::LoanRate => Msg::ErrorLoanRate,
                Field::LoanTerm => Msg::ErrorLoanTerm,
                Field::LoanMethod => Msg::ErrorLoanMethod,
                Field::LoanPurpose => Msg::ErrorLoanPurpose,
                Field::CreditCode => Msg::ErrorCreditCode,
            }),
            InsufficientFunds { available } => {
                fill(Tpl::InsufficientFunds, &[("available", available)])
            }
            OverPerTransferLimit { max } => fill(Tpl::OverPerTransferLimit, &[("max", max)]),
            OverDailyLimit { remaining } => fill(Tpl::OverDailyLimit, &[("remaining", remaining)]),
            PayeeCannotReceive => msg(Msg::ErrorPayeeCannotReceive),
            AccountNotUsable => msg(Msg::ErrorAccountNotUsable),
            PayeeNotFound => msg(Msg::ErrorPayeeNotFound),
            SameAccount => msg(Msg::ErrorSameAccount),
            StepUpRequired => msg(Msg::ErrorStepUpRequired),
            CodeSent { to, why } => {
                let template = match why {
                    CodeWhy::Amount => Tpl::CodeSentForAmount,
                    CodeWhy::EarlierPayments => Tpl::CodeSentForEarlierPayments,
                    CodeWhy::Mandate => Tpl::CodeSentForMandate,
                };
                fill(template, &[("to", to)])
            }
            PasskeyFailed => msg(Msg::ErrorPasskeyFailed),
            PasskeyNotRegistered => msg(Msg::ErrorPasskeyNotRegistered),
            PasskeyAlreadyRegistered => msg(Msg::ErrorPasskeyAlreadyRegistered),
            PasskeyCancelled => msg(Msg::ErrorPasskeyCancelled),
            BadBillNumber => msg(Msg::ErrorBadBillNumber),
            BillNotFound => msg(Msg::ErrorBillNotFound),
            NothingDue => msg(Msg::ErrorNothingDue),
            NotADenomination => msg(Msg::ErrorNotADenomination),
            CardAlreadyActive => msg(Msg::ErrorCardAlreadyActive),
            CardNotActive => msg(Msg::ErrorCardNotActive),
            NotInsured => msg(Msg::ErrorNotInsured),
            CardReportedLost => msg(Msg::ErrorCardReportedLost),
            CardApplicationPending => msg(Msg::ErrorCardApplicationPending),
            AutoPayNotAvailable => msg(Msg::ErrorAutoPayNotAvailable),
            ResetProofWrong => msg(Msg::ErrorResetProofWrong),
            StaffSignInFailed { remaining } => fill(
                Tpl::StaffSignInFailed,
                &[("remaining", &remaining.to_string())],
            ),
            StaffLocked { until } => fill(Tpl::StaffLocked, &[("time", &beijing_time(*until))]),
            StaffDisabled => msg(Msg::ErrorStaffDisabled),
            NotPermitted => msg(Msg::ErrorNotPermitted),
            StaffLoginTaken => msg(Msg::ErrorStaffLoginTaken),
            RateOutsideBand { floor, ceiling } => fill(
                Tpl::RateOutsideBand,
                &[("floor", floor), ("ceiling", ceiling)],
            ),
            RateDateInPast => msg(Msg::ErrorRateDateInPast),
            RateScheduleTaken => msg(Msg::ErrorRateScheduleTaken),
            ContentNotEditable => msg(Msg::ErrorContentNotEditable),
            OwnDraftReview => msg(Msg::ErrorOwnDraftReview),
            FeedbackTooMany { max } => fill(Tpl::FeedbackTooMany, &[("max", &max.to_string())]),
            FeedbackAnswered => msg(Msg::ErrorFeedbackAnswered),
            FeedbackNotRateable => msg(Msg::ErrorFeedbackNotRateable),
            BureauAuthorizationMissing => msg(Msg::ErrorBureauAuthorizationMissing),
            LoanApplicationOpen => msg(Msg::ErrorLoanApplicationOpen),
            OverPledgeValue { max } => fill(Tpl::OverPledgeValue, &[("max", max)]),
            LoanStateChanged => msg(Msg::ErrorLoanStateChanged),
            RepaymentTooLarge { owed } => fill(Tpl::RepaymentTooLarge, &[("owed", owed)]),
            OverCreditLimit { available } => {
                fill(Tpl::OverCreditLimit, &[("available", available)])
            }
            CreditLineEnded => msg(Msg::ErrorCreditLineEnded),
            GuarantorNotFound => msg(Msg::ErrorGuarantorNotFound),
            GuarantorIsBorrower => msg(Msg::ErrorGuarantorIsBorrower),
            GuarantorIneligible => msg(Msg::ErrorGuarantorIneligible),
            BandExcludesRates { banks } => {
                fill(Tpl::BandExcludesRates, &[("banks", &banks.to_string())])
            }
            TooManyHouseholds { max } => fill(Tpl::TooManyHouseholds, &[("max", &max.to_string())]),
            BillAmountFixed { due } => fill(Tpl::BillAmountFixed, &[("due", due)]),
            BillAmountOutOfRange { min, max } => {
                fill(Tpl::BillAmountOutOfRange, &[("min", min), ("max", max)])
            }
            PasskeyUnsupported => msg(Msg::ErrorPasskeyUnsupported),
            PasskeyLimit { max } => fill(Tpl::PasskeyLimit, &[("max", &max.to_string())]),
            IdempotencyKeyReused => msg(Msg::ErrorIdempotencyKeyReused),
            BelowMinimum { min } => fill(Tpl::BelowMinimum, &[("min", min)]),
            DepositClosed => msg(Msg::ErrorDepositClosed),
            DepositPledged => msg(Msg::ErrorDepositPledged),
            EarlyWithdrawalNotConfirmed => msg(Msg::ErrorEarlyWithdrawalNotConfirmed),
            WeakPassword => msg(Msg::ErrorWeakPassword),
            TermsNotAccepted => msg(Msg::ErrorTermsNotAccepted),
            AlreadyRegistered => msg(Msg::ErrorAlreadyRegistered),
            RateLimited { retry_after_secs } => {
                let secs = *retry_after_secs;
                if secs >= 120 {
                    let minutes = ((secs + 59) / 60).to_string();
                    fill(Tpl::RateLimitedMinutes, &[("minutes", &minutes)])
                } else {
                    fill(Tpl::RateLimitedSeconds, &[("seconds", &secs.to_string())])
                }
            }
            CodeTooSoon { retry_after_secs } => fill(
                Tpl::CodeTooSoon,
                &[("seconds", &retry_after_secs.to_string())],
            ),
            CodeDailyLimit => msg(Msg::ErrorCodeDailyLimit),
            CodeStrangerLimit => msg(Msg::ErrorCodeStrangerLimit),
            CodeExpired => msg(Msg::ErrorCodeExpired),
            CodeWrong { remaining } => {
                fill(Tpl::CodeWrong, &[("remaining", &remaining.to_string())])
            }
            CodeBindingChanged => msg(Msg::ErrorCodeBindingChanged),
            BadCredentials { remaining } => fill(
                Tpl::BadCredentials,
                &[("remaining", &remaining.to_string())],
            ),
            Locked { until } => fill(Tpl::Locked, &[("time", &beijing_time(*until))]),
            SignedOut => msg(Msg::ErrorSignedOut),
            FlowExpired => msg(Msg::ErrorFlowExpired),
            NotFound => msg(Msg::ErrorNotFound),
            Unavailable => msg(Msg::ErrorUnavailable),
            Transport(_) => msg(Msg::ErrorNetwork),
            BadRequest(_) => msg(Msg::ErrorBadRequest),
            Internal => msg(Msg::ErrorInternal),
        }
    }
}

/// `HH:MM` (and the date when it is not today) in Beijing time from Unix milliseconds.
pub fn beijing_time(millis: i64) -> String {
    let local = millis + 8 * 3_600_000;
    let minutes = local.div_euclid(60_000);
    let (h, m) = (
        minutes.div_euclid(60).rem_euclid(24),
        minutes.rem_euclid(60),
    );
    format!("{h:02}:{m:02}")
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The arguments did not parse: the request was malformed, not our fault, but there
            // is no field to point at. Report it as a transport problem to the customer.
            ServerFnErrorErr::Args(e) | ServerFnErrorErr::MissingArg(e) => AppError::BadRequest(e),
            ServerFnErrorErr::Request(e) => AppError::Transport(e),
            other => AppError::Transport(other.to_string()),
        }
    }
}

/// Server side: sets the response status for an error before a server function returns it.
///
/// A plain HTML form post (no WASM yet) must keep the framework's redirect back to the form,
/// which carries the error in the URL; only calls from the running app get the status.
#[cfg(feature = "ssr")]
pub fn respond(err: AppError) -> AppError {
    use http::header::ACCEPT;
    let is_form_post = use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.contains("text/html"))
        })
        .unwrap_or(false);
    if !is_form_post {
        if let (Some(res), Ok(status)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            http::StatusCode::from_u16(err.status()),
        ) {
            res.set_status(status);
        }
    }
    err
}

/// An error message inside a page: a form's refusal, a list that could not load.
#[component]
pub fn ErrorMessage(error: AppError) -> impl IntoView {
    let prefs = use_prefs();
    view! {
        <p role="alert" class="rounded-lg border-2 border-danger bg-danger-soft px-4 py-3 text-danger">
            {move || error.text(prefs.lang.get())}
        </p>
    }
}

/// The whole-page error view: 404 and every failure that stops a page from rendering.
#[component]
pub fn ErrorPage(error: AppError) -> impl IntoView {
    let prefs = use_prefs();
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(status) = http::StatusCode::from_u16(error.status()) {
            res.set_status(status);
        }
    }
    let title = if error == AppError::NotFound {
        Msg::ErrorNotFoundTitle
    } else {
        Msg::ErrorTitle
    };
    let code = error.status();
    view! {
        <section class="mx-auto max-w-xl px-4 py-10 text-center" aria-labelledby="error-title">
            <p class="text-5xl font-bold text-brand" aria-hidden="true">{code}</p>
            <h1 id="error-title" class="mt-4 text-2xl font-bold">{move || prefs.t(title)}</h1>
            <p class="mt-3 text-muted">{move || error.text(prefs.lang.get())}</p>
            <a href="/" class="btn-primary mt-8">{move || prefs.t(Msg::BackHome)}</a>
        </section>
    }
}

/// The router's fallback.
#[component]
pub fn NotFound() -> impl IntoView {
    view! { <ErrorPage error=AppError::NotFound/> }
}

/// The live region under a form: "saving…", then what was saved or why it was refused.
#[component]
pub fn SaveStatus<S>(
    /// The form's server action.
    action: ServerAction<S>,
    /// Said when the last call succeeded.
    saved: Msg,
) -> impl IntoView
where
    S: server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let prefs = use_prefs();
    let pending = action.pending();
    let outcome = action.value();
    view! {
        <div aria-live="polite" class="mt-3 min-h-6">
            {move || match (pending.get(), outcome.get()) {
                (true, _) => Some(view! { <p>{prefs.t(Msg::Saving)}</p> }.into_any()),
                (false, Some(Ok(_))) => Some(view! { <p class="font-semibold text-success">{prefs.t(saved)}</p> }.into_any()),
                (false, Some(Err(e))) => Some(view! { <ErrorMessage error=e/> }.into_any()),
                (false, None) => None,
            }}
        </div>
    }
}

#[cfg(feature = "ssr")]
mod from_domain;
#[cfg(test)]
mod tests;
