//! 转账: fill in → confirm (with an SMS code bound to amount and payee above the step-up
//! threshold) → receipt. Three steps, each a plain form post before WASM loads. The filled-in
//! transfer waits between steps on the server (sealed, per browser, five minutes) together
//! with its idempotency key, so a double click, a retry or a refresh of the confirm step
//! returns the first transfer instead of sending a second.

pub mod receipt;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

pub use receipt::ReceiptPage;

use crate::account::{Protected, SignInPrompt};
use crate::accounts::AccountName;
use crate::auth::fields::CodeField;
use crate::error::{AppError, SaveStatus};
use crate::i18n::{Lang, Msg, Tpl};
use crate::prefs::use_prefs;

// The pages below arrive in their own WASM chunk (see `crate::chunk`).
crate::lazy_pages!(
    transfer:
    TRANSFER_PAGE => TransferPage,
    TRANSFER_CONFIRM_PAGE => TransferConfirmPage,
    RECEIPT_PAGE => ReceiptPage,
);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FromOption {
    pub id: String,
    pub name: AccountName,
    pub card_tail: String,
    pub available: String,
}

/// The customer's demand accounts as paying-account choices (amounts formatted, or hidden).
#[cfg(feature = "ssr")]
pub fn from_options(accounts: &[domain::account::Account], hidden: bool) -> Vec<FromOption> {
    use domain::money::format_yuan;
    accounts
        .iter()
        .map(|a| FromOption {
            id: a.id.clone(),
            name: AccountName::of(a),
            card_tail: domain::account::card::tail(&a.card_no).into(),
            available: crate::accounts::shown(&(!hidden).then(|| format_yuan(a.available()))),
        })
        .collect()
}

