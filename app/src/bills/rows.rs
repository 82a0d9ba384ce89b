//! What the bill pages show: kinds, payments, saved numbers and the bill found, as rows the
//! server sends; and how a domain value becomes one.

use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::i18n::{Lang, Msg, Named};
use crate::transfer::FromOption;

/// A kind as listed, named in both languages (the page shows the one in use).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindRow {
    pub slug: String,
    pub name: Named,
    /// Position in the rural editions' list (`u8::MAX`: after the ranked ones).
    pub rural_rank: u8,
}

impl KindRow {
    pub(super) fn name(&self, lang: Lang) -> String {
        self.name.get(lang).to_string()
    }
}

#[cfg(feature = "ssr")]
pub(super) fn kind_row(k: domain::billpay::Kind) -> KindRow {
    KindRow {
        slug: k.slug().into(),
        name: Named::new(k.name_zh(), k.name_en()),
        rural_rank: k.rural_rank().unwrap_or(u8::MAX),
    }
}

/// A payment as lists and the receipt show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentRow {
    pub id: String,
    pub kind: KindRow,
    pub biller: String,
    pub household: String,
    pub amount: String,
    /// The amount in Chinese capitals (伍佰元整), as receipts print it.
    pub amount_capitals: String,
    pub period: String,
    pub status: PaymentStatus,
    pub receipt: Option<String>,
    pub reason: String,
    pub from_card_tail: String,
    pub time: String,
}

/// Payments as rows; the paying accounts' card tails are read once for the whole list, not
/// once per row.
#[cfg(feature = "ssr")]
pub(super) async fn payment_rows(
    ctx: &crate::ServerContext,
    customer: &str,
    payments: Vec<domain::billpay::Payment>,
) -> Result<Vec<PaymentRow>, AppError> {
    use crate::auth::server::fail;
    let mut tails: std::collections::HashMap<String, String> = ctx
        .accounts()
        .list(customer)
        .await
        .map_err(fail)?
        .into_iter()
        .map(|a| (a.id, domain::account::card::tail(&a.card_no).into()))
        .collect();
    let mut rows = Vec::with_capacity(payments.len());
    for p in payments {
        // An account closed since is not in the list of open ones: read it on its own.
        if !tails.contains_key(&p.from_account_id) {
            let from = ctx
                .accounts()
                .get_owned(customer, &p.from_account_id)
                .await
                .map_err(fail)?;
            tails.insert(from.id, domain::account::card::tail(&from.card_no).into());
        }
        rows.push(PaymentRow {
            from_card_tail: tails[&p.from_account_id].clone(),
            id: p.id,
            kind: kind_row(p.kind),
            biller: domain::billpay::biller(&p.biller_id)
                .map(|b| b.name)
                .unwrap_or(p.biller_id),
            household: shown_number(p.kind, &p.household),
            amount: domain::money::format_yuan(p.amount),
            amount_capitals: domain::money::capitals(p.amount),
            period: p.period,
            status: PaymentStatus::of(p.status),
            receipt: p.biller_receipt,
            reason: p.reason,
            time: domain::clock::beijing_datetime(p.created_at),
        });
    }
    Ok(rows)
}

/// A number as lists and receipts show it: a resident ID masked like everywhere else.
#[cfg(feature = "ssr")]
pub(super) fn shown_number(kind: domain::billpay::Kind, number: &str) -> String {
    if kind.number() == domain::billpay::Number::ResidentId && number.len() == 18 {
        format!("{}**********{}", &number[..4], &number[14..])
    } else {
        number.to_string()
    }
}

/// A saved number as the bills page lists it, with the link that finds its bill.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdRow {
    pub id: String,
    pub label: String,
    pub kind: KindRow,
    pub biller: String,
    pub number: String,
    pub href: String,
    /// Whether this kind's bills can pay themselves (not top-ups, not yearly grades).
    pub autopay_available: bool,
    pub autopay: Option<AutoPayRow>,
}

/// Automatic payment as set for a saved number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoPayRow {
    /// `¥300.00` and `300.00` (the form's value).
    pub cap: String,
    pub cap_decimal: String,
    pub from_id: String,
    pub from_tail: String,
}

