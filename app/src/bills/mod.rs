//! 生活缴费: choose a kind, find the bill by number (a GET form: the bill shows on the same page,
//! before WASM too), pay it from an account (an `ActionForm` with an idempotency key), and see
//! the outcome: paid with the biller's receipt number, refunded with why, or still waiting for
//! the biller. The domain service is `domain::billpay`.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

use crate::account::{Protected, SignInPrompt};
use crate::error::{AppError, ErrorMessage, SaveStatus};
use crate::i18n::{Lang, Msg};
use crate::prefs::use_prefs;
use crate::transfer::{FromAccountChoice, FromOption};

/// A kind as listed, in both languages (the page picks).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindRow {
    pub slug: String,
    pub zh: String,
    pub en: String,
    /// Position in the rural editions' list (`u8::MAX`: after the ranked ones).
    pub rural_rank: u8,
}

impl KindRow {
    fn name(&self, lang: Lang) -> String {
        if lang == Lang::ZhCn {
            self.zh.clone()
        } else {
            self.en.clone()
        }
    }
}

#[cfg(feature = "ssr")]
fn kind_row(k: domain::billpay::Kind) -> KindRow {
    KindRow {
        slug: k.slug().into(),
        zh: k.name_zh().into(),
        en: k.name_en().into(),
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
    /// `pending`, `paid` or `refunded`.
    pub status: String,
    pub receipt: Option<String>,
    pub reason: String,
    pub from_card_tail: String,
    pub time: String,
}

/// Payments as rows; the paying accounts' card tails are read once for the whole list, not
/// once per row.
#[cfg(feature = "ssr")]
async fn payment_rows(
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
            status: p.status.as_str().into(),
            receipt: p.biller_receipt,
            reason: p.reason,
            time: domain::clock::beijing_datetime(p.created_at),
        });
    }
    Ok(rows)
}