/// 付款账户: radio buttons, not a select: each account with its available amount in full, as a
/// large target (the simple editions' customers read every word). `chosen` is preselected
/// when it is one of them, else the first.
#[component]
pub fn FromAccountChoice(accounts: Vec<FromOption>, chosen: String) -> impl IntoView {
    let prefs = use_prefs();
    let chosen = if accounts.iter().any(|a| a.id == chosen) {
        chosen
    } else {
        accounts.first().map(|a| a.id.clone()).unwrap_or_default()
    };
    let options = accounts
        .into_iter()
        .map(|a| {
            let checked = a.id == chosen;
            view! {
                <label class="check-label account-choice">
                    <input type="radio" name="from" value=a.id checked=checked required/>
                    <span>{let (name, tail) = (a.name.clone(), a.card_tail.clone()); move || name.with_tail(prefs.lang.get(), &tail)}<br/>
                        <span class="text-muted">{let available = a.available.clone(); move || Tpl::AvailableAmount.fill(prefs.lang.get(), &[("amount", &available)])}</span></span>
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="form-stack">
            <legend class="font-bold">{prefs.t(Msg::TransferFrom)}</legend>
            {options}
        </fieldset>
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayeeOption {
    /// `saved:<payee id>` or `own:<account id>`.
    pub value: String,
    pub label: PayeeLabel,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PayeeLabel {
    /// A saved payee: alias, masked name, bank and card tail (the customer's and the bank's words).
    Saved(String),
    /// One of the customer's own accounts.
    Own {
        name: AccountName,
        card_tail: String,
    },
}

impl PayeeLabel {
    pub fn text(&self, lang: Lang) -> String {
        match self {
            PayeeLabel::Saved(text) => text.clone(),
            PayeeLabel::Own { name, card_tail } => name.with_tail(lang, card_tail),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferForm {
    pub accounts: Vec<FromOption>,
    pub payees: Vec<PayeeOption>,
    pub step_up_from: String,
}

#[server(endpoint = "load_transfer_form")]
pub async fn load_transfer_form() -> Result<TransferForm, AppError> {
    use crate::auth::server::{current_session, fail};
    use domain::account::card;
    use domain::money::format_yuan;
    let (ctx, s) = current_session().await?;
    let hidden = crate::accounts::balances_hidden();
    let accounts = ctx.accounts().list(&s.customer_id).await.map_err(fail)?;
    let mut payees: Vec<PayeeOption> = ctx
        .transfers()
        .payees()
        .list(&s.customer_id)
        .await
        .map_err(fail)?
        .into_iter()
        .map(|p| PayeeOption {
            value: format!("saved:{}", p.id),
            label: PayeeLabel::Saved(if p.alias.is_empty() {
                format!("{} · {} *{}", p.name_masked, p.bank_name, p.card_tail)
            } else {
                format!(
                    "{}（{}）· {} *{}",
                    p.alias, p.name_masked, p.bank_name, p.card_tail
                )
            }),
        })
        .collect();
    // Own accounts are payees too (between one's own accounts).
    payees.extend(accounts.iter().map(|a| PayeeOption {
        value: format!("own:{}", a.id),
        label: PayeeLabel::Own {
            name: AccountName::of(a),
            card_tail: card::tail(&a.card_no).into(),
        },
    }));
    Ok(TransferForm {
        accounts: from_options(&accounts, hidden),
        payees,
        step_up_from: format_yuan(domain::transfer::STEP_UP_FROM),
    })
}

/// What waits between the steps, sealed in the browser's pending flow.
#[cfg(feature = "ssr")]
#[derive(Serialize, Deserialize)]
struct Draft {
    request: domain::transfer::TransferRequest,
}

/// Step one: checks the transfer (payee, limits, funds) and keeps it for the confirm step.
#[server(endpoint = "prepare_transfer")]
pub async fn prepare_transfer(
    from: String,
    payee: String,
    to: Option<String>,
    payee_name: Option<String>,
    amount: String,
    memo: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::server::{current_session, fail, limit, start_flow_with};
    use crate::error::{respond, Field};
    use domain::identity::pending::Flow;
    use domain::transfer::{PayeeRef, TransferRequest};
    let (ctx, s) = current_session().await?;
    limit(
        &ctx,
        &format!("transfer:prepare:{}", s.customer_id),
        60,
        600,
    )
    .await?;
    let amount = domain::money::parse_yuan(&amount)
        .map_err(|_| respond(AppError::Invalid(Field::Amount)))?;
    let to = to.unwrap_or_default();
    let payee = if let Some(id) = payee.strip_prefix("saved:") {
        PayeeRef::Saved(id.into())
    } else if let Some(id) = payee.strip_prefix("own:") {
        PayeeRef::OwnAccount(id.into())
    } else {
        let digits: String = to.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() == 11 && digits.starts_with('1') {
            PayeeRef::Mobile(digits)
        } else if digits.is_empty() {
            return Err(respond(AppError::Invalid(Field::Card)));
        } else {
            PayeeRef::Card(digits)
        }
    };
    let request = TransferRequest {
        customer_id: s.customer_id.clone(),
        from_account_id: from,
        payee,
        payee_name: payee_name.filter(|n| !n.trim().is_empty()),
        amount,
        memo: memo.unwrap_or_default(),
        idempotency_key: domain::id::new_id(),
    };
    ctx.transfers().quote(&request).await.map_err(fail)?;
    let mobile = ctx
        .identity()
        .mobile_of(&s.customer_id)
        .await
        .map_err(fail)?;
    let data = serde_json::to_string(&Draft { request }).map_err(|_| AppError::Internal)?;
    start_flow_with(&ctx, Flow::Transfer, &mobile, Some(s.customer_id), data).await?;
    leptos_axum::redirect("/transfer/confirm");
    Ok(())
}

#[cfg(feature = "ssr")]
async fn current_draft(
    ctx: &crate::ServerContext,
    customer_id: &str,
) -> Result<domain::transfer::TransferRequest, AppError> {
    use crate::auth::server::flow_state;
    use crate::error::respond;
    use domain::identity::pending::Flow;
    let flow = flow_state(ctx, Flow::Transfer)
        .await?
        .filter(|f| f.customer_id.as_deref() == Some(customer_id))
        .ok_or_else(|| respond(AppError::FlowExpired))?;
    let draft: Draft =
        serde_json::from_str(&flow.data).map_err(|_| respond(AppError::FlowExpired))?;
    Ok(draft.request)
}

/// The confirm step's content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmView {
    pub from_name: AccountName,
    pub from_card: String,
    pub payee_name: String,
    pub payee_card: String,
    pub payee_bank: String,
    pub amount: String,
    pub amount_capitals: String,
    pub memo: String,
    /// `own`, `intra` or `interbank`.
    pub kind: String,
    pub needs_step_up: bool,
    /// The code is asked because of earlier payments without one today, not the amount.
    pub step_up_for_earlier: bool,
    /// The customer has a passkey, which may confirm instead of the SMS code.
    pub has_passkey: bool,
    /// A code for exactly this transfer is out and still usable (said on the page, so a
    /// customer without JavaScript sees it went too).
    pub code_sent: bool,
    pub mobile_masked: String,
    pub key: String,
}

#[server(endpoint = "load_transfer_confirm")]
pub async fn load_transfer_confirm() -> Result<ConfirmView, AppError> {
    use crate::auth::server::{current_session, fail};
    use domain::account::card;
    use domain::money::{capitals, format_yuan};
    let (ctx, s) = current_session().await?;
    let request = current_draft(&ctx, &s.customer_id).await?;
    let quote = ctx.transfers().quote(&request).await.map_err(fail)?;
    let from = ctx
        .accounts()
        .get_owned(&s.customer_id, &request.from_account_id)
        .await
        .map_err(fail)?;
    let mobile = ctx
        .identity()
        .mobile_of(&s.customer_id)
        .await
        .map_err(fail)?;
    Ok(ConfirmView {
        from_name: AccountName::of(&from),
        from_card: card::mask(&quote.from_card_no),
        payee_name: quote.payee_name_masked,
        payee_card: quote.payee_card_masked,
        payee_bank: quote.payee_bank_name,
        amount: format_yuan(quote.amount),
        amount_capitals: capitals(quote.amount),
        memo: quote.memo,
        kind: quote.kind.as_str().into(),
        needs_step_up: quote.needs_step_up,
        step_up_for_earlier: quote.step_up_reason
            == Some(domain::transfer::StepUpReason::EarlierPayments),
        has_passkey: quote.needs_step_up
            && !ctx
                .passkeys()
                .list(&s.customer_id)
                .await
                .map_err(fail)?
                .is_empty(),
        code_sent: quote.needs_step_up
            && ctx
                .transfers()
                .step_up_code_live(&request)
                .await
                .map_err(fail)?,
        mobile_masked: mobile.masked(),
        key: request.idempotency_key,
    })
}

/// Sends the SMS code for the transfer waiting for confirmation (its amount and payee are in
/// the message and bound to the code).
#[server(endpoint = "send_transfer_code")]
pub async fn send_transfer_code() -> Result<(), AppError> {
    use crate::auth::server::{current_session, fail};
    let (ctx, s) = current_session().await?;
    let request = current_draft(&ctx, &s.customer_id).await?;
    ctx.transfers()
        .send_step_up(ctx.sms.as_ref(), &request)
        .await
        .map_err(fail)?;
    Ok(())
}

/// A passkey challenge bound to the waiting transfer's amount and payee.
#[server(endpoint = "transfer_passkey_options")]
pub async fn transfer_passkey_options(
) -> Result<crate::passkey::PasskeyChallenge<webauthn_rs_proto::RequestChallengeResponse>, AppError>
{
    use crate::auth::server::{current_session, fail};
    let (ctx, s) = current_session().await?;
    let request = current_draft(&ctx, &s.customer_id).await?;
    let c = ctx
        .transfers()
        .start_passkey_step_up(&ctx.passkeys, &request)
        .await
        .map_err(fail)?;
    Ok(c.into())
}

/// Step two: sends the money. `key` must be the waiting transfer's own key, so a stale confirm
/// page cannot send a newer draft by accident. Above the step-up threshold either `code` (the
/// SMS code) or `passkey_challenge` with `passkey_answer` (the device's signed answer to
/// [`transfer_passkey_options`]) confirms it.
#[server(endpoint = "confirm_transfer")]
pub async fn confirm_transfer(
    key: String,
    code: Option<String>,
    passkey_challenge: Option<String>,
    passkey_answer: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::server::{audit, current_session, fail, limit, parse_code};
    use crate::error::respond;
    use domain::audit::Action;
    use domain::transfer::StepUp;
    let (ctx, s) = current_session().await?;
    limit(
        &ctx,
        &format!("transfer:confirm:{}", s.customer_id),
        30,
        600,
    )
    .await?;
    let request = current_draft(&ctx, &s.customer_id).await?;
    if request.idempotency_key != key {
        return Err(respond(AppError::FlowExpired));
    }
    let code = match code.as_deref().map(str::trim) {
        Some(c) if !c.is_empty() => Some(parse_code(c)?),
        _ => None,
    };
    let answer: Option<webauthn_rs_proto::PublicKeyCredential> = passkey_answer
        .as_deref()
        .map(crate::passkey::parse_answer)
        .transpose()?;
    let step_up = match (&passkey_challenge, &answer, &code) {
        (Some(challenge_id), Some(answer), _) => Some(StepUp::Passkey {
            rp: &ctx.passkeys,
            challenge_id,
            answer,
        }),
        (_, _, Some(code)) => Some(StepUp::Code(code)),
        _ => None,
    };
    let t = ctx
        .transfers()
        .post(&request, step_up)
        .await
        .map_err(fail)?;
    let detail = serde_json::json!({
        "transfer": t.id,
        "amount": t.amount,
        "payee": t.payee_card_masked,
        "kind": t.kind.as_str(),
    });
    audit(&ctx, &s.customer_id, Action::MoneyMoved, detail).await?;
    leptos_axum::redirect(&format!("/receipts/{}", t.id));
    Ok(())
}

#[component]
pub fn TransferPage() -> impl IntoView {
    let prefs = use_prefs();
    let query = use_query_map();
    let prepare = ServerAction::<PrepareTransfer>::new();
    let form = Resource::new(|| (), |_| load_transfer_form());
    view! {
        <section class="page" aria-labelledby="transfer-title">
            <h1 id="transfer-title" class="page-title">{move || prefs.t(Msg::TransferTitle)}</h1>
            <Protected data=form next="/transfer" ready=move |f| if f.accounts.is_empty() { view! {
                        <p class="card">{prefs.t(Msg::AccountsNone)}</p>
                        <a class="btn-primary mt-4" href="/accounts">{prefs.t(Msg::AccountsTitle)}</a>
                    }.into_any() } else {
                        let q = query.get_untracked();
                        let chosen_from = q.get("from").unwrap_or_default();
                        let chosen_payee = q.get("payee").unwrap_or_default();
                        let payee_options = f.payees.into_iter().map(|p| {
                            let selected = p.value == chosen_payee;
                            view! { <option value=p.value selected=selected>{move || p.label.text(prefs.lang.get())}</option> }
                        }).collect_view();
                        view! {
                            <ActionForm action=prepare>
                                <div class="card form-stack">
                                    <FromAccountChoice accounts=f.accounts chosen=chosen_from/>
                                    <label class="field-label">{prefs.t(Msg::TransferPayee)}
                                        <select class="field" name="payee" data-testid="payee-select">
                                            <option value="">{prefs.t(Msg::TransferNewPayee)}</option>
                                            {payee_options}
                                        </select>
                                    </label>
                                    <details class="new-payee" open=chosen_payee.is_empty()>
                                        <summary class="font-bold">{prefs.t(Msg::TransferNewPayeeHint)}</summary>
                                        <div class="form-stack mt-3">
                                            <label class="field-label">{prefs.t(Msg::TransferTo)}
                                                <input class="field" type="text" name="to" inputmode="numeric" autocomplete="off" maxlength="30"/>
                                            </label>
                                            <label class="field-label">{prefs.t(Msg::TransferPayeeName)}
                                                <input class="field" type="text" name="payee_name" autocomplete="off" maxlength="20"/>
                                            </label>
                                        </div>
                                    </details>
                                    <label class="field-label">{prefs.t(Msg::TransferAmount)}
                                        <input class="field text-2xl" type="text" name="amount" inputmode="decimal" required maxlength="16" placeholder="0.00" aria-describedby="step-up-hint"/>
                                    </label>
                                    <p id="step-up-hint" class="text-muted">{let from = f.step_up_from.clone(); move || Tpl::TransferStepUpFrom.fill(prefs.lang.get(), &[("amount", &from)])}</p>
                                    <label class="field-label">{prefs.t(Msg::TransferMemo)}
                                        <input class="field" type="text" name="memo" maxlength="20" placeholder=prefs.t(Msg::TransferMemoPlaceholder)/>
                                    </label>
                                    <button type="submit" class="btn-primary w-full">{prefs.t(Msg::TransferNext)}</button>
                                    <SaveStatus action=prepare saved=Msg::TransferNext/>
                                </div>
                            </ActionForm>
                        }.into_any()
                    }/>
        </section>
    }
}

/// "用指纹/面容确认转账": the passkey step-up, once the browser can do it; the SMS code stays
/// below it as the other way.
#[component]
fn PasskeyConfirm(key: String, confirm: ServerAction<ConfirmTransfer>) -> impl IntoView {
    use crate::passkey::{browser, use_passkeys_supported, PasskeyButton};
    let supported = use_passkeys_supported();
    let key = StoredValue::new(key);
    let ceremony = move || async move {
        let c = transfer_passkey_options().await?;
        let answer = browser::get(c.options).await?;
        confirm.dispatch(ConfirmTransfer {
            key: key.get_value(),
            code: None,
            passkey_challenge: Some(c.id),
            passkey_answer: Some(answer),
        });
        Ok(())
    };
    view! {
        <Show when=move || supported.get()>
            <div class="card mt-4" data-testid="passkey-confirm">
                <PasskeyButton label=Msg::PasskeyConfirmTransfer testid="passkey-confirm-button" primary=true ceremony=ceremony/>
            </div>
        </Show>
    }
}

#[component]
pub fn TransferConfirmPage() -> impl IntoView {
    let prefs = use_prefs();
    let send_code = ServerAction::<SendTransferCode>::new();
    let confirm = ServerAction::<ConfirmTransfer>::new();
    let data = Resource::new(
        move || send_code.version().get(),
        |_| load_transfer_confirm(),
    );
    view! {
        <section class="page" aria-labelledby="confirm-title">
            <h1 id="confirm-title" class="page-title">{move || prefs.t(Msg::TransferConfirmTitle)}</h1>
            <Suspense fallback=move || view! { <p class="card" aria-busy="true">{prefs.t(Msg::Loading)}</p> }>
                {move || data.get().map(|r| match r {
                    Ok(c) => {
                        let kind = match c.kind.as_str() {
                            "own" => Msg::KindOwn,
                            "interbank" => Msg::KindInterbank,
                            _ => Msg::KindIntra,
                        };
                        let needs = c.needs_step_up;
                        view! {
                            <dl class="card profile" data-testid="confirm">
                                <div><dt>{prefs.t(Msg::TransferAmount)}</dt>
                                    <dd><span class="text-2xl font-bold" data-testid="confirm-amount">{c.amount.clone()}</span>
                                        <br/><span data-testid="confirm-capitals">{c.amount_capitals.clone()}</span></dd></div>
                                <div><dt>{prefs.t(Msg::TransferPayee)}</dt><dd data-testid="confirm-payee">{c.payee_name.clone()}</dd></div>
                                <div><dt>{prefs.t(Msg::PayeeAccount)}</dt><dd class="font-mono">{c.payee_card.clone()}</dd></div>
                                <div><dt>{prefs.t(Msg::PayeeBank)}</dt><dd>{c.payee_bank.clone()} " · " {prefs.t(kind)}</dd></div>
                                <div><dt>{prefs.t(Msg::TransferFrom)}</dt><dd>{let name = c.from_name.clone(); move || name.text(prefs.lang.get())} " " <span class="font-mono">{c.from_card.clone()}</span></dd></div>
                                <div><dt>{prefs.t(Msg::TransferMemo)}</dt><dd>{c.memo.clone()}</dd></div>
                            </dl>
                            {(needs && c.has_passkey).then(|| view! { <PasskeyConfirm key=c.key.clone() confirm=confirm/> })}
                            {needs.then(|| view! {
                                <div class="card mt-4">
                                    <p class="mb-3" data-testid="code-needed">
                                        {prefs.t(if c.step_up_for_earlier { Msg::TransferCodeNeededEarlier } else { Msg::TransferCodeNeeded })}
                                        " " <strong>{c.mobile_masked.clone()}</strong>
                                    </p>
                                    <ActionForm action=send_code>
                                        <button type="submit" class="btn-secondary" data-testid="send-code">{prefs.t(Msg::SendCode)}</button>
                                        <SaveStatus action=send_code saved=Msg::CodeSent/>
                                    </ActionForm>
                                    {c.code_sent.then(|| view! {
                                        <p class="mt-2" data-testid="code-sent-to">{prefs.t(Msg::VerifySentTo)} " " <strong>{c.mobile_masked.clone()}</strong></p>
                                    })}
                                </div>
                            })}
                            <ActionForm action=confirm>
                                <div class="card form-stack mt-4">
                                    <input type="hidden" name="key" value=c.key.clone()/>
                                    {needs.then(|| view! { <CodeField/> })}
                                    <button type="submit" class="btn-primary w-full" data-testid="confirm-send">{prefs.t(Msg::TransferSend)}</button>
                                    <SaveStatus action=confirm saved=Msg::TransferSent/>
                                </div>
                            </ActionForm>
                            <a class="btn-secondary mt-4" href="/transfer">{prefs.t(Msg::TransferEdit)}</a>
                        }.into_any()
                    }
                    Err(AppError::FlowExpired) => view! {
                        <p class="card">{prefs.t(Msg::ErrorFlowExpired)}</p>
                        <a class="btn-primary mt-4" href="/transfer">{prefs.t(Msg::TransferTitle)}</a>
                    }.into_any(),
                    Err(e) => view! {
                        <SignInPrompt error=e next="/transfer"/>
                        <a class="btn-secondary mt-4" href="/transfer">{prefs.t(Msg::TransferEdit)}</a>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
