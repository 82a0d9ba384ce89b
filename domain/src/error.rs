//! The domain's one error type. The `app` layer maps each variant to an HTTP status and a
//! customer-facing message; nothing here is shown to a customer verbatim.

/// Everything the domain can refuse or fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The caller asked for something that does not exist (a bank code, an account …).
    #[error("not found: {0}")]
    NotFound(String),
    /// The input broke a rule: `input` says which piece (the UI shows its message by that
    /// field), `rule` names the rule in plain words for logs and is never shown.
    #[error("invalid {input:?}: {rule}")]
    Invalid { input: Input, rule: String },
    /// A broken invariant or stored data that cannot be read back: a defect, never the
    /// customer's doing.
    #[error("internal: {0}")]
    Internal(String),
    /// A rule of the bank refused the request; the customer is told which and what to do.
    #[error("refused: {0:?}")]
    Refused(Refusal),
    /// Configuration that cannot work (bad database URL, missing key …).
    #[error("configuration: {0}")]
    Config(String),
    /// The database failed; retried where the error is transient before it reaches here.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// A compare-and-set write found a row changed since it was read; the work is retried from
    /// a fresh read and only surfaces when retries run out.
    #[error("contended: {0}")]
    Contended(String),
    /// Schema migration failed at start.
    #[error("migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Which piece of a request broke a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    Mobile,
    ResidentId,
    Name,
    Bank,
    /// A card number: its length, its check digit, or a bank we do not clear with.
    Card,
    Amount,
    Memo,
    /// Another bank's payee needs the name as that bank has it.
    PayeeName,
    Alias,
    HouseholdLabel,
    /// Something picked from a list the form offers (a product, a city, a bill kind, a month):
    /// only a forged or stale request gets it wrong.
    Choice,
    /// A staff sign-in name (工号): lower-case letters, digits, dots, hyphens.
    StaffLogin,
    /// A staff member's roles: at least one, each one the console knows.
    Roles,
    /// A rate as staff type it (per cent, two decimals), or a band out of order.
    Rate,
    /// The pension estimate's figures: the average wage, the contribution index, the years
    /// contributed, the personal account's balance, the retirement age.
    PensionWage,
    PensionIndex,
    PensionYears,
    PensionAccount,
    PensionAge,
    /// A loan's amount outside what the product (or the calculator) lends.
    LoanAmount,
    /// A loan's annual rate outside 0 to 20 % (or the product's band).
    LoanRate,
    /// A loan's term in months: one the product (or the calculator) offers.
    LoanTerm,
    /// A repayment method the product (or the calculator) offers.
    LoanMethod,
    /// A purpose the product lends for.
    LoanPurpose,
    /// A business's unified social credit code (统一社会信用代码): 18 characters, its check
    /// character right.
    CreditCode,
    /// A day a rate takes effect from.
    EffectiveDate,
    /// A product's name (2 to 40 characters).
    ProductName,
    /// A content item's title, body, schedule (end after start) or places.
    ContentTitle,
    ContentBody,
    ContentSchedule,
    ContentPlaces,
    /// Feedback's or a reply's text (5 to 500 characters; a reply 2 to 1,000), or the page it
    /// was sent from.
    FeedbackText,
    /// A picture for content: JPEG, PNG, GIF or WebP, up to 5 MiB and 8000 × 8000 pixels.
    ContentImage,
    /// The request as a whole (an idempotency key, a passkey answer, a reference), not any
    /// field a customer types.
    Request,
}

impl Error {
    /// Invalid input: which piece, and the rule it broke (for logs).
    pub fn invalid(input: Input, rule: String) -> Self {
        Error::Invalid { input, rule }
    }
}

impl Error {
    /// Whether trying the same work again can succeed: a busy database, a serialization
    /// failure or deadlock, or a compare-and-set that lost a race.
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Database(e) => crate::db::is_retryable(e),
            Error::Contended(_) => true,
            _ => false,
        }
    }
}