/// The bill page with this saved number's bill already found: paying it is one confirmed step.
#[cfg(feature = "ssr")]
pub(crate) fn household_href(h: &domain::billpay::Household) -> String {
    let city = domain::billpay::biller(&h.biller_id)
        .and_then(|b| b.city)
        .unwrap_or_default();
    format!(
        "/bills/{}?city={}&biller={}&number={}",
        h.kind.slug(),
        crate::accounts::history::urlencoding(&city),
        crate::accounts::history::urlencoding(&h.biller_id),
        h.number
    )
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillsHome {
    pub households: Vec<HouseholdRow>,
    pub kinds: Vec<KindRow>,
    /// Resident pension and medical insurance, non-tax payments.
    pub social: Vec<KindRow>,
    /// The accounts automatic payment may take from.
    pub accounts: Vec<FromOption>,
    pub recent: Vec<PaymentRow>,
    /// The billers are the local simulator (said on the page, never pretended live).
    pub simulated: bool,
}

/// How the amount is chosen for this kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AmountChoice {
    /// Exactly the bill (shown, sent as a hidden field).
    Exact { due: String, due_decimal: String },
    /// Any amount in range, the bill's amount suggested.
    Partial {
        suggested: String,
        min: String,
        max: String,
    },
    /// One of these (decimal value, label).
    Denominations(Vec<(String, String)>),
    /// One of these yearly grades (decimal value, label).
    Grades(Vec<(String, String)>),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillView {
    pub holder: String,
    pub detail: String,
    pub period: String,
    pub due: String,
    pub nothing_due: bool,
    pub amount: AmountChoice,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillForm {
    pub kind: KindRow,
    /// What the bill's number is called (户号, 燃气卡号 …).
    pub number_label: Named,
    pub cities: Vec<String>,
    pub city: String,
    pub billers: Vec<(String, String)>,
    pub biller: String,
    pub number: String,
    /// Digits only (a numeric keypad); a resident ID may end in X.
    pub numeric: bool,
    pub bill: Option<BillView>,
    pub lookup_error: Option<AppError>,
    pub accounts: Vec<FromOption>,
    pub key: String,
    pub simulated: bool,
}

#[cfg(feature = "ssr")]
pub(super) fn number_labels(n: domain::billpay::Number) -> (&'static str, &'static str) {
    use domain::billpay::Number;
    match n {
        Number::Household => (
            "户号（10 位，见账单）",
            "Household number (10 digits, on the bill)",
        ),
        Number::Mobile => ("手机号", "Mobile number"),
        Number::Card => ("卡号（16 位）", "Card number (16 digits)"),
        Number::Decision => (
            "处罚决定书编号（15 位）",
            "Penalty decision number (15 digits)",
        ),
        Number::Student => ("学籍号（8 到 12 位）", "Student number (8 to 12 digits)"),
        Number::ResidentId => (
            "参保人身份证号（18 位）",
            "Insured person's resident ID (18 characters)",
        ),
        Number::Notice => (
            "缴款通知书编号（20 位）",
            "Payment-notice number (20 digits)",
        ),
    }
}

impl PaymentRow {
    pub fn status_msg(&self) -> Msg {
        self.status.msg()
    }
}

/// Where a bill payment stands, as the pages show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    /// Debited; the biller has not answered yet.
    Pending,
    Paid,
    /// The biller failed after the debit; the money came back.
    Refunded,
}

impl PaymentStatus {
    #[cfg(feature = "ssr")]
    pub(super) fn of(status: domain::billpay::Status) -> Self {
        use domain::billpay::Status;
        match status {
            Status::Pending => PaymentStatus::Pending,
            Status::Paid => PaymentStatus::Paid,
            Status::Refunded => PaymentStatus::Refunded,
        }
    }

    /// The status in a word.
    pub fn msg(self) -> Msg {
        match self {
            PaymentStatus::Pending => Msg::BillStatusPending,
            PaymentStatus::Paid => Msg::BillStatusPaid,
            PaymentStatus::Refunded => Msg::BillStatusRefunded,
        }
    }

    /// What it means for the customer's money.
    pub fn explain(self) -> Msg {
        match self {
            PaymentStatus::Pending => Msg::BillExplainPending,
            PaymentStatus::Paid => Msg::BillExplainPaid,
            PaymentStatus::Refunded => Msg::BillExplainRefunded,
        }
    }
}
