//! 电子回单: a transfer's e-receipt, with the amount in digits and in Chinese capitals, both
//! sides masked, and where the transfer stands (an interbank one can be pending, settled, or
//! returned with the money refunded).

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use crate::account::Protected;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::prefs::use_prefs;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptView {
    pub serial: String,
    pub state: TransferState,
    pub kind: String,
    pub time: String,
    pub updated: String,
    pub amount: String,
    pub amount_capitals: String,
    pub payer_name: String,
    pub payer_card: String,
    pub payer_bank: String,
    pub payee_name: String,
    pub payee_card: String,
    pub payee_bank: String,
    pub memo: String,
}

/// Where a transfer stands, as the receipt shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferState {
    /// Within the union's banks: done the moment it was sent.
    Posted,
    /// On its way through clearing to another bank.
    Clearing,
    /// The other bank credited it.
    Settled,
    /// The other bank sent it back (the money is refunded), and why when it said.
    Returned(Option<ReturnWhy>),
}

/// Why another bank sent a transfer back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReturnWhy {
    NameMismatch,
    NoSuchAccount,
}

impl ReceiptView {
    /// Where the transfer stands, as the customer reads it.
    pub fn status_msg(&self) -> Msg {
        match self.state {
            TransferState::Posted => Msg::StatusPosted,
            TransferState::Clearing => Msg::StatusPending,
            TransferState::Settled => Msg::StatusSettled,
            TransferState::Returned(_) => Msg::StatusReturned,
        }
    }

    /// Why the other bank returned it, when it did.
    pub fn reason_msg(&self) -> Option<Msg> {
        match self.state {
            TransferState::Returned(Some(ReturnWhy::NameMismatch)) => Some(Msg::ReturnNameMismatch),
            TransferState::Returned(Some(ReturnWhy::NoSuchAccount)) => {
                Some(Msg::ReturnNoSuchAccount)
            }
            _ => None,
        }
    }
}

#[server(endpoint = "load_receipt")]
pub async fn load_receipt(id: String) -> Result<ReceiptView, AppError> {
    use crate::auth::server::{current_session, fail};
    let (ctx, s) = current_session().await?;
    server::receipt_view(&ctx, &s.customer_id, &id)
        .await
        .map_err(fail)
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::{ReceiptView, ReturnWhy, TransferState};
    use crate::ServerContext;
    use domain::account::card;
    use domain::clock::beijing_datetime;
    use domain::money::{capitals, format_yuan};

    fn state_of(t: &domain::transfer::Transfer) -> TransferState {
        use domain::clearing::ReturnReason;
        use domain::transfer::Status;
        match t.status {
            Status::Posted => TransferState::Posted,
            Status::Pending | Status::Submitting => TransferState::Clearing,
            Status::Settled => TransferState::Settled,
            Status::Returned => {
                TransferState::Returned(ReturnReason::parse(&t.status_reason).map(|r| match r {
                    ReturnReason::NameMismatch => ReturnWhy::NameMismatch,
                    ReturnReason::NoSuchAccount => ReturnWhy::NoSuchAccount,
                }))
            }
        }
    }

    /// The receipt of one of the customer's transfers (the page and the PDF show the same);
    /// someone else's transfer is not found.
    pub async fn receipt_view(
        ctx: &ServerContext,
        customer_id: &str,
        id: &str,
    ) -> domain::Result<ReceiptView> {
        let t = ctx.transfers().get(customer_id, id).await?;
        let from = ctx
            .accounts()
            .get_owned(customer_id, &t.from_account_id)
            .await?;
        let state = state_of(&t);
        Ok(ReceiptView {
            serial: t.id,
            state,
            kind: t.kind.as_str().into(),
            time: beijing_datetime(t.created_at),
            updated: beijing_datetime(t.updated_at),
            amount: format_yuan(t.amount),
            amount_capitals: capitals(t.amount),
            payer_name: from.owner_name_masked,
            payer_card: card::mask(&t.from_card_no),
            payer_bank: from.bank_name,
            payee_name: t.payee_name_masked,
            payee_card: t.payee_card_masked,
            payee_bank: t.payee_bank_name,
            memo: t.memo,
        })
    }
}

#[component]
pub fn ReceiptPage() -> impl IntoView {
    let prefs = use_prefs();
    let params = use_params_map();
    let data = Resource::new(
        move || params.get().get("id").unwrap_or_default(),
        load_receipt,
    );
    view! {
        <section class="page" aria-labelledby="receipt-title">
            <h1 id="receipt-title" class="page-title">{move || prefs.t(Msg::ReceiptTitle)}</h1>
            <Protected data=data next="/accounts" ready=move |v| {
                        let status = v.status_msg();
                        let reason = v.reason_msg();
                        let status_class = if matches!(v.state, TransferState::Returned(_)) { "badge badge-warn" } else { "badge badge-ok" };
                        view! {
                            <article class="card receipt" data-testid="receipt">
                                <p class="text-center">
                                    <span class=status_class data-testid="receipt-status">{prefs.t(status)}</span>
                                </p>
                                <p class="receipt-amount" data-testid="receipt-amount">{v.amount.clone()}</p>
                                <p class="text-center" data-testid="receipt-capitals">{prefs.t(Msg::AmountInCapitals)} " " {v.amount_capitals.clone()}</p>
                                {reason.map(|m| view! { <p role="status" class="mt-3 text-center">{prefs.t(m)}</p> })}
                                <dl class="profile mt-4">
                                    <div><dt>{prefs.t(Msg::ReceiptPayer)}</dt><dd>{v.payer_name.clone()} " " <span class="font-mono">{v.payer_card.clone()}</span> " " {v.payer_bank.clone()}</dd></div>
                                    <div><dt>{prefs.t(Msg::ReceiptPayee)}</dt><dd data-testid="receipt-payee">{v.payee_name.clone()} " " <span class="font-mono">{v.payee_card.clone()}</span> " " {v.payee_bank.clone()}</dd></div>
                                    <div><dt>{prefs.t(Msg::TransferMemo)}</dt><dd>{v.memo.clone()}</dd></div>
                                    <div><dt>{prefs.t(Msg::ReceiptTime)}</dt><dd>{v.time.clone()}</dd></div>
                                    {(v.updated != v.time).then(|| view! { <div><dt>{prefs.t(Msg::ReceiptUpdated)}</dt><dd>{v.updated.clone()}</dd></div> })}
                                    <div><dt>{prefs.t(Msg::ReceiptSerial)}</dt><dd class="font-mono break-all">{v.serial.clone()}</dd></div>
                                </dl>
                            </article>
                            <div class="mt-4 flex flex-wrap gap-3">
                                <a class="btn-primary" href="/accounts">{prefs.t(Msg::AccountsTitle)}</a>
                                <a class="btn-secondary" href="/transfer">{prefs.t(Msg::TransferAgain)}</a>
                                <a class="btn-secondary" href=format!("/receipt.pdf?id={}", v.serial) download data-testid="receipt-pdf">{prefs.t(Msg::ReceiptPdf)}</a>
                            </div>
                        }.into_any()
                    }/>
        </section>
    }
}
