//! Loans' messages: the loan calculator and the repayment methods.

/// Adds this file's messages to those collected so far and hands them on to the next part
/// (see `messages!` in `mod.rs`).
macro_rules! loans_messages {
    ([$next:ident $($later:ident)*] $($collected:tt)*) => {
        $next! { [$($later)*] $($collected)*
            TileLoanCalculator => "贷款计算器", "Loan calculator";
            TileLoanCalculatorHint => "月供、利息、年化利率一算就清楚", "Instalments, interest and APR at a glance";
            LoanCalculatorTitle => "贷款计算器", "Loan calculator";
            LoanCalculatorIntro =>
                "填上借多少、年利率、借多久和怎么还，算出每期还多少、一共付多少利息和年化利率。",
                "Enter how much, the annual rate, how long and how you repay: see each instalment, the total interest and the APR.";
            LoanAmountLabel => "贷款金额（元）", "Amount (yuan)";
            LoanRateLabel => "年利率（%）", "Annual rate (%)";
            LoanMonthsLabel => "期限（月）", "Term (months)";
            LoanMethodLabel => "还款方式", "How you repay";
            LoanMethodEqualInstalment => "等额本息", "Equal instalments";
            LoanMethodEqualInstalmentHint =>
                "等额本息：每月还款一样多，前期利息占得多。",
                "Equal instalments: the same amount every month; early payments are mostly interest.";
            LoanMethodEqualPrincipal => "等额本金", "Equal principal";
            LoanMethodEqualPrincipalHint =>
                "等额本金：每月还一样多的本金，首月最多，以后逐月减少，总利息更少。",
                "Equal principal: the same principal every month; the first payment is the largest, then each is smaller, and less interest in all.";
            LoanMethodInterestMonthly => "先息后本（按月付息）", "Interest monthly, principal at the end";
            LoanMethodInterestQuarterly => "先息后本（按季付息）", "Interest quarterly, principal at the end";
            LoanMethodInterestFirstHint =>
                "先息后本：平时只付利息，到期一次还清本金，适合按季节回款的种养殖户和经营户。",
                "Interest first: only interest until the end, then the whole principal: suits farmers and shops whose money comes in by the season.";
            LoanCalculate => "计算", "Calculate";
            LoanMonthlyInstalment => "每月还款", "Each month";
            LoanFirstInstalment => "首月还款", "First month";
            LoanInterestEachTime => "每期利息", "Interest each time";
            LoanLastInstalment => "最后一期（含本金）", "Last payment (with the principal)";
            LoanTotalInterest => "利息总额", "Total interest";
            LoanTotalRepaid => "还款总额", "Total repaid";
            LoanNominalRate => "年利率", "Annual rate";
            LoanApr => "年化利率", "APR";
            LoanAprNote =>
                "年化利率按内部收益率（IRR）法计算，是借这笔钱每年的实际成本。",
                "The APR is worked out by the internal-rate-of-return (IRR) method: what borrowing this money really costs a year.";
            LoanRoundingNote =>
                "每期利息 = 剩余本金 × 年利率 ÷ 12，四舍五入到分；最后一期补齐尾差，所还本金正好等于借款本金。",
                "Each period's interest is the principal still owed × the annual rate ÷ 12, rounded to the fen; the last payment takes up what rounding left, so exactly the amount lent is repaid.";
            LoanEstimateNote =>
                "计算结果仅供参考，实际以贷款合同为准。", "An estimate only: the loan contract is what counts.";
            LoanColNumber => "期数", "No.";
            LoanColPrincipal => "本金", "Principal";
            LoanColInterest => "利息", "Interest";
            LoanColAmount => "本息合计", "Payment";
            LoanColBalance => "剩余本金", "Still owed";
            ErrorLoanAmount =>
                "贷款金额请填 1 元到 1 亿元之间，例如 50000。", "Enter an amount from 1 to 100,000,000 yuan, such as 50000.";
            ErrorLoanRate =>
                "年利率请填 0 到 20 之间的百分数，最多两位小数，例如 4.35。",
                "Enter an annual rate from 0 to 20 per cent with at most two decimals, such as 4.35.";
            ErrorLoanTerm => "期限请填 1 到 360 个月。", "Enter a term from 1 to 360 months.";
            ErrorLoanMethod => "请从列表里选一种还款方式。", "Choose a way to repay from the list.";
            ErrorCreditCode =>
                "请输入营业执照上的 18 位统一社会信用代码。",
                "Enter the 18-character unified social credit code on the business licence.";
            ErrorLoanPurpose => "请从列表里选这笔贷款的用途。", "Choose what the loan is for from the list.";
            ErrorBureauAuthorizationMissing =>
                "申请贷款需要您授权银行查询您的征信报告，请勾选授权后再提交。",
                "To apply, please allow the bank to check your credit report: tick the authorization and send again.";
            ErrorLoanApplicationOpen =>
                "这个产品您已经有一笔申请在办理，或额度还在使用中，请先到“我的贷款”里查看。",
                "You already have an application in progress for this product, or its credit line is open: see My loans.";
            ErrorLoanStateChanged =>
                "这笔贷款的状态已经变了（可能已签约、已还清或已结束），请刷新后再看。",
                "This loan has changed (signed, repaid or closed already): please reload the page.";
            ErrorCreditLineEnded =>
                "这个额度已经到期，不能再借了，请还清后重新申请。",
                "This credit line has ended: no more draws. Repay it and apply again.";
            ErrorGuarantorNotFound =>
                "这个手机号还没有开通本省农商银行手机银行，担保人需要先注册手机银行，再由您邀请。",
                "No one uses this mobile number for the province's rural banks' mobile banking: your guarantor registers first, then you invite them.";
            ErrorGuarantorIsBorrower =>
                "担保人不能是您本人，请填写另一位客户的手机号。",
                "You cannot guarantee your own loan: enter another customer's mobile number.";
            ErrorGuarantorIneligible =>
                "根据您的征信报告，您目前不能为这笔贷款提供担保，贷款申请已结束。",
                "Your credit report does not allow you to guarantee this loan right now; the application has ended.";
        }
    };
}
