//! Lending's messages: the loans page, the application, the contract and signing, repayments
//! and credit lines, and the decision's reasons in plain words.

/// Adds this file's messages to those collected so far and hands them on to the next part
/// (see `messages!` in `mod.rs`).
macro_rules! lending_messages {
    ([$next:ident $($later:ident)*] $($collected:tt)*) => {
        $next! { [$($later)*] $($collected)*
            TileLoans => "贷款", "Loans";
            TileLoansHint => "信e贷、质押e贷、税e贷，在线申请、签约、还款", "Apply, sign and repay online";
            LoansTitle => "贷款", "Loans";
            LoansMine => "我的贷款", "My loans";
            LoanApply => "申请", "Apply";
            LoanKindCreditLineHint =>
                "信e贷：凭您在本行的存款和收入给一个额度，随借随还，按天计息，不用不计息。",
                "Xin e-Loan: a credit line from your savings and income here; borrow and repay any day, interest only on what you use, by the day.";
            LoanKindGuaranteedHint =>
                "保证e贷：请一位本省农商银行的客户做担保，按月还款。",
                "Guaranteed e-Loan: another customer of the province's rural banks guarantees it; repaid monthly.";
            LoanKindPledgedHint =>
                "质押e贷：用自己的定期存款做质押，不用提前支取存款，最多借存款本金的九成。",
                "Deposit-pledged e-Loan: pledge your own time deposit instead of withdrawing it early; up to 90 % of its principal.";
            LoanKindTaxHint =>
                "税e贷：给按时纳税的个体户和小微企业主，额度看近年的纳税和开票。",
                "Tax e-Loan: for small-business owners who pay their taxes; the limit follows the tax paid and invoicing.";
            LoanStateReferred => "审核中", "Under review";
            LoanStateDeclined => "未通过", "Declined";
            LoanStateOffered => "待签约", "Ready to sign";
            LoanStateSigned => "待担保人确认", "Waiting for the guarantor";
            LoanStateActive => "还款中", "Being repaid";
            LoanStateRepaid => "已结清", "Repaid";
            LoanStateCancelled => "已取消", "Cancelled";
            LoanPurposePlanting => "种植", "Planting";
            LoanPurposeBreeding => "养殖", "Livestock and fish";
            LoanPurposeMachinery => "农机购置", "Farm machinery";
            LoanPurposeInputs => "农资采购", "Seed, fertiliser, feed";
            LoanPurposeBusiness => "生产经营", "Running a business";
            LoanPurposeHousehold => "家庭消费", "Household";
            LoanReasonJudgmentDefaulter =>
                "法院名单显示您是失信被执行人，暂时不能在线贷款。",
                "A court lists you as a judgment defaulter: no online loan for now.";
            LoanReasonOverdueNow =>
                "征信报告显示您现在有逾期未还的贷款或信用卡。",
                "Your credit report shows a loan or card overdue now.";
            LoanReasonOverdueSeries =>
                "征信报告显示近两年有连续三个月或累计六个月的逾期。",
                "Your credit report shows three months overdue in a row, or six in all, within two years.";
            LoanReasonRecentLateMonths =>
                "近两年有过几次逾期，需要信贷员看一下。",
                "A few late months within two years: a credit officer takes a look.";
            LoanReasonManyEnquiries =>
                "最近半年有很多机构查询过您的征信。",
                "Many lenders checked your credit report in the last six months.";
            LoanReasonDebtBurden =>
                "每月在别处要还的钱超过了收入的一半。",
                "Repayments elsewhere take more than half of your monthly income.";
            LoanReasonShortRelationship =>
                "您在本行开户不满半年。",
                "You have banked here for less than six months.";
            LoanReasonTooLittleHistory =>
                "在本行的收入和存款还不够借这个产品的最低金额。",
                "Your income and savings here do not yet support this product's smallest amount.";
            LoanReasonPoorTaxRating =>
                "纳税信用等级为 C 或 D。",
                "Your tax credit rating is C or D.";
            LoanReasonTaxArrears => "有欠税未缴。", "Tax is owed and unpaid.";
            LoanReasonNewBusiness => "纳税记录不满一整年。", "Less than a full year of tax records.";
            LoanReasonTooLittleTax =>
                "纳税金额还不够借这个产品的最低金额。",
                "The tax paid does not yet support this product's smallest amount.";
            LoanReasonGuarantorIneligible =>
                "担保人的征信情况不符合担保条件。",
                "The guarantor's credit report does not allow them to guarantee.";
            LoanApplyTitle => "申请贷款", "Apply for a loan";
            LoanNoDepositToPledge =>
                "您还没有可以质押的定期存款。先存一笔定期，就能用它来借款。",
                "You have no time deposit to pledge yet. Open one, then borrow against it.";
            LoanLimitAsked => "想要的额度（元）", "Limit you ask for (yuan)";
            LoanLineTerm => "额度有效期", "The line stays open for";
            LoanPurposeLabel => "借款用途", "What it is for";
            LoanDepositLabel => "质押哪笔定期存款", "Deposit to pledge";
            LoanCreditCodeLabel => "统一社会信用代码", "Unified social credit code";
            LoanAuthorize =>
                "我授权银行为审批这笔贷款查询我的个人征信报告（仅限本次申请）。",
                "I allow the bank to check my personal credit report for this application only.";
            LoanAuthorizeTax =>
                "我授权银行为审批这笔贷款查询我的征信报告和企业纳税记录（仅限本次申请）。",
                "I allow the bank to check my credit report and my business's tax records for this application only.";
            LoanSubmit => "提交申请", "Apply";
            LoanSubmitted => "申请已提交。", "Application sent.";
            LoanAmountShown => "金额", "Amount";
            LoanReferredNote =>
                "您的申请已转给信贷员审核，一般一个工作日内答复，结果会发到消息中心。",
                "A credit officer is looking at your application; you usually hear within a working day, in your messages.";
            LoanDeclinedNote =>
                "这次没能批准。原因如下，情况变化后可以再申请。",
                "This time it could not be approved, for the reasons below. You can apply again when things change.";
            LoanSignedNote =>
                "您已签约，等担保人在手机银行确认后放款。",
                "You have signed; the money is paid out once your guarantor confirms in their app.";
            LoanSignHintGuaranteed =>
                "请读完合同。签约要用发到您手机的验证码确认；您签约后，担保人在自己的手机银行确认，然后放款到您的账户。",
                "Please read the contract. You sign with a code sent to your phone; then your guarantor confirms in their own app, and the money is paid into your account.";
            LoanGuarantorLabel => "担保人手机号", "Guarantor's mobile number";
            LoanGuarantorHint =>
                "担保人须是本省农商银行的手机银行客户（可以是另一家农商银行），不能是您本人。您签约后，他会在自己的手机银行里看到合同并确认。",
                "Your guarantor uses mobile banking at one of the province's rural banks (any of them) and is not you. After you sign, they read the contract and confirm in their own app.";
            LoansGuaranteed => "我担保的贷款", "Loans I guarantee";
            GuaranteeTitle => "担保确认", "Guarantee a loan";
            GuaranteeLiability =>
                "连带责任保证：借款人到期不还时，银行可以直接要求您归还全部欠款（本金、利息和罚息）。请只为您了解并信任的人担保。",
                "A joint guarantee: if the borrower does not repay, the bank may ask you to repay all of it (principal, interest and penalty). Only guarantee someone you know and trust.";
            GuaranteeAnswerTitle => "您的答复", "Your answer";
            GuaranteeSignHint =>
                "读完合同后，用发到您手机的验证码签署担保。签署后贷款即发放给借款人。",
                "Having read the contract, sign the guarantee with a code sent to your phone. The loan is then paid to the borrower.";
            GuaranteeAuthorize =>
                "我授权银行为这次担保查询我的个人征信报告（仅限本次）。",
                "I allow the bank to check my personal credit report for this guarantee only.";
            GuaranteeSign => "确认担保并签署", "Guarantee and sign";
            GuaranteeDecline => "不同意担保", "Decline";
            GuaranteeAnswered => "已答复。", "Answered.";
            LoanReasonsTitle => "原因", "Why";
            LoanContractTitle => "借款合同", "Loan contract";
            LoanSignHint =>
                "请读完合同。签约要用发到您手机的验证码确认，确认后马上放款到您的账户。",
                "Please read the contract. You sign with a code sent to your phone; the money is paid into your account at once.";
            LoanSendCode => "发送签约验证码", "Send the signing code";
            LoanSign => "确认签约", "Sign";
            LoanSigned => "已签约。", "Signed.";
            LoanRepayTitle => "还款", "Repay";
            LoanPrincipalOwed => "剩余本金", "Principal still owed";
            LoanDueNow => "现在应还", "Due now";
            LoanRepayDueHint =>
                "还清到期和逾期的各期；没有到期的，提前还下一期。",
                "Pays what is due and overdue; when nothing is, the next instalment ahead of time.";
            LoanRepayDue => "还本期", "Repay the instalment";
            LoanRepayEarly => "提前还款", "Repay early";
            LoanEarlyPrincipal => "提前还多少本金（元）", "Principal to repay early (yuan)";
            LoanEarlyKeep => "提前还款后", "Afterwards";
            LoanKeepShorter => "月供不变，缩短期限", "Same instalment, fewer months";
            LoanKeepLower => "期限不变，减少月供", "Same months, smaller instalment";
            LoanRepayEarlyButton => "提前还这部分本金", "Repay this principal early";
            LoanRepayFullSure =>
                "一次还清全部剩余本金和到今天的利息。",
                "Repay all the principal left and the interest to today in one go.";
            LoanRepayFull => "全部还清", "Repay everything";
            LoanRepaid => "已还款。", "Repaid.";
            LoanLineTitle => "我的额度", "My credit line";
            LoanLineLimit => "授信额度", "Limit";
            LoanLineDrawn => "已借", "Borrowed";
            LoanLineInterest => "到今天的利息", "Interest to today";
            LoanLineAvailable => "还能借", "Still available";
            LoanLineEnds => "额度到期日", "Line ends on";
            LoanLineInterestHint =>
                "按天计息：每天利息=已借金额×年利率÷360。每月20日从还款账户扣收利息，也可随时还。",
                "Interest by the day: what you borrowed × the annual rate ÷ 360. It is collected on the 20th of each month; repay any time.";
            LoanDrawAmount => "借多少（元）", "Borrow (yuan)";
            LoanDraw => "借款到账户", "Borrow into my account";
            LoanDrawn => "已到账。", "Paid into your account.";
            LoanRepayAmount => "还多少（元）", "Repay (yuan)";
            LoanRepayLine => "还款", "Repay";
            LoanScheduleTitle => "还款计划", "Repayment schedule";
            LoanColDate => "还款日", "Due on";
            LoanColPenalty => "罚息", "Penalty";
            LoanColOutstanding => "未还", "Still owed";
            LoanColStatus => "状态", "Status";
            LoanRowPaid => "已还", "Paid";
            LoanRowDue => "待还", "To pay";
            LoanRowOverdue => "逾期", "Overdue";
            DepositPledgedBadge => "已质押", "Pledged";
        }
    };
}
