//! Every refusal reads as a sentence in both languages.

use super::*;

/// The variant's place in the enum: a new refusal does not compile here until it is
/// numbered, and then fails the test below until it has a sample.
fn variant(e: &AppError) -> usize {
    use AppError::*;
    match e {
        UnknownEdition(_) => 0,
        UnknownLanguage(_) => 1,
        UnknownCity(_) => 2,
        Invalid(_) => 3,
        WeakPassword => 4,
        TermsNotAccepted => 5,
        AlreadyRegistered => 6,
        RateLimited { .. } => 7,
        CodeTooSoon { .. } => 8,
        CodeDailyLimit => 9,
        CodeStrangerLimit => 10,
        CodeExpired => 11,
        CodeWrong { .. } => 12,
        CodeBindingChanged => 13,
        BadCredentials { .. } => 14,
        Locked { .. } => 15,
        SignedOut => 16,
        FlowExpired => 17,
        NotFound => 18,
        Unavailable => 19,
        Internal => 20,
        InsufficientFunds { .. } => 21,
        OverPerTransferLimit { .. } => 22,
        OverDailyLimit { .. } => 23,
        PayeeCannotReceive => 24,
        AccountNotUsable => 25,
        PayeeNotFound => 26,
        SameAccount => 27,
        StepUpRequired => 28,
        CodeSent { .. } => 29,
        IdempotencyKeyReused => 30,
        BelowMinimum { .. } => 31,
        DepositClosed => 32,
        EarlyWithdrawalNotConfirmed => 33,
        PasskeyFailed => 34,
        PasskeyNotRegistered => 35,
        PasskeyAlreadyRegistered => 36,
        PasskeyLimit { .. } => 37,
        BadBillNumber => 38,
        BillNotFound => 39,
        NothingDue => 40,
        BillAmountFixed { .. } => 41,
        BillAmountOutOfRange { .. } => 42,
        NotADenomination => 43,
        TooManyHouseholds { .. } => 44,
        CardAlreadyActive => 45,
        CardNotActive => 46,
        NotInsured => 47,
        CardReportedLost => 48,
        CardApplicationPending => 49,
        AutoPayNotAvailable => 50,
        ResetProofWrong => 51,
        PasskeyCancelled => 52,
        PasskeyUnsupported => 53,
        Transport(_) => 54,
        BadRequest(_) => 55,
        StaffSignInFailed { .. } => 56,
        StaffLocked { .. } => 57,
        StaffDisabled => 58,
        NotPermitted => 59,
        StaffLoginTaken => 60,
        RateOutsideBand { .. } => 61,
        RateDateInPast => 62,
        RateScheduleTaken => 63,
        BandExcludesRates { .. } => 64,
        ContentNotEditable => 65,
        OwnDraftReview => 66,
        FeedbackTooMany { .. } => 67,
        FeedbackAnswered => 68,
        FeedbackNotRateable => 69,
        DepositPledged => 70,
        BureauAuthorizationMissing => 71,
        LoanApplicationOpen => 72,
        OverPledgeValue { .. } => 73,
        LoanStateChanged => 74,
        RepaymentTooLarge { .. } => 75,
        OverCreditLimit { .. } => 76,
        CreditLineEnded => 77,
        GuarantorNotFound => 78,
        GuarantorIsBorrower => 79,
        GuarantorIneligible => 80,
    }
}