/// Why the bank said no, with what the customer needs to know (tries left, when to retry).
/// Durations are in seconds, rounded up.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Refusal {
    /// Too many requests from this address or for this number; try again later.
    RateLimited { retry_after_secs: i64 },
    /// A new code can be requested only a minute after the last one.
    OtpTooSoon { retry_after_secs: i64 },
    /// At most ten codes a day per number and purpose.
    OtpDailyLimit,
    /// Codes for this number asked from browsers its owner never proved are used up for
    /// today: the owner can still ask from a browser they use, or tomorrow.
    OtpStrangerLimit,
    /// No valid code: never sent, expired, already used, or too many wrong tries.
    OtpExpired,
    /// The code is wrong; `remaining` tries before it is void.
    OtpWrong { remaining: i64 },
    /// The operation changed (amount, payee) after the code was sent: dynamic linking.
    OtpBindingChanged,
    /// Wrong mobile number or password; `remaining` tries before the account locks.
    BadCredentials { remaining: i64 },
    /// Locked after repeated failures, until the given time; unlock by SMS-verified reset.
    Locked { until: i64 },
    /// The mobile number or resident ID is already registered.
    AlreadyRegistered,
    /// The password breaks a stated rule.
    WeakPassword(String),
    /// The terms were not accepted.
    TermsNotAccepted,
    /// Not signed in, or the session ended (idle timeout, sign-out, revoked).
    SignedOut,
    /// The debit would take the account below zero; `available` is what can be spent.
    InsufficientFunds { available: i64 },
    /// More than one transfer may move under the account's class.
    OverPerTransferLimit { max: i64 },
    /// Today's outflow limit would be exceeded; `remaining` may still leave today.
    OverDailyLimit { remaining: i64 },
    /// The receiving account cannot take the amount (closed, or a Ⅱ类户 at its balance cap).
    PayeeCannotReceive,
    /// The paying account is closed or frozen.
    AccountNotUsable,
    /// No account of our network has this card number or registered mobile number.
    PayeeNotFound,
    /// Paying and receiving account are the same.
    SameAccount,
    /// The amount needs an SMS code bound to it (step-up) before it can be sent.
    StepUpRequired,
    /// The idempotency key was used before for a different transfer.
    IdempotencyKeyReused,
    /// Below the product's smallest amount (fen).
    BelowMinimum { min: i64 },
    /// The deposit was already paid out or withdrawn.
    DepositClosed,
    /// The deposit is pledged for a loan: it stays until the loan is repaid.
    DepositPledged,
    /// The passkey answer did not verify: cancelled, timed out, answered twice, another site's
    /// passkey, or the device did not check the fingerprint or face.
    PasskeyFailed,
    /// The passkey the device offered is not (or no longer) registered with us, or the customer
    /// has none for a step-up.
    PasskeyNotRegistered,
    /// This authenticator is already registered (to this or another customer).
    PasskeyAlreadyRegistered,
    /// At most `max` passkeys per customer.
    PasskeyLimit { max: i64 },
    /// The household, card or notice number is malformed for this kind of bill.
    BadBillNumber,
    /// The biller has no such number.
    BillNotFound,
    /// Nothing is owed on this bill now.
    NothingDue,
    /// This kind of bill is paid in full: exactly `due`.
    BillAmountFixed { due: i64 },
    /// A partial payment must be between `min` and `max`.
    BillAmountOutOfRange { min: i64, max: i64 },
    /// A top-up comes in fixed amounts only.
    NotADenomination,
    /// At most `max` saved household numbers.
    TooManyHouseholds { max: i64 },
    /// This electronic card is already signed up in this app.
    CardAlreadyActive,
    /// No electronic card of this kind is signed up (or it was unbound).
    CardNotActive,
    /// The bureau has no insurance record for this person.
    NotInsured,
    /// The person's physical social-security card is reported lost: no e-card until it is
    /// replaced.
    CardReportedLost,
    /// A scanned code is not one the bureau signed (altered, forged or malformed).
    CardCodeInvalid,
    /// A scanned code's minute is over.
    CardCodeExpired,
    /// A card was applied for this person less than a month ago.
    CardApplicationPending,
    /// Automatic payment is for bills with an amount, not top-ups or yearly grades.
    AutoPayNotAvailable,
    /// A password reset's second proof (the last four digits of one of the customer's cards,
    /// or the resident ID) does not match.
    ResetProofWrong,
    /// Staff sign-in: the login, password or authenticator code is wrong (which is not said);
    /// `remaining` tries before the login locks.
    StaffSignInFailed { remaining: i64 },
    /// The staff login is locked after repeated failures until the given time.
    StaffLocked { until: i64 },
    /// The staff member was disabled by an administrator of their institution.
    StaffDisabled,
    /// The staff member's roles do not allow this (or their issued password is not yet
    /// changed).
    NotPermitted,
    /// Another staff member already signs in with this login.
    StaffLoginTaken,
    /// A bank's rate must keep to the province's band (basis points).
    RateOutsideBand { floor_bp: i64, ceiling_bp: i64 },
    /// A rate change takes effect today or later, never in the past.
    RateDateInPast,
    /// The product already has a rate from that day (withdraw it first if it is still to come).
    RateScheduleTaken,
    /// A new band would leave some banks' rates outside it; they change theirs first.
    BandExcludesRates { banks: i64 },
    /// The content item is no longer in the state the action needs (published meanwhile,
    /// already reviewed, not submitted).
    ContentNotEditable,
    /// Maker–checker: the one who drafted an item does not review it.
    OwnDraftReview,
    /// At most `max` pieces of feedback waiting for an answer per customer.
    FeedbackTooMany { max: i64 },
    /// The feedback was answered already (by another agent, or the page was stale).
    FeedbackAnswered,
    /// Only an answer not yet rated can be rated.
    FeedbackNotRateable,
    /// A loan application needs the customer's authorization to ask the credit bureau (and
    /// for 税e贷 the tax bureau).
    BureauAuthorizationMissing,
    /// An application or offer for this loan product is waiting, or the customer's credit
    /// line of it is open.
    LoanApplicationOpen,
    /// A pledge loan may be at most `max` fen (the product's share of the deposit).
    OverPledgeValue { max: i64 },
    /// The loan is no longer in the state the action needs (signed already, repaid, declined).
    LoanStateChanged,
    /// More than is owed (`owed`, fen) cannot be repaid.
    RepaymentTooLarge { owed: i64 },
    /// A draw above what is left of the credit line (`available`, fen).
    OverCreditLimit { available: i64 },
    /// The credit line's term is over: no more draws.
    CreditLineEnded,
    /// No customer of the province's banks uses the guarantor's mobile number for mobile
    /// banking (they register first).
    GuarantorNotFound,
    /// The borrower cannot guarantee their own loan.
    GuarantorIsBorrower,
    /// The guarantor's credit report stops them guaranteeing (the loan is declined).
    GuarantorIneligible,
}

impl From<Refusal> for Error {
    fn from(r: Refusal) -> Self {
        Error::Refused(r)
    }
}

/// Seconds, rounded up, for "try again in N seconds".
pub fn secs_ceil(millis: i64) -> i64 {
    (millis.max(0) + 999) / 1000
}
