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
    pub status: String,
    pub status_reason: String,
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

impl ReceiptView {
    /// Where the transfer stands, as the customer reads it.
    pub fn status_msg(&self) -> Msg {
        match self.status.as_str() {
            "pending" | "submitting" => Msg::StatusPending,
            "settled" => Msg::StatusSettled,
            "returned" => Msg::StatusReturned,
            _ => Msg::StatusPosted,
        }
    }

    /// Why the other bank returned it, when it did.
    pub fn reason_msg(&self) -> Option<Msg> {
        match self.status_reason.as_str() {
            "name_mismatch" => Some(Msg::ReturnNameMismatch),
            "no_such_account" => Some(Msg::ReturnNoSuchAccount),
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
    use super::ReceiptView;
    use crate::ServerContext;
    use domain::account::card;
    use domain::clock::beijing_datetime;
    use domain::money::{capitals, format_yuan};

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
        Ok(ReceiptView {
            serial: t.id,
            status: t.status.as_str().into(),
            status_reason: t.status_reason,
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
                        let status_class = if v.status == "returned" { "badge badge-warn" } else { "badge badge-ok" };
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