fn samples() -> Vec<AppError> {
    use AppError::*;
    let mut all = vec![
        UnknownEdition("x".into()),
        UnknownLanguage("x".into()),
        UnknownCity("x".into()),
        Invalid(Field::Mobile),
        WeakPassword,
        TermsNotAccepted,
        AlreadyRegistered,
        RateLimited {
            retry_after_secs: 30,
        },
        CodeTooSoon {
            retry_after_secs: 42,
        },
        CodeDailyLimit,
        CodeStrangerLimit,
        CodeExpired,
        CodeWrong { remaining: 3 },
        CodeBindingChanged,
        BadCredentials { remaining: 2 },
        Locked {
            until: 1_800_000_000_000,
        },
        SignedOut,
        FlowExpired,
        NotFound,
        Unavailable,
        Internal,
        InsufficientFunds {
            available: "¥1.00".into(),
        },
        OverPerTransferLimit {
            max: "¥5.00".into(),
        },
        OverDailyLimit {
            remaining: "¥6.00".into(),
        },
        PayeeCannotReceive,
        AccountNotUsable,
        PayeeNotFound,
        SameAccount,
        StepUpRequired,
        CodeSent {
            to: "138****0000".into(),
            why: CodeWhy::Amount,
        },
        CodeSent {
            to: "138****0000".into(),
            why: CodeWhy::EarlierPayments,
        },
        CodeSent {
            to: "138****0000".into(),
            why: CodeWhy::Mandate,
        },
        IdempotencyKeyReused,
        BelowMinimum {
            min: "¥50.00".into(),
        },
        DepositClosed,
        EarlyWithdrawalNotConfirmed,
        PasskeyFailed,
        PasskeyNotRegistered,
        PasskeyAlreadyRegistered,
        PasskeyLimit { max: 5 },
        BadBillNumber,
        BillNotFound,
        NothingDue,
        BillAmountFixed {
            due: "¥7.00".into(),
        },
        BillAmountOutOfRange {
            min: "¥1.00".into(),
            max: "¥9.00".into(),
        },
        NotADenomination,
        TooManyHouseholds { max: 20 },
        CardAlreadyActive,
        CardNotActive,
        NotInsured,
        CardReportedLost,
        CardApplicationPending,
        AutoPayNotAvailable,
        ResetProofWrong,
        PasskeyCancelled,
        PasskeyUnsupported,
        Transport("x".into()),
        BadRequest("x".into()),
        StaffSignInFailed { remaining: 3 },
        StaffLocked {
            until: 1_800_000_000_000,
        },
        StaffDisabled,
        NotPermitted,
        StaffLoginTaken,
        RateOutsideBand {
            floor: "1.05%".into(),
            ceiling: "1.85%".into(),
        },
        RateDateInPast,
        RateScheduleTaken,
        BandExcludesRates { banks: 2 },
        ContentNotEditable,
        OwnDraftReview,
        FeedbackTooMany { max: 5 },
        FeedbackAnswered,
        FeedbackNotRateable,
        DepositPledged,
        BureauAuthorizationMissing,
        LoanApplicationOpen,
        OverPledgeValue {
            max: "¥45,000.00".into(),
        },
        LoanStateChanged,
        RepaymentTooLarge {
            owed: "¥1,000.00".into(),
        },
        OverCreditLimit {
            available: "¥20,000.00".into(),
        },
        CreditLineEnded,
        GuarantorNotFound,
        GuarantorIsBorrower,
        GuarantorIneligible,
    ];
    all.extend(FIELDS.iter().map(|f| Invalid(*f)));
    all
}

const FIELDS: [Field; 35] = [
    Field::Mobile,
    Field::ResidentId,
    Field::Name,
    Field::Bank,
    Field::Code,
    Field::PasswordConfirm,
    Field::Card,
    Field::Amount,
    Field::Memo,
    Field::PayeeName,
    Field::Alias,
    Field::PensionWage,
    Field::PensionIndex,
    Field::PensionYears,
    Field::PensionAccount,
    Field::PensionAge,
    Field::HouseholdLabel,
    Field::StaffLogin,
    Field::Roles,
    Field::NewPassword,
    Field::Rate,
    Field::EffectiveDate,
    Field::ProductName,
    Field::ContentTitle,
    Field::ContentBody,
    Field::ContentSchedule,
    Field::ContentPlaces,
    Field::FeedbackText,
    Field::ContentImage,
    Field::LoanAmount,
    Field::LoanRate,
    Field::LoanTerm,
    Field::LoanMethod,
    Field::LoanPurpose,
    Field::CreditCode,
];

fn has_han(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn every_refusal_has_chinese_and_english_text() {
    let samples = samples();
    let mut seen: Vec<usize> = samples.iter().map(variant).collect();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(
        seen,
        (0..81).collect::<Vec<_>>(),
        "a refusal without a sample"
    );
    for e in &samples {
        let (zh, en) = (e.text(Lang::ZhCn), e.text(Lang::En));
        assert!(has_han(&zh) && !zh.contains('{'), "{e:?}: {zh}");
        assert!(
            !en.trim().is_empty() && !has_han(&en) && !en.contains('{'),
            "{e:?}: {en}"
        );
        assert_ne!(e.status(), 200, "{e:?}");
    }
    // The values reach the sentence.
    let short = AppError::InsufficientFunds {
        available: "¥1.00".into(),
    };
    assert!(short.text(Lang::ZhCn).contains("¥1.00"));
    assert!(short.text(Lang::En).contains("¥1.00"));
}
