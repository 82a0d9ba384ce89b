//! The loan contract: rendered once per offer from a versioned template with every term (the
//! amount in figures and capitals, the rate and the APR, the method, the penalty rate, the
//! schedule), kept sealed for the borrower, with the SHA-256 of its text. Signing binds the
//! step-up to that hash, so a text that changed after the code was sent cannot be signed, and
//! [`Loans::verify_contract`] re-hashes the stored text against every signature.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::Row;

use super::book::{self, Loan, Status};
use super::products::{self, LoanKind, Purpose};
use super::schedule::{self, InterestEvery, Method, Terms};
use super::Loans;
use crate::clock::Millis;
use crate::db::get_i64;
use crate::error::Refusal;
use crate::money::{capitals, format_yuan};
use crate::pii::Field;
use crate::{Error, Result};

/// The template's version, printed in every contract and stored beside it. A change of the
/// wording is a new version; contracts already rendered keep theirs.
pub const TEMPLATE_VERSION: &str = "NSYH-WLJK-2026.12";

/// A contract as the borrower reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contract {
    pub id: String,
    pub loan_id: String,
    pub template_version: String,
    pub text: String,
    /// Lower-case hex SHA-256 of `text` in UTF-8.
    pub sha256: String,
    pub created_at: Millis,
}

/// What re-hashing a stored contract found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verification {
    pub contract_id: String,
    pub sha256: String,
    /// The stored text still hashes to the stored hash.
    pub text_intact: bool,
    /// Each signature: signer role, method, signed at, and whether it signed this very hash.
    pub signatures: Vec<(String, String, Millis, bool)>,
}

impl Verification {
    pub fn is_valid(&self) -> bool {
        self.text_intact && !self.signatures.is_empty() && self.signatures.iter().all(|s| s.3)
    }
}

pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn method_zh(method: Method) -> &'static str {
    match method {
        Method::EqualInstalment => "等额本息",
        Method::EqualPrincipal => "等额本金",
        Method::InterestFirst(InterestEvery::Month) => "先息后本（按月付息，到期还本）",
        Method::InterestFirst(InterestEvery::Quarter) => "先息后本（按季付息，到期还本）",
    }
}

fn purpose_zh(purpose: Purpose) -> &'static str {
    match purpose {
        Purpose::Planting => "种植",
        Purpose::Breeding => "养殖",
        Purpose::Machinery => "农机购置",
        Purpose::Inputs => "农资采购",
        Purpose::Business => "生产经营",
        Purpose::Household => "家庭消费",
    }
}

/// A rate in basis points as a percentage: 435 → "4.35".
fn percent(bp: i64) -> String {
    format!("{}.{:02}", bp / 100, bp % 100)
}

