//! UI sentences that carry values (an amount, a count, a time): each is one whole sentence per
//! language with named `{parameters}`, so a translation can put them where its grammar wants.

use super::Lang;

macro_rules! templates {
    ($($key:ident => $zh:literal, $en:literal;)*) => {
        /// A sentence with parameters; [`Tpl::fill`] gives it in a language with its values.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Tpl { $($key,)* }

        impl Tpl {
            /// Every template, for the completeness test.
            pub const ALL: &'static [Tpl] = &[$(Tpl::$key,)*];

            /// The sentence with its `{parameters}` still in place.
            pub fn pattern(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Tpl::$key, Lang::ZhCn) => $zh, (Tpl::$key, Lang::En) => $en,)*
                }
            }
        }
    };
}

impl Tpl {
    /// The sentence in `lang` with each `{name}` replaced by its value, in one pass: a value
    /// that itself holds `{…}` (a memo a customer typed) is shown as it is, never filled in.
    pub fn fill(self, lang: Lang, args: &[(&str, &str)]) -> String {
        let mut rest = self.pattern(lang);
        let mut out = String::with_capacity(rest.len() + 32);
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after
                .find('}')
                .map(|close| (&after[..close], &after[close + 1..]))
            {
                Some((name, tail)) => {
                    match args.iter().find(|(n, _)| *n == name) {
                        Some((_, value)) => out.push_str(value),
                        None => {
                            out.push('{');
                            out.push_str(name);
                            out.push('}');
                        }
                    }
                    rest = tail;
                }
                None => {
                    out.push_str(&rest[open..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        out
    }
}

templates! {
    LoanProductTerms =>
        "年利率 {rate} 起，可借 {min} 到 {max}。",
        "From {rate} a year; {min} to {max}.";
    LoansOfBank => "{bank} 在线贷款", "Online loans from {bank}";
    LoanMonths => "{months} 个月", "{months} months";
    LoanDepositChoice =>
        "本金 {principal}，{matures} 到期，最多可借 {max}",
        "{principal}, matures {matures}: borrow up to {max}";
    LoanContractDigest =>
        "合同摘要（SHA-256 前 8 位）{digest}，模板版本 {version}。验证码短信里的摘要与此相同。",
        "Contract digest (first 8 of SHA-256) {digest}, template {version}. The SMS quotes the same digest.";
    LoanSchedule => "还款计划（共 {count} 期）", "Repayment schedule ({count} payments)";
    LoanFallsEachMonth => "以后每月约少还 {step}。", "Then about {step} less each month.";
    LoanPaymentAtMonth => "{number}（第 {month} 个月）", "{number} (month {month})";
    InsufficientFunds =>
        "余额不足：这个账户现在可用 {available}。请改小金额，或换一个账户付款。",
        "Not enough money: this account has {available} available. Lower the amount or pay from another account.";
    OverPerTransferLimit =>
        "超过单笔限额：这个账户每笔最多转出 {max}。",
        "Over the per-transfer limit: at most {max} per transfer from this account.";
    OverDailyLimit =>
        "超过当日累计限额：这个账户今天还能转出 {remaining}，明天零点恢复。",
        "Over the daily limit: this account can still send {remaining} today; the limit resets at midnight Beijing time.";
    CodeSentForAmount =>
        "这笔付款达到 2,000 元，需要短信验证码。验证码已发到 {to}，请填写后再提交一次。",
        "This payment is ¥2,000 or more and needs an SMS code. A code was sent to {to}; enter it and submit again.";
    CodeSentForEarlierPayments =>
        "因为今天已有多笔免验证码的付款，为保护您的资金，这笔付款需要短信验证码。验证码已发到 {to}，请填写后再提交一次。",
        "Because of earlier payments without a code today, this payment needs an SMS code to protect your money. A code was sent to {to}; enter it and submit again.";
    CodeSentForMandate =>
        "开通自动缴费或提高每月上限，需要短信验证码。验证码已发到 {to}，请填写后再提交一次。",
        "Turning automatic payment on, or raising its monthly cap, needs an SMS code. A code was sent to {to}; enter it and submit again.";
    TooManyHouseholds =>
        "最多保存 {max} 个常用户号，请先删除不用的。",
        "At most {max} saved numbers; remove one you no longer use first.";
    BillAmountFixed =>
        "这类账单要一次缴清：应缴 {due}。",
        "This bill is paid in full: {due} is due.";
    BillAmountOutOfRange =>
        "缴费金额要在 {min} 到 {max} 之间。",
        "The amount must be between {min} and {max}.";
    PasskeyLimit =>
        "最多可以开通 {max} 台设备的指纹/面容登录，请先关闭不用的设备。",
        "At most {max} devices can have fingerprint / face login; remove one you no longer use first.";
    BelowMinimum =>
        "这个产品起存金额是 {min}。",
        "This product starts at {min}.";
    OverPledgeValue =>
        "用这笔定期存款质押，最多能借 {max}。",
        "Pledging this deposit, you can borrow at most {max}.";
    RepaymentTooLarge =>
        "还款金额不能超过欠款 {owed}。",
        "You cannot repay more than you owe: {owed}.";
    OverCreditLimit =>
        "超过了可用额度，现在最多能借 {available}。",
        "That is more than the credit line has left: you can borrow at most {available} now.";
    RateLimitedMinutes =>
        "操作太频繁，请 {minutes} 分钟后再试。",
        "Too many attempts. Please try again in {minutes} minutes.";
    RateLimitedSeconds =>
        "操作太频繁，请 {seconds} 秒后再试。",
        "Too many attempts. Please try again in {seconds} seconds.";
    CodeTooSoon =>
        "验证码已发送，{seconds} 秒后可以重新获取。",
        "A code was just sent; you can ask for a new one in {seconds} s.";
    CodeWrong =>
        "验证码不正确，还可以再输入 {remaining} 次。",
        "The code is not right; {remaining} more tries.";
    BadCredentials =>
        "手机号或密码不正确，还可以再试 {remaining} 次。连续输错 5 次，账户将暂时锁定。",
        "Wrong mobile number or password; {remaining} more tries. After 5 wrong tries in a row the account is locked for a while.";
    TransferTo =>
        "转给 {name}",
        "Send to {name}";
    PayBillFor =>
        "缴 {label}",
        "Pay {label}";
    UnreadMessages =>
        "有 {count} 条新通知",
        "{count} new alerts";
    BanksCount =>
        "共 {count} 家",
        "{count} banks";
    BankServes =>
        "服务地区：{area}",
        "Serves: {area}";
    CityWithCount =>
        "{city}（{count} 家）",
        "{city} ({count})";
    JobsFound =>
        "找到 {count} 个岗位",
        "{count} jobs found";
    JobTitlePay =>
        "{title} · {pay}/月",
        "{title} · {pay} a month";
    JobPlace =>
        "{city} {place} · {trade} · 招 {openings} 人",
        "{city}, {place} · {trade} · {openings} openings";
    JobPostedApply =>
        "发布于 {posted} · 报名：{apply_at}",
        "Posted {posted} · apply at {apply_at}";
    AlertMoneyIn =>
        "您尾号{tail}的账户收入 {amount}，余额 {balance}。对方：{counterparty}；摘要：{memo}",
        "Account ending {tail} received {amount}; balance {balance}. From: {counterparty}; note: {memo}";
    AlertMoneyOut =>
        "您尾号{tail}的账户支出 {amount}，余额 {balance}。对方：{counterparty}；摘要：{memo}",
        "Account ending {tail} paid {amount}; balance {balance}. To: {counterparty}; note: {memo}";
    AlertBillDue =>
        "“{label}”（{kind}，{biller}）{period} 应缴 {due}，请及时缴费。",
        "“{label}” ({kind}, {biller}): {due} due for {period}.";
    AlertBillAutoPaid =>
        "“{label}”（{kind}，{biller}）{period} 应缴 {due}，已自动缴费。",
        "“{label}” ({kind}, {biller}): {due} due for {period}; paid automatically.";
    AlertBillOverCap =>
        "“{label}”（{kind}，{biller}）{period} 应缴 {due}，超过自动缴费每月上限 {cap}，请手动缴费。",
        "“{label}” ({kind}, {biller}): {due} due for {period}, over the automatic payment cap of {cap} a month: please pay it yourself.";
    AlertLoanAhead =>
        "{product}第{number}期将于{date}到期，应还 {amount}。请在还款账户里留足钱，到期自动扣款。",
        "{product} instalment {number} is due on {date}: {amount}. Keep enough in the repayment account; it is collected automatically.";
    AlertLoanDue =>
        "{product}第{number}期今天到期，还有 {amount} 没扣到，请尽快存入还款账户。",
        "{product} instalment {number} is due today and {amount} could not be collected yet: please pay it into the repayment account.";
    AlertLoanOverdue =>
        "{product}第{number}期（{date}到期）已逾期，尚欠 {amount}。宽限期过后按合同计收罚息，请尽快还款。",
        "{product} instalment {number} (due {date}) is overdue: {amount} is still owed. After the grace days penalty interest is charged as the contract states; please repay soon.";
    AlertLoanApproved =>
        "您申请的{product}已审核通过，金额 {amount}，请到“我的贷款”阅读合同并签约。",
        "Your {product} application is approved for {amount}: read and sign the contract in My loans.";
    AlertLoanDeclined =>
        "您申请的{product}这次没能通过审核，原因在“我的贷款”里。",
        "Your {product} application was not approved this time; the reasons are in My loans.";
    GuaranteeAsk =>
        "{borrower}请您为TA的{product}做连带责任保证人。",
        "{borrower} asks you to guarantee their {product} jointly.";
    GuaranteeFor =>
        "{borrower}的{product}",
        "{borrower}'s {product}";
    AlertGuaranteeAsked =>
        "有客户请您为其{product}借款 {amount} 提供连带责任保证。请先核实是您认识并愿意担保的人，再阅读合同全文决定是否签署。",
        "A customer asks you to guarantee their {product} of {amount} jointly. Make sure you know them and are willing, then read the whole contract before you decide.";
    AlertGuaranteeAccepted =>
        "您的担保人已签署{product}合同，{amount} 已发放到您的还款账户。",
        "Your guarantor signed the {product} contract: {amount} has been paid into your account.";
    AlertGuaranteeRefused =>
        "您的{product}申请（{amount}）因担保人未能担保而结束，可以换一位担保人重新申请。",
        "Your {product} application ({amount}) has ended because the guarantor could not guarantee it; you can apply again with another guarantor.";
    AlertGuaranteedOverdue =>
        "您担保的一笔{product}第{number}期（{date}到期）已逾期，尚欠 {amount}。作为连带责任保证人，请提醒借款人尽快还款，银行也可能要求您代为清偿。",
        "A {product} you guarantee is overdue: instalment {number} (due {date}), {amount} still owed. As joint guarantor, please remind the borrower; the bank may ask you to repay it.";
    AlertBillAutoFailed =>
        "“{label}”（{kind}，{biller}）{period} 应缴 {due}，自动缴费未成功（如余额不足），请手动缴费。",
        "“{label}” ({kind}, {biller}): {due} due for {period}; automatic payment did not go through (not enough money?): please pay it yourself.";
    AccountWithTail =>
        "{name}（尾号{tail}）",
        "{name} (ending {tail})";
    AvailableAmount =>
        "可用 {amount}",
        "Available {amount}";
    BalanceAmount =>
        "余额 {amount}",
        "Balance {amount}";
    AccountLimits =>
        "每笔限额 {per_transfer} · 今日还可转出 {left_today}",
        "Per transfer up to {per_transfer} · {left_today} left today";
    AutoPayOn =>
        "已开启，每月最多 {cap}，从尾号{tail}的账户扣款",
        "On: at most {cap} a month, from the account ending {tail}";
    BillPartialRange =>
        "可以缴一部分，也可以多缴存作下期；金额在 {min} 到 {max} 之间。",
        "You may pay part, or more as credit for the next bill: between {min} and {max}.";
    ECardSecondsLeft =>
        "{seconds} 秒后自动更新",
        "{seconds} s until the next code";
    TransferStepUpFrom =>
        "给他人转账达到 {amount} 时需要短信验证码。",
        "Transfers to others of {amount} or more need an SMS code.";
    StaffSignInFailed =>
        "工号、密码或动态口令不正确。再错 {remaining} 次，工号将被暂时锁定。",
        "The login, password or authenticator code is wrong. {remaining} more wrong tries lock the login for a while.";
    RateOutsideBand =>
        "年利率须在全省统一区间 {floor} 至 {ceiling} 之内。",
        "The rate must be within the province's band, {floor} to {ceiling}.";
    FeedbackTooMany =>
        "您已有 {max} 条反馈正在处理，请等银行答复后再提交。",
        "You have {max} pieces of feedback waiting for an answer; please wait for one before sending more.";
    AlertFeedbackAnswered =>
        "您反馈的“{category}”问题，银行已经答复。",
        "Your bank has answered your feedback about “{category}”.";
    SlaLeft =>
        "剩余 {hours} 小时 {minutes} 分",
        "{hours} h {minutes} min left";
    SlaOverdue =>
        "已超时 {hours} 小时 {minutes} 分",
        "Overdue by {hours} h {minutes} min";
    HoursMinutes =>
        "{hours} 小时 {minutes} 分",
        "{hours} h {minutes} min";
    BandExcludesRates =>
        "有 {banks} 家农商银行的现行或待生效利率在新区间之外，请它们先调整后再改区间。",
        "{banks} banks have a rate in effect or to come outside the new band; they need to change theirs first.";
    StaffLocked =>
        "连续输错，工号已暂时锁定，请在北京时间 {time} 之后再试，或请本机构的系统管理员重置。",
        "Too many wrong tries: the login is locked until {time} Beijing time, or until your administrator resets it.";
    Locked =>
        "密码连续输错，账户已暂时锁定，请在北京时间 {time} 之后再试；也可以用短信验证码重置密码，立即解锁。",
        "Too many wrong passwords: the account is locked until {time} Beijing time. Reset your password with an SMS code to unlock it now.";
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parameters(pattern: &str) -> Vec<&str> {
        let mut names: Vec<&str> = pattern
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect();
        names.sort_unstable();
        names
    }

    #[test]
    fn every_template_has_both_languages_with_the_same_parameters() {
        for t in Tpl::ALL {
            let (zh, en) = (t.pattern(Lang::ZhCn), t.pattern(Lang::En));
            assert!(!zh.trim().is_empty() && !en.trim().is_empty(), "{t:?}");
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{t:?}"
            );
            assert!(
                !en.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{t:?}"
            );
            assert_eq!(parameters(zh), parameters(en), "{t:?}");
            assert!(
                !parameters(zh).is_empty(),
                "{t:?} takes no value: make it a Msg"
            );
        }
    }

    #[test]
    fn a_value_holding_a_parameter_name_is_shown_as_it_is() {
        let s = Tpl::AlertMoneyIn.fill(
            Lang::ZhCn,
            &[
                ("tail", "1234"),
                ("amount", "¥1.00"),
                ("balance", "¥2.00"),
                ("counterparty", "{memo}"),
                ("memo", "{balance}"),
            ],
        );
        assert!(s.contains("对方：{memo}；摘要：{balance}"), "{s}");
    }

    #[test]
    fn fill_puts_each_value_in_its_place() {
        let s = Tpl::BillAmountOutOfRange.fill(Lang::ZhCn, &[("min", "¥1.00"), ("max", "¥9.00")]);
        assert_eq!(s, "缴费金额要在 ¥1.00 到 ¥9.00 之间。");
    }
}
