//! How the domain's errors reach the customer: each refusal its own variant, each invalid
//! input its field, and what is nobody's business (a database error) only in the log.

use super::{AppError, Field};

impl From<domain::Error> for AppError {
    fn from(e: domain::Error) -> Self {
        use domain::money::format_yuan;
        use domain::Refusal as R;
        match e {
            domain::Error::Refused(r) => match r {
                R::RateLimited { retry_after_secs } => AppError::RateLimited { retry_after_secs },
                R::OtpTooSoon { retry_after_secs } => AppError::CodeTooSoon { retry_after_secs },
                R::OtpDailyLimit => AppError::CodeDailyLimit,
                R::OtpStrangerLimit => AppError::CodeStrangerLimit,
                R::OtpExpired => AppError::CodeExpired,
                R::OtpWrong { remaining } => AppError::CodeWrong { remaining },
                R::OtpBindingChanged => AppError::CodeBindingChanged,
                R::BadCredentials { remaining } => AppError::BadCredentials { remaining },
                R::Locked { until } => AppError::Locked { until },
                R::AlreadyRegistered => AppError::AlreadyRegistered,
                R::WeakPassword(_) => AppError::WeakPassword,
                R::TermsNotAccepted => AppError::TermsNotAccepted,
                R::SignedOut => AppError::SignedOut,
                R::InsufficientFunds { available } => AppError::InsufficientFunds {
                    available: format_yuan(available),
                },
                R::OverPerTransferLimit { max } => AppError::OverPerTransferLimit {
                    max: format_yuan(max),
                },
                R::OverDailyLimit { remaining } => AppError::OverDailyLimit {
                    remaining: format_yuan(remaining),
                },
                R::PayeeCannotReceive => AppError::PayeeCannotReceive,
                R::AccountNotUsable => AppError::AccountNotUsable,
                R::PayeeNotFound => AppError::PayeeNotFound,
                R::SameAccount => AppError::SameAccount,
                R::StepUpRequired => AppError::StepUpRequired,
                R::IdempotencyKeyReused => AppError::IdempotencyKeyReused,
                R::BelowMinimum { min } => AppError::BelowMinimum {
                    min: format_yuan(min),
                },
                R::DepositClosed => AppError::DepositClosed,
                R::DepositPledged => AppError::DepositPledged,
                R::PasskeyFailed => AppError::PasskeyFailed,
                R::PasskeyNotRegistered => AppError::PasskeyNotRegistered,
                R::PasskeyAlreadyRegistered => AppError::PasskeyAlreadyRegistered,
                R::PasskeyLimit { max } => AppError::PasskeyLimit { max },
                R::BadBillNumber => AppError::BadBillNumber,
                R::BillNotFound => AppError::BillNotFound,
                R::NothingDue => AppError::NothingDue,
                R::BillAmountFixed { due } => AppError::BillAmountFixed {
                    due: format_yuan(due),
                },
                R::BillAmountOutOfRange { min, max } => AppError::BillAmountOutOfRange {
                    min: format_yuan(min),
                    max: format_yuan(max),
                },
                R::NotADenomination => AppError::NotADenomination,
                R::CardAlreadyActive => AppError::CardAlreadyActive,
                R::CardNotActive => AppError::CardNotActive,
                R::NotInsured => AppError::NotInsured,
                R::CardReportedLost => AppError::CardReportedLost,
                R::CardApplicationPending => AppError::CardApplicationPending,
                R::AutoPayNotAvailable => AppError::AutoPayNotAvailable,
                R::ResetProofWrong => AppError::ResetProofWrong,
                R::StaffSignInFailed { remaining } => AppError::StaffSignInFailed { remaining },
                R::StaffLocked { until } => AppError::StaffLocked { until },
                R::StaffDisabled => AppError::StaffDisabled,
                R::NotPermitted => AppError::NotPermitted,
                R::StaffLoginTaken => AppError::StaffLoginTaken,
                R::RateOutsideBand {
                    floor_bp,
                    ceiling_bp,
                } => AppError::RateOutsideBand {
                    floor: crate::deposits::percent(floor_bp),
                    ceiling: crate::deposits::percent(ceiling_bp),
                },
                R::RateDateInPast => AppError::RateDateInPast,
                R::RateScheduleTaken => AppError::RateScheduleTaken,
                R::BandExcludesRates { banks } => AppError::BandExcludesRates { banks },
                R::ContentNotEditable => AppError::ContentNotEditable,
                R::OwnDraftReview => AppError::OwnDraftReview,
                R::FeedbackTooMany { max } => AppError::FeedbackTooMany { max },
                R::FeedbackAnswered => AppError::FeedbackAnswered,
                R::FeedbackNotRateable => AppError::FeedbackNotRateable,
                R::BureauAuthorizationMissing => AppError::BureauAuthorizationMissing,
                R::LoanApplicationOpen => AppError::LoanApplicationOpen,
                R::OverPledgeValue { max } => AppError::OverPledgeValue {
                    max: format_yuan(max),
                },
                R::LoanStateChanged => AppError::LoanStateChanged,
                R::RepaymentTooLarge { owed } => AppError::RepaymentTooLarge {
                    owed: format_yuan(owed),
                },
                R::OverCreditLimit { available } => AppError::OverCreditLimit {
                    available: format_yuan(available),
                },
                R::CreditLineEnded => AppError::CreditLineEnded,
                R::GuarantorNotFound => AppError::GuarantorNotFound,
                R::GuarantorIsBorrower => AppError::GuarantorIsBorrower,
                R::GuarantorIneligible => AppError::GuarantorIneligible,
                // A terminal's checks: nothing the customer's own pages ask for.
                R::CardCodeInvalid | R::CardCodeExpired => {
                    AppError::BadRequest("e-card code".into())
                }
                R::TooManyHouseholds { max } => AppError::TooManyHouseholds { max },
            },
            domain::Error::Invalid { input, rule } => {
                use domain::Input as I;
                let field = match input {
                    I::Mobile => Field::Mobile,
                    I::ResidentId => Field::ResidentId,
                    I::Name => Field::Name,
                    I::Bank => Field::Bank,
                    I::Card => Field::Card,
                    I::Amount => Field::Amount,
                    I::Memo => Field::Memo,
                    I::PayeeName => Field::PayeeName,
                    I::Alias => Field::Alias,
                    I::HouseholdLabel => Field::HouseholdLabel,
                    I::StaffLogin => Field::StaffLogin,
                    I::Roles => Field::Roles,
                    I::Rate => Field::Rate,
                    I::EffectiveDate => Field::EffectiveDate,
                    I::ProductName => Field::ProductName,
                    I::ContentTitle => Field::ContentTitle,
                    I::ContentBody => Field::ContentBody,
                    I::ContentSchedule => Field::ContentSchedule,
                    I::ContentPlaces => Field::ContentPlaces,
                    I::FeedbackText => Field::FeedbackText,
                    I::ContentImage => Field::ContentImage,
                    I::PensionWage => Field::PensionWage,
                    I::PensionIndex => Field::PensionIndex,
                    I::PensionYears => Field::PensionYears,
                    I::PensionAccount => Field::PensionAccount,
                    I::PensionAge => Field::PensionAge,
                    I::LoanAmount => Field::LoanAmount,
                    I::LoanRate => Field::LoanRate,
                    I::LoanTerm => Field::LoanTerm,
                    I::LoanMethod => Field::LoanMethod,
                    I::LoanPurpose => Field::LoanPurpose,
                    I::CreditCode => Field::CreditCode,
                    // Nothing a customer types (a choice from our own list, an idempotency
                    // key, a passkey answer): the caller's mistake, never a 500. The rule's
                    // words stay in the log.
                    I::Choice | I::Request => {
                        tracing::info!(what = %rule, "invalid input");
                        return AppError::BadRequest("invalid input".into());
                    }
                };
                AppError::Invalid(field)
            }
            domain::Error::NotFound(_) => AppError::NotFound,
            domain::Error::Database(ref inner) => {
                tracing::error!(error = %inner, "database error");
                AppError::Unavailable
            }
            // Retries ran out under contention: nothing was written, trying later works.
            domain::Error::Contended(ref what) => {
                tracing::warn!(what = %what, "contended after retries");
                AppError::Unavailable
            }
            other => {
                tracing::error!(error = %other, "domain error");
                AppError::Internal
            }
        }
    }
}