impl Loans<'_> {
    /// The contract of the customer's offered (or signed) loan, rendered and stored the first
    /// time it is asked for.
    pub async fn contract(&self, customer_id: &str, loan_id: &str) -> Result<Contract> {
        let loan = book::get(self.db, customer_id, loan_id).await?;
        if let Some(c) = self.stored_contract(customer_id, loan_id).await? {
            return Ok(c);
        }
        if loan.status != Status::Offered {
            return Err(Refusal::LoanStateChanged.into());
        }
        let text = self.render(&loan).await?;
        let sha256 = sha256_hex(&text);
        sqlx::query(
            "INSERT INTO loan_contracts (id, loan_id, customer_id, template_version, text_sealed, \
               sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (loan_id) DO NOTHING",
        )
        .bind(crate::id::new_id())
        .bind(loan_id)
        .bind(customer_id)
        .bind(TEMPLATE_VERSION)
        .bind(self.keys.seal(customer_id, Field::Contract, &text)?)
        .bind(&sha256)
        .bind(self.clock.now())
        .execute(self.db.pool())
        .await?;
        self.stored_contract(customer_id, loan_id)
            .await?
            .ok_or_else(|| Error::Internal("loan contract vanished".into()))
    }

    pub(super) async fn stored_contract(
        &self,
        customer_id: &str,
        loan_id: &str,
    ) -> Result<Option<Contract>> {
        let row = sqlx::query(
            "SELECT id, loan_id, template_version, text_sealed, sha256, created_at \
             FROM loan_contracts WHERE loan_id = $1 AND customer_id = $2",
        )
        .bind(loan_id)
        .bind(customer_id)
        .fetch_optional(self.db.pool())
        .await?;
        row.map(|r| -> Result<Contract> {
            let sealed: String = r.try_get("text_sealed")?;
            Ok(Contract {
                id: r.try_get("id")?,
                loan_id: r.try_get("loan_id")?,
                template_version: r.try_get("template_version")?,
                text: self.keys.open(customer_id, Field::Contract, &sealed)?,
                sha256: r.try_get("sha256")?,
                created_at: get_i64(&r, "created_at")?,
            })
        })
        .transpose()
    }

    /// Re-hashes a stored contract and checks every signature against it (`bank-portal
    /// verify-contract`). Not found for an unknown id.
    pub async fn verify_contract(&self, contract_id: &str) -> Result<Verification> {
        let row = sqlx::query("SELECT loan_id, customer_id FROM loan_contracts WHERE id = $1")
            .bind(contract_id)
            .fetch_optional(self.db.pool())
            .await?
            .ok_or_else(|| Error::NotFound(format!("contract {contract_id}")))?;
        let (loan_id, customer_id): (String, String) =
            (row.try_get("loan_id")?, row.try_get("customer_id")?);
        let c = self
            .stored_contract(&customer_id, &loan_id)
            .await?
            .ok_or_else(|| Error::NotFound(format!("contract {contract_id}")))?;
        let signatures = sqlx::query(
            "SELECT role, method, signed_at, sha256 FROM loan_signatures WHERE contract_id = $1 \
             ORDER BY signed_at",
        )
        .bind(contract_id)
        .fetch_all(self.db.pool())
        .await?
        .iter()
        .map(|r| -> Result<(String, String, Millis, bool)> {
            let signed: String = r.try_get("sha256")?;
            Ok((
                r.try_get("role")?,
                r.try_get("method")?,
                get_i64(r, "signed_at")?,
                signed == c.sha256,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
        Ok(Verification {
            contract_id: c.id,
            text_intact: sha256_hex(&c.text) == c.sha256,
            sha256: c.sha256,
            signatures,
        })
    }

    /// The contract's text for an offered loan.
    async fn render(&self, loan: &Loan) -> Result<String> {
        let offer = products::offer(
            self.db,
            &loan.bank_code,
            &loan.product_code,
            loan.created_at,
        )
        .await?;
        let bank = crate::institution::get(self.db, &loan.bank_code).await?;
        let (name, resident_id) = self.identity().person_of(&loan.customer_id).await?;
        let account = self
            .accounts()
            .get_owned(&loan.customer_id, &loan.account_id)
            .await?;
        let mut t = String::new();
        let mut line = |s: String| {
            t.push_str(&s);
            t.push('\n');
        };
        line(format!(
            "{}个人网络借款合同（{}）",
            bank.short_name, offer.name_zh
        ));
        line(format!(
            "合同编号：{}　模板版本：{TEMPLATE_VERSION}",
            loan.id
        ));
        line(format!("贷款人：{}", bank.full_name));
        line(format!(
            "借款人：{}（居民身份证 {}）",
            name.as_str(),
            resident_id.masked()
        ));
        line(String::new());
        let amount_words = format!(
            "人民币{}（{}）",
            capitals(loan.principal),
            format_yuan(loan.principal)
        );
        match loan.kind {
            LoanKind::CreditLine => {
                line(format!(
                    "第一条 授信额度：{amount_words}，可循环使用，随借随还。"
                ));
                line(format!(
                    "第二条 额度有效期：自签约之日起{}个月，期满后不得再支用，未还本息于期满之日到期。",
                    loan.months
                ));
                line(format!(
                    "第三条 利率：年利率（单利）{}%，按日计息，日利率为年利率÷360，以实际支用余额和天数计算，每日利息四舍五入至分；每月20日结息，当日自还款账户自动扣收。",
                    percent(loan.rate_bp)
                ));
            }
            _ => {
                let method = loan
                    .method
                    .ok_or_else(|| Error::Internal("term loan without method".into()))?;
                let terms = Terms::new(loan.principal, loan.rate_bp, loan.months, method)?;
                let s = schedule::schedule(terms);
                line(format!("第一条 借款金额：{amount_words}。"));
                line(format!(
                    "第二条 借款期限：{}个月，自放款之日起算。",
                    loan.months
                ));
                line(format!(
                    "第三条 利率：年利率（单利）{}%，按IRR计算的年化利率{}%；每期利息=剩余本金×年利率÷12，四舍五入至分。",
                    percent(loan.rate_bp),
                    percent(s.apr())
                ));
                line(format!(
                    "第四条 还款方式：{}。每期还款日为放款日在当月的对应日（当月无该日的为月末）；各期金额四舍五入至分，最后一期归还剩余全部本金。利息总额{}，本息合计{}。",
                    method_zh(method),
                    format_yuan(s.total_interest()),
                    format_yuan(s.total_repaid())
                ));
                line("还款计划：".into());
                for i in &s.instalments {
                    line(format!(
                        "　第{}期（放款后第{}个月）本金{} 利息{} 合计{}",
                        i.number,
                        i.month,
                        format_yuan(i.principal),
                        format_yuan(i.interest),
                        format_yuan(i.amount())
                    ));
                }
            }
        }
        line(format!(
            "借款用途：{}。借款不得用于购房、股票、期货、理财等投资，不得用于法律法规禁止的用途。",
            purpose_zh(loan.purpose)
        ));
        line(format!(
            "收款及还款账户：{} 尾号{}。借款人授权贷款人于每个还款日从该账户扣收应还款项，余额不足的可部分扣收。",
            bank.short_name,
            crate::account::card::tail(&account.card_no)
        ));
        line(format!(
            "逾期与罚息：到期未还的本金自到期之日起按合同利率上浮{}%（年利率{}%）计收罚息；到期后{}天内还清的，不计罚息。还款依次冲抵罚息、利息、本金。",
            offer.penalty_pct - 100,
            percent(loan.penalty_rate_bp),
            loan.grace_days
        ));
        line("提前还款：借款人可随时提前归还部分或全部本金，提前归还的本金按实际占用天数计息，不收违约金；部分提前还款后由借款人选择缩短期限或减少每期还款额。".into());
        if loan.kind == LoanKind::Pledged {
            let deposit_id = loan.deposit_id.as_deref().unwrap_or("");
            let d = self.deposits().get(&loan.customer_id, deposit_id).await?;
            line(format!(
                "质押：借款人以其在贷款人处的定期存款（本金{}，到期日{}）出质。出质期间该存款冻结，不得提前支取，到期自动续存；借款逾期超过{}天的，贷款人有权以该存款本息清偿本合同项下全部债务，余额退还借款人。",
                format_yuan(d.principal),
                crate::clock::beijing_date(d.matures_at),
                loan.grace_days
            ));
        }
        if let Some(guarantor) = &loan.guarantor_id {
            let (g_name, g_id) = self.identity().person_of(guarantor).await?;
            line(format!(
                "保证：保证人{}（居民身份证 {}）为本合同项下借款人的全部债务（本金、利息、罚息和实现债权的费用）承担连带责任保证，保证期间为债务履行期限届满之日起三年。保证人在其本人手机银行阅读本合同全文，并以短信验证码或本机指纹、面容确认签署后，贷款人方发放贷款；借款人逾期的，贷款人通知保证人，并可要求保证人清偿。",
                g_name.as_str(),
                g_id.masked()
            ));
        }
        line("征信：借款人已授权贷款人查询其个人信用报告，并同意贷款人依法向金融信用信息基础数据库报送本合同项下的信贷信息。".into());
        line("签署：借款人（及保证人）在手机银行以短信验证码或本机指纹、面容确认签署本合同，签署时记录本合同文本的SHA-256摘要、时间、方式和设备，与手写签名具有同等法律效力。".into());
        Ok(t)
    }
}