/// A number as lists and receipts show it: a resident ID masked like everywhere else.
#[cfg(feature = "ssr")]
fn shown_number(kind: domain::billpay::Kind, number: &str) -> String {
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

#[server(endpoint = "load_bills_home")]
pub async fn load_bills_home() -> Result<BillsHome, AppError> {
    use crate::auth::server::{current_session, fail};
    let (ctx, s) = current_session().await?;
    let mut latest = ctx
        .bill_payments()
        .list(&s.customer_id, None)
        .await
        .map_err(fail)?;
    latest.truncate(5);
    let recent = payment_rows(&ctx, &s.customer_id, latest).await?;
    let accounts = ctx.accounts().list(&s.customer_id).await.map_err(fail)?;
    let autopays = ctx.autopays().list(&s.customer_id).await.map_err(fail)?;
    let households = ctx
        .households()
        .list(&s.customer_id)
        .await
        .map_err(fail)?
        .into_iter()
        .map(|h| {
            let biller = domain::billpay::biller(&h.biller_id);
            let autopay = autopays
                .iter()
                .find(|a| a.household_id == h.id)
                .map(|a| AutoPayRow {
                    cap: domain::money::format_yuan(a.monthly_cap),
                    cap_decimal: domain::money::format_decimal(a.monthly_cap),
                    from_tail: accounts
                        .iter()
                        .find(|x| x.id == a.from_account_id)
                        .map(|x| domain::account::card::tail(&x.card_no).to_string())
                        .unwrap_or_default(),
                    from_id: a.from_account_id.clone(),
                });
            HouseholdRow {
                autopay_available: domain::billpay::autopay::available_for(h.kind),
                autopay,
                href: household_href(&h),
                id: h.id,
                label: h.label,
                kind: kind_row(h.kind),
                biller: biller.map(|b| b.name).unwrap_or(h.biller_id),
                number: shown_number(h.kind, &h.number),
            }
        })
        .collect();
    Ok(BillsHome {
        households,
        kinds: domain::billpay::Kind::ALL
            .into_iter()
            .map(kind_row)
            .collect(),
        social: domain::billpay::Kind::SOCIAL
            .into_iter()
            .map(kind_row)
            .collect(),
        accounts: crate::transfer::from_options(&accounts, crate::accounts::balances_hidden()),
        recent,
        simulated: ctx.billers.is_simulator(),
    })
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
    pub number_label_zh: String,
    pub number_label_en: String,
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
fn number_labels(n: domain::billpay::Number) -> (&'static str, &'static str) {
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

#[server(endpoint = "load_bill_form")]
pub async fn load_bill_form(
    kind: String,
    city: String,
    biller: String,
    number: String,
) -> Result<BillForm, AppError> {
    use crate::auth::server::{current_session, fail};
    use domain::billpay::{billers_for, Kind, Rule, CITIES, MAX_PAYMENT, MIN_PARTIAL};
    use domain::money::{format_decimal, format_yuan};
    let (ctx, s) = current_session().await?;
    let kind = Kind::from_slug(&kind).ok_or(AppError::NotFound)?;
    // The customer's own city first: the one of their home bank.
    let city = if CITIES.contains(&city.as_str()) {
        city
    } else {
        let profile = ctx.identity().profile(&s.customer_id).await.map_err(fail)?;
        domain::institution::get(&ctx.db, &profile.bank_code)
            .await
            .map(|b| b.city)
            .unwrap_or_else(|_| CITIES[0].into())
    };
    let billers: Vec<(String, String)> = billers_for(kind, &city)
        .into_iter()
        .map(|b| (b.id, b.name))
        .collect();
    let chosen = if billers.iter().any(|(id, _)| *id == biller) {
        biller
    } else {
        billers
            .first()
            .map(|(id, _)| id.clone())
            .unwrap_or_default()
    };
    let (mut bill, mut lookup_error) = (None, None);
    if !number.trim().is_empty() {
        match ctx.bill_payments().lookup(&chosen, &number).await {
            Ok(b) => {
                let amount = match kind.rule() {
                    Rule::Exact => AmountChoice::Exact {
                        due: format_yuan(b.due),
                        due_decimal: format_decimal(b.due),
                    },
                    Rule::Partial => AmountChoice::Partial {
                        suggested: if b.due > 0 {
                            format_decimal(b.due)
                        } else {
                            String::new()
                        },
                        min: format_yuan(MIN_PARTIAL),
                        max: format_yuan(MAX_PAYMENT),
                    },
                    Rule::Denominations(list) => AmountChoice::Denominations(
                        list.iter()
                            .map(|f| (format_decimal(*f), format_yuan(*f)))
                            .collect(),
                    ),
                    Rule::Grades(list) => AmountChoice::Grades(
                        list.iter()
                            .map(|f| (format_decimal(*f), format_yuan(*f)))
                            .collect(),
                    ),
                };
                let grades = matches!(kind.rule(), Rule::Grades(_));
                bill = Some(BillView {
                    holder: b.holder_masked,
                    detail: b.detail,
                    period: b.period,
                    // A grade is chosen: no single amount is "due".
                    due: if grades {
                        String::new()
                    } else {
                        format_yuan(b.due)
                    },
                    nothing_due: b.due == 0 && (kind.rule() == Rule::Exact || grades),
                    amount,
                });
            }
            Err(e) => lookup_error = Some(AppError::from(e)),
        }
    }
    let accounts = ctx.accounts().list(&s.customer_id).await.map_err(fail)?;
    let (zh, en) = number_labels(kind.number());
    Ok(BillForm {
        kind: kind_row(kind),
        number_label_zh: zh.into(),
        number_label_en: en.into(),
        cities: CITIES.iter().map(|c| c.to_string()).collect(),
        city,
        billers,
        biller: chosen,
        number: number.trim().into(),
        numeric: kind.number() != domain::billpay::Number::ResidentId,
        bill,
        lookup_error,
        accounts: crate::transfer::from_options(&accounts, crate::accounts::balances_hidden()),
        key: domain::id::new_id(),
        simulated: ctx.billers.is_simulator(),
    })
}

/// Pays; the answer is the payment's page whatever the outcome (paid, refunded, waiting).
/// When the payment needs an SMS code (¥2,000 and up, or past the day's allowance without
/// one) and none came with it, the code is sent and the answer says so: the form then asks for
/// it, and the same payment is sent again with `code`.
#[server(endpoint = "pay_bill")]
pub async fn pay_bill(
    biller: String,
    number: String,
    from: String,
    amount: String,
    key: String,
    code: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::server::{audit, current_session, fail, limit, parse_code};
    use crate::error::{respond, CodeWhy, Field};
    use domain::audit::Action;
    let (ctx, s) = current_session().await?;
    limit(&ctx, &format!("bills:pay:{}", s.customer_id), 30, 600).await?;
    let amount = domain::money::parse_yuan(&amount)
        .map_err(|_| respond(AppError::Invalid(Field::Amount)))?;
    let code = match code.as_deref().map(str::trim) {
        Some(c) if !c.is_empty() => Some(parse_code(c)?),
        _ => None,
    };
    let request = domain::billpay::PayRequest {
        customer_id: s.customer_id.clone(),
        from_account_id: from,
        biller_id: biller,
        household: number,
        amount,
        idempotency_key: key,
        step_up_code: code,
    };
    let payments = ctx.bill_payments();
    let p = match payments.pay(&request).await {
        Err(domain::Error::Refused(domain::Refusal::StepUpRequired))
            if request.step_up_code.is_none() =>
        {
            let why = match payments.step_up_reason(&request).await.map_err(fail)? {
                Some(domain::transfer::StepUpReason::EarlierPayments) => CodeWhy::EarlierPayments,
                _ => CodeWhy::Amount,
            };
            return Err(send_payment_code(&ctx, &s.customer_id, why, || {
                payments.send_step_up(ctx.sms.as_ref(), &request)
            })
            .await);
        }
        other => other.map_err(fail)?,
    };
    let detail = serde_json::json!({
        "bill_payment": p.id,
        "amount": p.amount,
        "biller": p.biller_id,
        "status": p.status.as_str(),
    });
    audit(&ctx, &s.customer_id, Action::MoneyMoved, detail).await?;
    leptos_axum::redirect(&format!("/bills/payments/{}", p.id));
    Ok(())
}

/// Saves a paid payment's biller and number under the customer's label (taken from the
/// payment, never from the form).
#[server(endpoint = "save_household")]
pub async fn save_household(payment: String, label: String) -> Result<(), AppError> {
    use crate::auth::server::{current_session, fail};
    let (ctx, s) = current_session().await?;
    let p = ctx
        .bill_payments()
        .get(&s.customer_id, &payment)
        .await
        .map_err(fail)?;
    ctx.households()
        .save(&s.customer_id, &p.biller_id, &p.household, &label)
        .await
        .map_err(fail)?;
    Ok(())
}

#[server(endpoint = "remove_household")]
pub async fn remove_household(id: String) -> Result<(), AppError> {
    use crate::auth::server::{current_session, fail};
    let (ctx, s) = current_session().await?;
    ctx.households()
        .remove(&s.customer_id, &id)
        .await
        .map_err(fail)
}

/// Turns automatic payment on (or changes it) for one of the customer's saved numbers. A new
/// mandate or a higher cap needs an SMS code: without one, it is sent and the answer says so.
#[server(endpoint = "set_autopay")]
pub async fn set_autopay(
    household: String,
    from: String,
    cap: String,
    code: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::server::{audit, current_session, fail, parse_code};
    use crate::error::{respond, CodeWhy, Field};
    let (ctx, s) = current_session().await?;
    let cap =
        domain::money::parse_yuan(&cap).map_err(|_| respond(AppError::Invalid(Field::Amount)))?;
    let code = match code.as_deref().map(str::trim) {
        Some(c) if !c.is_empty() => Some(parse_code(c)?),
        _ => None,
    };
    let pays = ctx.autopays();
    match pays
        .set(&s.customer_id, &household, &from, cap, code.as_deref())
        .await
    {
        Err(domain::Error::Refused(domain::Refusal::StepUpRequired)) if code.is_none() => Err(
            send_payment_code(&ctx, &s.customer_id, CodeWhy::Mandate, || {
                pays.send_step_up(ctx.sms.as_ref(), &s.customer_id, &household, cap)
            })
            .await,
        ),
        Err(e) => Err(fail(e)),
        Ok(setting) => {
            let detail = serde_json::json!({
                "autopay": setting.household_id,
                "monthly_cap": setting.monthly_cap,
            });
            audit(
                &ctx,
                &s.customer_id,
                domain::audit::Action::MandateSet,
                detail,
            )
            .await
        }
    }
}

/// Sends the SMS code a payment waits for and answers with where it went (or why it could not
/// be sent now: a code went to the number less than a minute ago, the day's codes are used).
#[cfg(feature = "ssr")]
async fn send_payment_code<F, Fut>(
    ctx: &crate::ServerContext,
    customer_id: &str,
    why: crate::error::CodeWhy,
    send: F,
) -> AppError
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = domain::Result<()>>,
{
    use crate::auth::server::fail;
    if let Err(e) = send().await {
        return fail(e);
    }
    match ctx.identity().mobile_of(customer_id).await {
        Ok(mobile) => crate::error::respond(AppError::CodeSent {
            to: mobile.masked(),
            why,
        }),
        Err(e) => fail(e),
    }
}

#[server(endpoint = "remove_autopay")]
pub async fn remove_autopay(household: String) -> Result<(), AppError> {
    use crate::auth::server::{current_session, fail};
    let (ctx, s) = current_session().await?;
    ctx.autopays()
        .remove(&s.customer_id, &household)
        .await
        .map_err(fail)
}

#[server(endpoint = "load_bill_payment")]
pub async fn load_bill_payment(id: String) -> Result<PaymentRow, AppError> {
    use crate::auth::server::current_session;
    let (ctx, s) = current_session().await?;
    payment_view(&ctx, &s.customer_id, &id).await
}

/// One of the customer's payments as its page and its PDF show it; someone else's is "not
/// found".
#[cfg(feature = "ssr")]
pub async fn payment_view(
    ctx: &crate::ServerContext,
    customer_id: &str,
    id: &str,
) -> Result<PaymentRow, AppError> {
    let p = ctx
        .bill_payments()
        .get(customer_id, id)
        .await
        .map_err(crate::auth::server::fail)?;
    let mut rows = payment_rows(ctx, customer_id, vec![p]).await?;
    rows.pop().ok_or(AppError::Internal)
}

impl PaymentRow {
    pub fn status_msg(&self) -> Msg {
        status_msg(&self.status)
    }
}

#[server(endpoint = "load_bill_history")]
pub async fn load_bill_history(kind: String) -> Result<Vec<PaymentRow>, AppError> {
    use crate::auth::server::{current_session, fail};
    let (ctx, s) = current_session().await?;
    let kind = domain::billpay::Kind::from_slug(&kind);
    let payments = ctx
        .bill_payments()
        .list(&s.customer_id, kind)
        .await
        .map_err(fail)?;
    payment_rows(&ctx, &s.customer_id, payments).await
}

fn status_msg(status: &str) -> Msg {
    match status {
        "paid" => Msg::BillStatusPaid,
        "refunded" => Msg::BillStatusRefunded,
        _ => Msg::BillStatusPending,
    }
}

/// The SMS code field of a payment form, once its answer said a code was sent for it (with
/// WASM the answer of the last submit, without it the refusal carried back in the URL).
#[component]
fn CodeIfAsked<S>(action: ServerAction<S>) -> impl IntoView
where
    S: server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let asked = move || matches!(action.value().get(), Some(Err(AppError::CodeSent { .. })));
    view! {
        <Show when=asked>
            <crate::auth::fields::CodeField/>
        </Show>
    }
}

/// 自动缴费 for one saved number: off, or on with its cap and account; a plain form either way.
#[component]
fn AutoPayForm(
    household: String,
    setting: Option<AutoPayRow>,
    accounts: Vec<FromOption>,
    set: ServerAction<SetAutopay>,
    unset: ServerAction<RemoveAutopay>,
) -> impl IntoView {
    let prefs = use_prefs();
    let (cap, from) = setting
        .as_ref()
        .map(|s| (s.cap_decimal.clone(), s.from_id.clone()))
        .unwrap_or_default();
    let household_off = household.clone();
    let state = setting.clone().map(|s| {
        view! { <span data-testid="autopay-on">{prefs.t(Msg::AutoPayOn)} " " {s.cap} " · *" {s.from_tail}</span> }
    });
    view! {
        // Open again when it waits for the code (without WASM the page was loaded anew).
        <details class="terms w-full" data-testid="autopay"
            open=move || matches!(set.value().get(), Some(Err(AppError::CodeSent { .. })))>
            // One child: the summary is a flex row, and this must read as one line of text.
            <summary>
                <span>
                    {prefs.t(Msg::AutoPayTitle)} " · "
                    {if setting.is_some() { state.into_any() } else { view! { <span>{prefs.t(Msg::AutoPayOff)}</span> }.into_any() }}
                </span>
            </summary>
            <p>{prefs.t(Msg::AutoPayHint)}</p>
            <ActionForm action=set>
                <div class="form-stack">
                    <input type="hidden" name="household" value=household.clone()/>
                    <label class="field-label">{prefs.t(Msg::AutoPayCap)}
                        <input class="field" type="text" inputmode="decimal" name="cap" required maxlength="12" value=cap/></label>
                    <FromAccountChoice accounts=accounts chosen=from/>
                    <CodeIfAsked action=set/>
                    <button type="submit" class="btn-primary w-full" data-testid="autopay-set">{prefs.t(Msg::AutoPaySet)}</button>
                </div>
            </ActionForm>
            {setting.is_some().then(|| view! {
                <ActionForm action=unset>
                    <input type="hidden" name="household" value=household_off.clone()/>
                    <button type="submit" class="btn-secondary w-full mt-3" data-testid="autopay-remove">{prefs.t(Msg::AutoPayRemove)}</button>
                </ActionForm>
            })}
        </details>
    }
}

/// A heading and its kinds as a grid of large links.
#[component]
fn KindList(title: Msg, kinds: Vec<KindRow>, testid: &'static str) -> impl IntoView {
    let prefs = use_prefs();
    view! {
        <h2 class="section-title mt-6">{prefs.t(title)}</h2>
        <ul class="bill-kinds" role="list" data-testid=testid>
            {kinds.into_iter().map(|k| { let href = format!("/bills/{}", k.slug); let slug = k.slug.clone(); view! {
                <li><a class="btn-secondary w-full" href=href data-kind=slug>{move || k.name(prefs.lang.get())}</a></li>
            }}).collect_view()}
        </ul>
    }
}

/// The simulator notice: billers here are a local stand-in.
#[component]
fn SimulatedNotice(simulated: bool) -> impl IntoView {
    let prefs = use_prefs();
    simulated.then(|| view! { <p class="text-muted mb-4" data-testid="billers-simulated">{move || prefs.t(Msg::BillsSimulated)}</p> })
}

#[component]
fn PaymentList(rows: Vec<PaymentRow>) -> impl IntoView {
    let prefs = use_prefs();
    view! {
        <ul class="grid gap-3" role="list" data-testid="bill-payments">
            {rows.into_iter().map(|p| view! {
                <li class="card">
                    <a href=format!("/bills/payments/{}", p.id) class="block">
                        <span class="font-bold">{move || p.kind.name(prefs.lang.get())}</span> " "
                        <span class="font-mono">{p.household.clone()}</span>
                        <span class="block">{p.amount.clone()} " · " {prefs.t(status_msg(&p.status))}</span>
                        <span class="block text-muted">{p.time.clone()}</span>
                    </a>
                </li>
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn BillsPage() -> impl IntoView {
    let prefs = use_prefs();
    let remove = ServerAction::<RemoveHousehold>::new();
    let set_auto = ServerAction::<SetAutopay>::new();
    let unset_auto = ServerAction::<RemoveAutopay>::new();
    let data = Resource::new(
        move || {
            (
                remove.version().get(),
                set_auto.version().get(),
                unset_auto.version().get(),
            )
        },
        |_| load_bills_home(),
    );
    view! {
        <section class="page" aria-labelledby="bills-title">
            <h1 id="bills-title" class="page-title">{move || prefs.t(Msg::BillsTitle)}</h1>
            <Protected data=data next="/bills" ready=move |home| {
                        let mut kinds = home.kinds.clone();
                        // The rural editions lead with resident insurance and then with the
                        // bills village households pay most.
                        let rural = prefs.edition.get_untracked().is_rural();
                        if rural {
                            kinds.sort_by_key(|k| k.rural_rank);
                        }
                        view! {
                            <SimulatedNotice simulated=home.simulated/>
                            <h2 class="section-title">{prefs.t(Msg::HouseholdsTitle)}</h2>
                            {if home.households.is_empty() {
                                view! { <p class="card mb-4">{prefs.t(Msg::HouseholdsNone)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="grid gap-3 mb-4" role="list" data-testid="households">
                                        {home.households.into_iter().map(|h| { let id = h.id.clone(); let accounts = home.accounts.clone(); view! {
                                            <li class="card flex flex-wrap items-center gap-3">
                                                <span class="min-w-48 flex-1">
                                                    <span class="block font-bold">{h.label.clone()}</span>
                                                    <span class="block text-muted">{move || h.kind.name(prefs.lang.get())} " · " {h.biller.clone()}</span>
                                                    <span class="block font-mono">{h.number.clone()}</span>
                                                </span>
                                                <a class="btn-primary" href=h.href.clone() data-testid="household-pay">{prefs.t(Msg::HouseholdPay)}</a>
                                                <ActionForm action=remove>
                                                    <input type="hidden" name="id" value=id/>
                                                    <button type="submit" class="btn-secondary">{prefs.t(Msg::HouseholdRemove)}</button>
                                                </ActionForm>
                                                {h.autopay_available.then(|| view! {
                                                    <AutoPayForm household=h.id.clone() setting=h.autopay.clone() accounts=accounts set=set_auto unset=unset_auto/>
                                                })}
                                            </li>
                                        }}).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            {rural.then(|| view! { <KindList title=Msg::BillsSocialTitle kinds=home.social.clone() testid="social-kinds"/> })}
                            <KindList title=Msg::BillsTitle kinds=kinds testid="bill-kinds"/>
                            {(!rural).then(|| view! { <KindList title=Msg::BillsSocialTitle kinds=home.social.clone() testid="social-kinds"/> })}
                            <h2 class="section-title mt-6">{prefs.t(Msg::BillsRecent)}</h2>
                            {if home.recent.is_empty() {
                                view! { <p class="card">{prefs.t(Msg::BillsNone)}</p> }.into_any()
                            } else {
                                view! { <PaymentList rows=home.recent/> }.into_any()
                            }}
                            <a class="btn-secondary mt-4" href="/bills/history">{prefs.t(Msg::BillsHistory)}</a>
                        }.into_any()
                    }/>
            <SaveStatus action=remove saved=Msg::HouseholdRemoved/>
            <SaveStatus action=set_auto saved=Msg::AutoPaySaved/>
            <SaveStatus action=unset_auto saved=Msg::AutoPayRemoved/>
        </section>
    }
}

#[component]
pub fn BillFormPage() -> impl IntoView {
    let prefs = use_prefs();
    let params = use_params_map();
    let query = use_query_map();
    let pay = ServerAction::<PayBill>::new();
    let read = move || {
        let q = query.get();
        let get = |k: &str| q.get(k).unwrap_or_default();
        (
            params.get().get("kind").unwrap_or_default(),
            get("city"),
            get("biller"),
            get("number"),
        )
    };
    let data = Resource::new(read, |(k, c, b, n)| load_bill_form(k, c, b, n));
    view! {
        <section class="page" aria-labelledby="bill-title">
            <Protected data=data next="/bills" ready=move |f| {
                        let kind_name = f.kind.name(prefs.lang.get_untracked());
                        let number_label = if prefs.lang.get_untracked() == Lang::ZhCn { f.number_label_zh.clone() } else { f.number_label_en.clone() };
                        let city = f.city.clone();
                        let biller = f.biller.clone();
                        view! {
                            <h1 id="bill-title" class="page-title">{kind_name}</h1>
                            <SimulatedNotice simulated=f.simulated/>
                            <form method="get" class="card form-stack" data-testid="bill-lookup">
                                <label class="field-label">{prefs.t(Msg::BillCity)}
                                    <select class="field" name="city">
                                        {f.cities.iter().map(|c| view! { <option value=c.clone() selected=*c == city>{c.clone()}</option> }).collect_view()}
                                    </select></label>
                                <label class="field-label">{prefs.t(Msg::BillBiller)}
                                    <select class="field" name="biller">
                                        {f.billers.iter().map(|(id, name)| view! { <option value=id.clone() selected=*id == biller>{name.clone()}</option> }).collect_view()}
                                    </select></label>
                                <label class="field-label">{number_label}
                                    <input class="field font-mono" type="text" inputmode=if f.numeric { "numeric" } else { "text" } name="number" required maxlength="24"
                                        autocomplete="off" value=f.number.clone()/></label>
                                <button type="submit" class="btn-primary w-full" data-testid="bill-lookup-submit">{prefs.t(Msg::BillLookup)}</button>
                            </form>
                            {f.lookup_error.clone().map(|e| view! { <div class="mt-4"><ErrorMessage error=e/></div> })}
                            {f.bill.clone().map(|b| view! { <BillToPay f=f.clone() b=b pay=pay/> })}
                            <a class="btn-secondary mt-4" href="/bills">{prefs.t(Msg::BillsTitle)}</a>
                        }.into_any()
                    }/>
        </section>
    }
}

/// The bill found, and the form that pays it.
#[component]
fn BillToPay(f: BillForm, b: BillView, pay: ServerAction<PayBill>) -> impl IntoView {
    let prefs = use_prefs();
    let amount = match b.amount.clone() {
        AmountChoice::Exact { due, due_decimal } => view! {
            <input type="hidden" name="amount" value=due_decimal/>
            <p>{prefs.t(Msg::BillPayExact)} " " <strong class="text-2xl" data-testid="bill-amount">{due}</strong></p>
        }.into_any(),
        AmountChoice::Partial { suggested, min, max } => view! {
            <label class="field-label">{prefs.t(Msg::BillAmount)}
                <input class="field" type="text" inputmode="decimal" name="amount" required maxlength="12" value=suggested
                    aria-describedby="bill-amount-hint"/></label>
            <p id="bill-amount-hint" class="text-muted">{prefs.t(Msg::BillPartialHint)} " " {min} " – " {max}</p>
        }.into_any(),
        AmountChoice::Grades(list) => view! {
            <fieldset class="form-stack">
                <legend class="font-bold">{prefs.t(Msg::BillGrade)}</legend>
                <p class="text-muted">{prefs.t(Msg::BillGradeHint)}</p>
                <div class="denominations">
                    {list.into_iter().enumerate().map(|(i, (value, label))| view! {
                        <label class="check-label"><input type="radio" name="amount" value=value required checked=i == 0/>{label}</label>
                    }).collect_view()}
                </div>
            </fieldset>
        }.into_any(),
        AmountChoice::Denominations(list) => view! {
            <fieldset class="form-stack">
                <legend class="font-bold">{prefs.t(Msg::BillTopUpAmount)}</legend>
                <div class="denominations">
                    {list.into_iter().enumerate().map(|(i, (value, label))| view! {
                        <label class="check-label"><input type="radio" name="amount" value=value required checked=i == 0/>{label}</label>
                    }).collect_view()}
                </div>
            </fieldset>
        }.into_any(),
    };
    view! {
        <dl class="card profile mt-4" data-testid="bill">
            <div><dt>{prefs.t(Msg::BillHolder)}</dt><dd>{b.holder.clone()}</dd></div>
            <div><dt>{prefs.t(Msg::BillDetail)}</dt><dd>{b.detail.clone()}</dd></div>
            {(!b.period.is_empty()).then(|| view! {
                <div><dt>{prefs.t(Msg::BillPeriod)}</dt><dd>{b.period.clone()}</dd></div>
            })}
            {(!b.period.is_empty() && !b.due.is_empty()).then(|| view! {
                <div><dt>{prefs.t(Msg::BillDue)}</dt><dd data-testid="bill-due">{b.due.clone()}</dd></div>
            })}
        </dl>
        {if b.nothing_due {
            view! { <p class="card mt-4" role="status">{prefs.t(Msg::ErrorNothingDue)}</p> }.into_any()
        } else {
            view! {
                <ActionForm action=pay>
                    <div class="card form-stack mt-4">
                        <input type="hidden" name="biller" value=f.biller.clone()/>
                        <input type="hidden" name="number" value=f.number.clone()/>
                        <input type="hidden" name="key" value=f.key.clone()/>
                        {amount}
                        <FromAccountChoice accounts=f.accounts.clone() chosen=String::new()/>
                        <CodeIfAsked action=pay/>
                        <button type="submit" class="btn-primary w-full" data-testid="bill-pay">{prefs.t(Msg::BillPay)}</button>
                        <SaveStatus action=pay saved=Msg::BillPaid/>
                    </div>
                </ActionForm>
            }.into_any()
        }}
    }
}

#[component]
pub fn BillPaymentPage() -> impl IntoView {
    let prefs = use_prefs();
    let params = use_params_map();
    let save = ServerAction::<SaveHousehold>::new();
    let data = Resource::new(
        move || params.get().get("id").unwrap_or_default(),
        load_bill_payment,
    );
    view! {
        <section class="page" aria-labelledby="bill-receipt-title">
            <h1 id="bill-receipt-title" class="page-title">{move || prefs.t(Msg::BillReceiptTitle)}</h1>
            <Protected data=data next="/bills" ready=move |p| {
                        let explain = match p.status.as_str() {
                            "paid" => Msg::BillExplainPaid,
                            "refunded" => Msg::BillExplainRefunded,
                            _ => Msg::BillExplainPending,
                        };
                        let kind = p.kind.clone();
                        let pdf = format!("/bills/receipt.pdf?id={}", p.id);
                        view! {
                            <p class="text-2xl font-bold" data-testid="bill-status">{prefs.t(status_msg(&p.status))}</p>
                            <p class="mb-4">{prefs.t(explain)}</p>
                            {(!p.reason.is_empty()).then(|| view! { <p class="mb-4" data-testid="bill-reason">{prefs.t(Msg::BillReason)} " " {p.reason.clone()}</p> })}
                            <dl class="card profile" data-testid="bill-receipt">
                                <div><dt>{prefs.t(Msg::BillKind)}</dt><dd>{move || kind.name(prefs.lang.get())}</dd></div>
                                <div><dt>{prefs.t(Msg::BillBiller)}</dt><dd>{p.biller.clone()}</dd></div>
                                <div><dt>{prefs.t(Msg::BillNumber)}</dt><dd class="font-mono">{p.household.clone()}</dd></div>
                                {(!p.period.is_empty()).then(|| view! { <div><dt>{prefs.t(Msg::BillPeriod)}</dt><dd>{p.period.clone()}</dd></div> })}
                                <div><dt>{prefs.t(Msg::BillAmount)}</dt><dd data-testid="bill-paid-amount">{p.amount.clone()}</dd></div>
                                <div><dt>{prefs.t(Msg::TransferFrom)}</dt><dd>"*" {p.from_card_tail.clone()}</dd></div>
                                {p.receipt.clone().map(|r| view! { <div><dt>{prefs.t(Msg::BillBillerReceipt)}</dt><dd class="font-mono" data-testid="bill-biller-receipt">{r}</dd></div> })}
                                <div><dt>{prefs.t(Msg::ReceiptTime)}</dt><dd>{p.time.clone()}</dd></div>
                            </dl>
                            {(p.status == "paid").then(|| view! {
                                <ActionForm action=save>
                                    <div class="card form-stack mt-4" data-testid="household-save">
                                        <h2 class="section-title">{prefs.t(Msg::HouseholdSaveTitle)}</h2>
                                        <input type="hidden" name="payment" value=p.id.clone()/>
                                        <label class="field-label">{prefs.t(Msg::HouseholdLabel)}
                                            <input class="field" type="text" name="label" required maxlength="20"
                                                aria-describedby="household-label-hint"/></label>
                                        <p id="household-label-hint" class="text-muted">{prefs.t(Msg::HouseholdLabelHint)}</p>
                                        <button type="submit" class="btn-secondary w-full">{prefs.t(Msg::HouseholdSave)}</button>
                                        <SaveStatus action=save saved=Msg::HouseholdSaved/>
                                    </div>
                                </ActionForm>
                            })}
                            {(p.status != "pending").then(|| view! {
                                <a class="btn-secondary w-full mt-4" href=pdf download data-testid="bill-receipt-pdf">{prefs.t(Msg::BillReceiptPdf)}</a>
                            })}
                            <div class="mt-4 flex flex-wrap gap-3">
                                <a class="btn-secondary" href="/bills">{prefs.t(Msg::BillsTitle)}</a>
                                <a class="btn-secondary" href="/bills/history">{prefs.t(Msg::BillsHistory)}</a>
                            </div>
                        }.into_any()
                    }/>
        </section>
    }
}

/// Every kind, bills first, for the history's filter.
#[server(endpoint = "load_bill_kinds")]
pub async fn load_bill_kinds() -> Result<Vec<KindRow>, AppError> {
    crate::auth::server::current_session().await?;
    Ok(domain::billpay::Kind::ALL
        .into_iter()
        .chain(domain::billpay::Kind::SOCIAL)
        .map(kind_row)
        .collect())
}

#[component]
pub fn BillHistoryPage() -> impl IntoView {
    let prefs = use_prefs();
    let query = use_query_map();
    let chosen = move || query.get().get("kind").unwrap_or_default();
    let data = Resource::new(chosen, load_bill_history);
    let kinds = Resource::new(|| (), |_| load_bill_kinds());
    view! {
        <section class="page" aria-labelledby="bill-history-title">
            <h1 id="bill-history-title" class="page-title">{move || prefs.t(Msg::BillsHistory)}</h1>
            // A GET form: the filter is the URL, before WASM too.
            <Suspense fallback=|| ()>
                {move || kinds.get().and_then(Result::ok).map(|kinds| {
                    let now = chosen();
                    view! {
                        <form method="get" class="card form-stack mb-4" data-testid="bill-history-filter">
                            <label class="field-label">{prefs.t(Msg::BillKind)}
                                <select class="field" name="kind">
                                    <option value="" selected=now.is_empty()>{prefs.t(Msg::BillKindAll)}</option>
                                    {kinds.into_iter().map(|k| {
                                        let selected = k.slug == now;
                                        view! { <option value=k.slug.clone() selected=selected>{k.name(prefs.lang.get_untracked())}</option> }
                                    }).collect_view()}
                                </select></label>
                            <button type="submit" class="btn-secondary w-full" data-testid="bill-history-apply">{prefs.t(Msg::BillKindFilter)}</button>
                        </form>
                    }
                })}
            </Suspense>
            <Suspense fallback=move || view! { <p class="card" aria-busy="true">{prefs.t(Msg::Loading)}</p> }>
                {move || data.get().map(|r| match r {
                    Ok(rows) if rows.is_empty() => view! { <p class="card">{prefs.t(Msg::BillsNone)}</p> }.into_any(),
                    Ok(rows) => view! { <PaymentList rows=rows/> }.into_any(),
                    Err(e) => view! { <SignInPrompt error=e next="/bills/history"/> }.into_any(),
                })}
            </Suspense>
            <a class="btn-secondary mt-4" href="/bills">{move || prefs.t(Msg::BillsTitle)}</a>
        </section>
    }
}
